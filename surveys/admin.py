from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from surveys import tasks
from surveys.invitations import revoke_invitation
from surveys.models import (
    Invitation,
    Nomination,
    Practice,
    Response,
    RosterEntry,
    Round,
    SentEmail,
)


class RosterEntryInline(admin.TabularInline):
    model = RosterEntry
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "status",
        "opens_at",
        "closes_at",
        "roster_size",
        "submitted",
    ]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RosterEntryInline]
    actions = ["invite_roster"]

    def get_queryset(self, request):
        submitted = Q(responses__status=Response.Status.SUBMITTED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                roster_size=Count("roster_entries", distinct=True),
                submitted=Count("responses", filter=submitted, distinct=True),
            )
        )

    @admin.display(description=_("roster"), ordering="roster_size")
    def roster_size(self, obj):
        return obj.roster_size

    @admin.display(description=_("submitted"), ordering="submitted")
    def submitted(self, obj):
        return obj.submitted

    @admin.action(description=_("Send invitations to the whole roster"))
    def invite_roster(self, request, queryset):
        for round_ in queryset:
            result = tasks.send_invitations.delay(round_.pk, None, request.user.pk)
            outcome = tasks.finished_outcome(result)
            if outcome is None:
                summary = _("Invitations are being sent.")
            else:
                summary = outcome.summary()
            self.message_user(request, f"{round_}: {summary}", messages.INFO)


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    fk_name = "response"
    autocomplete_fields = ["partner"]
    fields = [
        "partner",
        "write_in_name",
        "collaboration_level",
        "sends_referrals",
        "receives_referrals",
        "data_sharing",
        "data_agreement",
        "wants_to_deepen",
    ]


class PracticeInline(admin.StackedInline):
    model = Practice
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "round",
        "status",
        "visibility",
        "nominations_count",
        "submitted_at",
    ]
    list_filter = ["round", "status", "visibility", "organization__sector"]
    search_fields = ["organization__name", "organization__short_name"]
    autocomplete_fields = ["organization", "submitted_by"]
    list_select_related = ["organization", "round"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [NominationInline, PracticeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("nominations"))

    @admin.display(description=_("partners named"), ordering="nominations__count")
    def nominations_count(self, obj):
        return obj.nominations__count


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = [
        "respondent",
        "partner_name",
        "collaboration_level",
        "data_agreement",
        "round_name",
    ]
    list_filter = [
        "response__round",
        "collaboration_level",
        "data_sharing",
        "data_agreement",
        ("partner", admin.EmptyFieldListFilter),
    ]
    search_fields = ["respondent__name", "partner__name", "write_in_name"]
    autocomplete_fields = ["response", "partner"]
    list_select_related = ["respondent", "partner", "response__round"]
    filter_horizontal = ["services"]

    @admin.display(description=_("round"), ordering="response__round__name")
    def round_name(self, obj):
        return obj.response.round.name


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stage", "consent", "organization_name", "created_at"]
    list_filter = ["stage", "consent", "response__round"]
    search_fields = ["text", "response__organization__name"]
    list_select_related = ["response__organization"]
    autocomplete_fields = ["response"]

    @admin.display(description=_("organization"))
    def organization_name(self, obj):
        return obj.response.organization.name


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "round",
        "email",
        "sent_at",
        "opened_at",
        "reminders_sent",
        "revoked_at",
    ]
    list_filter = ["round", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["organization__name", "email"]
    list_select_related = ["organization", "round"]
    readonly_fields = [
        "round",
        "organization",
        "email",
        "created_at",
        "sent_at",
        "opened_at",
        "revoked_at",
        "reminders_sent",
        "last_reminded_at",
    ]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A link is made only when an e-mail carries it.
        return False

    @admin.action(description=_("Revoke"))
    def revoke(self, request, queryset):
        revoked = sum(revoke_invitation(i) for i in queryset)
        self.message_user(
            request,
            _("%(count)d links revoked; they no longer open their response.")
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "to", "organization", "round", "sent_by"]
    list_filter = ["kind", "round"]
    search_fields = ["to", "organization__name", "subject"]
    list_select_related = ["organization", "round", "sent_by"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
