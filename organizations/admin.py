from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization, Sector, Service, User


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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
