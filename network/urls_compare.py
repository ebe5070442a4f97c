from django.urls import path

from network import compare_views, export_views

urlpatterns = [
    path(
        "staff/rounds/<slug:slug>/compare/",
        compare_views.round_compare,
        name="round_compare",
    ),
    path(
        "staff/rounds/<slug:slug>/compare/<slug:other_slug>.json",
        compare_views.round_compare_json,
        name="round_compare_json",
    ),
    path(
        "staff/rounds/<slug:slug>/exports/",
        export_views.round_exports,
        name="round_exports",
    ),
    path(
        "staff/rounds/<slug:slug>/exports/<str:variant>/<str:format>/",
        export_views.round_export_download,
        name="round_export_download",
    ),
]
