from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Staff may read the log here; no one adds, edits or deletes entries."""

    list_display = ["created_at", "action", "actor_email", "round_name", "summary"]
    list_filter = ["action", "round"]
    search_fields = ["summary", "organization", "actor_email", "round_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
