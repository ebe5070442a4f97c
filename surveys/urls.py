from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("", include("surveys.urls_invitations")),
    path("", include("surveys.urls_survey")),
]
