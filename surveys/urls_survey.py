from django.urls import path

from surveys import dashboard_views, partner_search, survey_views

urlpatterns = [
    path("survey/", dashboard_views.my_surveys, name="my_surveys"),
    path(
        "survey/<int:response_id>/",
        survey_views.survey_start,
        name="survey_start",
    ),
    path(
        "survey/<int:response_id>/search/",
        partner_search.organization_search,
        name="survey_search",
    ),
    path(
        "survey/<int:response_id>/submitted/",
        survey_views.survey_submitted,
        name="survey_submitted",
    ),
    path(
        "survey/<int:response_id>/<slug:step>/",
        survey_views.survey_step,
        name="survey_step",
    ),
]
