from django.contrib import admin

from network.models import (
    ExportLog,
    NetworkSnapshot,
    OrganizationMetrics,
    RoundNetworkState,
)


@admin.register(NetworkSnapshot)
class NetworkSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "round",
        "version",
        "status",
        "generation",
        "organizations_count",
        "ties_count",
        "responses_count",
        "created_at",
    ]
    list_filter = ["round", "status"]
    exclude = ["figures"]
    readonly_fields = [
        "round",
        "version",
        "status",
        "generation",
        "organizations_count",
        "ties_count",
        "responses_count",
        "timings",
        "sampling",
        "error",
        "created_at",
        "finished_at",
    ]


@admin.register(OrganizationMetrics)
class OrganizationMetricsAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "snapshot",
        "in_degree",
        "out_degree",
        "betweenness",
        "position",
        "responded",
    ]
    list_filter = ["snapshot__round", "position", "responded"]
    search_fields = ["name", "organization__name", "write_in_key"]
    list_select_related = ["organization", "snapshot__round"]
    raw_id_fields = ["snapshot", "organization"]


@admin.register(RoundNetworkState)
class RoundNetworkStateAdmin(admin.ModelAdmin):
    list_display = [
        "round",
        "generation",
        "built_generation",
        "queued_at",
        "running_since",
        "stage",
        "percent",
        "rebuilds",
        "last_error_at",
    ]
    readonly_fields = [
        "round",
        "generation",
        "built_generation",
        "queued_at",
        "running_since",
        "lease",
        "heartbeat_at",
        "stage",
        "percent",
        "rebuilds",
        "last_error",
        "last_error_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The export log is evidence: staff read it, nobody edits it."""

    list_display = [
        "created_at",
        "user_email",
        "round_name",
        "format",
        "variant",
        "rows",
        "snapshot_version",
    ]
    list_filter = ["variant", "format", "round"]
    search_fields = ["user_email", "round_name"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
