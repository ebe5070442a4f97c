"""Who may open the survey: members, invited browsers; nobody else."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import pytest
from django.urls import reverse

from tests.surveys.survey_setup import (  # noqa: F401
    STEP_SLUGS,
    invited_client,
    open_round,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_member_opens_every_step(member_client, response, slug):
    page = member_client.get(step_url(response, slug))

    assert page.status_code == 200
    assert "Northside Health Collaborative" in page.text


@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_invited_browser_opens_every_step(invited_client, response, slug):
    page = invited_client.get(step_url(response, slug))

    assert page.status_code == 200


@pytest.mark.parametrize(
    "persona", ["anonymous_client", "outsider_client", "staff_client"]
)
@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_others_cannot_open_a_step(request, response, persona, slug):
    client = request.getfixturevalue(persona)

    assert client.get(step_url(response, slug)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["anonymous_client", "outsider_client", "staff_client"]
)
def test_others_cannot_save_start_search_or_submit(request, response, persona):
    client = request.getfixturevalue(persona)
    version = response.version

    answers = [
        client.post(step_url(response, "organization"), {"version": version}),
        client.post(step_url(response, "review"), {"version": version}),
        client.get(reverse("surveys:survey_start", args=[response.pk])),
        client.get(reverse("surveys:survey_search", args=[response.pk]), {"q": "ri"}),
        client.get(reverse("surveys:survey_submitted", args=[response.pk])),
    ]

    assert [a.status_code for a in answers] == [404] * 5
    response.refresh_from_db()
    assert response.version == version
    assert response.status == "draft"


def test_an_unknown_step_is_not_found(member_client, response):
    assert member_client.get(step_url(response, "payment")).status_code == 404


def test_start_prefills_and_opens_the_first_step(member_client, response):
    answer = member_client.get(reverse("surveys:survey_start", args=[response.pk]))

    assert answer.status_code == 302
    assert answer.url == step_url(response, "organization")


def test_invited_browser_lands_on_the_first_step(invited_client, response):
    answer = invited_client.get(reverse("surveys:survey_start", args=[response.pk]))

    assert answer.url == step_url(response, "organization")


def test_a_closed_round_shows_the_answers_read_only(member_client, response):
    response.round.status = "closed"
    response.round.save()

    redirected = member_client.get(step_url(response, "partners"))
    review = member_client.get(step_url(response, "review"))

    assert redirected.url == step_url(response, "review")
    assert "answers can no longer change" in review.text
    assert "Submit answers" not in review.text


def test_my_surveys_lists_the_members_open_responses(member_client, response):
    page = member_client.get(reverse("surveys:my_surveys"))

    assert page.status_code == 200
    assert reverse("surveys:survey_start", args=[response.pk]) in page.text
    assert "Not started" in page.text


def test_my_surveys_offers_a_roster_entry_without_a_response(member_client, open_round):
    page = member_client.get(reverse("surveys:my_surveys"))

    response = open_round.responses.get(
        organization__name="Northside Health Collaborative"
    )
    assert reverse("surveys:survey_start", args=[response.pk]) in page.text


def test_my_surveys_does_not_list_other_organizations(outsider_client, response):
    page = outsider_client.get(reverse("surveys:my_surveys"))

    assert reverse("surveys:survey_start", args=[response.pk]) not in page.text


def test_my_surveys_asks_anonymous_visitors_to_sign_in(anonymous_client):
    answer = anonymous_client.get(reverse("surveys:my_surveys"))

    assert answer.status_code == 302
    assert reverse("login") in answer.url
