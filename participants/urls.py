from django.urls import path

from participants import other_views, views

app_name = "participants"

urlpatterns = [
    path("my/", views.my_home, name="my_home"),
    path("my/<int:organization_id>/", views.my_organization, name="my_organization"),
    path("my/<int:organization_id>/ego.json", views.ego_map_json, name="ego_map_json"),
    path("my/<int:organization_id>/report/", views.team_report, name="team_report"),
    path(
        "my/<int:organization_id>/report.pdf",
        views.team_report_pdf,
        name="team_report_pdf",
    ),
    path(
        "my/<int:organization_id>/ties/",
        other_views.ties_reported,
        name="ties_reported",
    ),
    path("my/<int:organization_id>/data/", other_views.my_data, name="my_data"),
    path(
        "my/<int:organization_id>/data.<str:kind>",
        other_views.my_data_download,
        name="my_data_download",
    ),
    path(
        "my/<int:organization_id>/withdraw/",
        other_views.request_withdrawal,
        name="request_withdrawal",
    ),
    path("rounds/<slug:slug>/explorer/", other_views.explorer, name="explorer"),
    path(
        "rounds/<slug:slug>/explorer.json",
        other_views.explorer_json,
        name="explorer_json",
    ),
]
