from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("", include("network.urls_map")),
    path("", include("network.urls_insight")),
    path("", include("network.urls_compare")),
]
