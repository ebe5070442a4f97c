import base64
import logging
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizations.forms import MergeForm, RosterConfirmForm, RosterUploadForm
from organizations.merging import merge_organizations
from organizations.models import Membership, Organization, Sector, Service, User
from organizations.roster import import_roster, plan_roster
from surveys.models import Round

logger = logging.getLogger(__name__)

# The uploaded roster waits here between preview and confirm, so the
# confirm step never takes the file back from the browser.
PENDING_ROSTER = "organizations.pending_roster"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Name"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})
    ]


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "organizations_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("organizations"))

    @admin.display(description=_("organizations"), ordering="organizations__count")
    def organizations_count(self, obj):
        return obj.organizations__count


admin.site.register(Sector, TaxonomyAdmin)
admin.site.register(Service, TaxonomyAdmin)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    # A website typed without a scheme is taken as https://, as Django 6 will.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "short_name",
        "sector",
        "zip_code",
        "size_band",
        "is_active",
    ]
    list_filter = ["is_active", "sector", "services", "size_band"]
    search_fields = ["name", "short_name", "aliases", "zip_code", "service_area"]
    filter_horizontal = ["services"]
    list_select_related = ["sector"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "aliases", "sector", "services"]}),
        (
            _("About"),
            {"fields": ["description", "website", "size_band", "service_area"]},
        ),
        (
            _("Location"),
            {"fields": ["address", "zip_code", "latitude", "longitude"]},
        ),
        (None, {"fields": ["is_active", "created_at", "updated_at"]}),
    ]

    actions = ["merge_selected"]

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_roster_view)
        urls = [
            path("import/", import_view, name="organizations_organization_import"),
        ]
        return urls + super().get_urls()

    def import_roster_view(self, request):
        """Upload a roster, preview what it creates, and save it on confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied

        if request.method == "POST" and "token" in request.POST:
            return self._confirm_roster(request)
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        if not form.is_valid():
            return self._render_roster(request, form)

        upload = form.cleaned_data["file"]
        # One byte past the limit is enough for the reader to refuse the file.
        content = upload.read(settings.ROSTER_MAX_BYTES + 1)
        plan = plan_roster(upload.name, content)
        chosen_round = form.cleaned_data["round"]

        token = None
        if plan.is_valid:
            token = secrets.token_urlsafe(32)
            request.session[PENDING_ROSTER] = {
                "token": token,
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
                "round": chosen_round.pk if chosen_round else None,
            }
        else:
            request.session.pop(PENDING_ROSTER, None)
        return self._render_roster(request, form, plan, chosen_round, token)

    def _confirm_roster(self, request):
        pending = request.session.get(PENDING_ROSTER)
        sent = RosterConfirmForm(request.POST).data.get("token", "")
        if pending is None or not constant_time_compare(sent, pending["token"]):
            logger.warning("roster confirm refused: no matching preview")
            messages.error(
                request, _("This preview is no longer valid. Upload the file again.")
            )
            return redirect("admin:organizations_organization_import")

        del request.session[PENDING_ROSTER]
        plan = plan_roster(pending["name"], base64.b64decode(pending["content"]))
        chosen_round = None
        if pending["round"] is not None:
            chosen_round = Round.objects.filter(pk=pending["round"]).first()
            if chosen_round is None:
                messages.error(request, _("The chosen round no longer exists."))
                return redirect("admin:organizations_organization_import")
        if not plan.is_valid:
            # The database changed since the preview; show what is wrong now.
            return self._render_roster(request, RosterUploadForm(), plan)

        try:
            result = import_roster(plan, chosen_round, actor=request.user)
        except IntegrityError:
            logger.warning("roster import collided with a concurrent change")
            messages.error(
                request,
                _("Organizations changed while importing. Upload the file again."),
            )
            return redirect("admin:organizations_organization_import")

        message = ngettext(
            "Imported %(count)d organization with %(contacts)d contacts.",
            "Imported %(count)d organizations with %(contacts)d contacts.",
            result.organizations,
        ) % {"count": result.organizations, "contacts": result.memberships}
        messages.success(request, message)
        return redirect("admin:organizations_organization_changelist")

    def _render_roster(self, request, form, plan=None, chosen_round=None, token=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import roster"),
            "form": form,
            "plan": plan,
            "round": chosen_round,
            "confirm_form": RosterConfirmForm(initial={"token": token}),
            "token": token,
        }
        template = "admin/organizations/organization/import_roster.html"
        return TemplateResponse(request, template, context)

    @admin.action(
        description=_("Merge selected organizations"),
        permissions=["merge"],
    )
    def merge_selected(self, request, queryset):
        if queryset.count() < 2:
            messages.warning(request, _("Select at least two organizations to merge."))
            return None

        form = MergeForm(
            request.POST if "merge" in request.POST else None,
            organizations=queryset,
        )
        if not form.is_valid():
            return self._render_merge(request, queryset, form)

        keep = form.cleaned_data["keep"]
        result = merge_organizations(
            keep, list(queryset.exclude(pk=keep.pk)), actor=request.user
        )

        message = _("Merged %(names)s into %(kept)s.") % {
            "names": ", ".join(f"“{name}”" for name in result.merged_names),
            "kept": f"“{keep.name}”",
        }
        messages.success(request, message)
        return None

    def has_merge_permission(self, request):
        # Django lets any one of an action's permissions suffice; a merge
        # changes one organization and deletes the others, so it needs both.
        return self.has_change_permission(request) and self.has_delete_permission(
            request
        )

    def _render_merge(self, request, queryset, form):
        organizations = queryset.annotate(
            memberships_count=Count("memberships", distinct=True),
            responses_count=Count("responses", distinct=True),
            nominated_count=Count("nominations_received", distinct=True),
            rounds_count=Count("roster_entries", distinct=True),
        ).order_by("name")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge organizations"),
            "form": form,
            "organizations": organizations,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        template = "admin/organizations/organization/merge_confirmation.html"
        return TemplateResponse(request, template, context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
