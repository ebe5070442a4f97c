from django.urls import path

from network import map_views

urlpatterns = [
    path("staff/rounds/<slug:slug>/map/", map_views.round_map, name="round_map"),
    path(
        "staff/rounds/<slug:slug>/map.json",
        map_views.round_map_json,
        name="round_map_json",
    ),
]
