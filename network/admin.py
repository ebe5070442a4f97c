from django.contrib import admin

from network.models import NetworkSnapshot, OrganizationMetrics


@admin.register(NetworkSnapshot)
class NetworkSnapshotAdmin(admin.ModelAdmin):
    list_display = ["round", "version", "status", "responses_count", "created_at"]
    list_filter = ["round", "status"]
    readonly_fields = ["created_at", "finished_at"]


@admin.register(OrganizationMetrics)
class OrganizationMetricsAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "snapshot",
        "in_degree",
        "out_degree",
        "betweenness",
        "position",
    ]
    list_filter = ["snapshot__round", "position"]
    search_fields = ["organization__name"]
    list_select_related = ["organization", "snapshot__round"]
