from django.urls import path

from network import coverage_views, dashboard_views, table_views

ROUND = "staff/rounds/<slug:slug>/"

urlpatterns = [
    path("staff/", dashboard_views.staff_home, name="staff_home"),
    path(ROUND, dashboard_views.round_dashboard, name="round_dashboard"),
    path(
        ROUND + "rebuild-state/",
        dashboard_views.rebuild_state,
        name="round_rebuild_state",
    ),
    path(ROUND + "rebuild/", dashboard_views.rebuild_now, name="round_rebuild"),
    path(ROUND + "organizations/", table_views.round_table, name="round_table"),
    path(
        ROUND + "organizations/export.<str:format>",
        table_views.round_table_export,
        name="round_table_export",
    ),
    path(ROUND + "coverage/", coverage_views.round_coverage, name="round_coverage"),
    path(
        ROUND + "coverage/write-ins/merge/",
        coverage_views.merge_write_ins,
        name="round_merge_write_ins",
    ),
    path(
        ROUND + "coverage/write-ins/create/",
        coverage_views.create_from_write_ins,
        name="round_create_from_write_ins",
    ),
]
