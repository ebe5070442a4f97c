# ruff: noqa: F811 -- fixtures imported from invitation_setup are used as arguments
import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.access import SESSION_KEY as GRANTS
from surveys.invitations import invite_organizations, revoke_invitation
from surveys.models import Invitation, Response, Round
from tests.factories import ResponseFactory
from tests.surveys.invitation_setup import (  # noqa: F401
    clock,
    invite_round,
    link_in,
    path_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(invite_round, organization):
    """Return the path of the link e-mailed to Northside's contact."""
    invite_organizations(invite_round, [organization.pk])
    return path_of(link_in(mail.outbox[0]))


def test_the_link_in_the_email_opens_the_confirmation_page(anonymous_client, link):
    page = anonymous_client.get(link)

    text = page.content.decode()
    assert page.status_code == 200
    assert "You are answering for Northside Health Collaborative" in text
    assert "2026" in text
    assert "Continue to the survey" in text
    assert page["Cache-Control"].startswith("max-age=0")


def test_opening_the_link_changes_nothing_but_when_it_was_first_opened(
    clock, anonymous_client, link
):
    anonymous_client.get(link)
    first = Invitation.objects.get().opened_at
    clock.advance(hours=2)
    anonymous_client.get(link)

    assert first is not None
    assert Invitation.objects.get().opened_at == first
    assert not Response.objects.exists()
    assert GRANTS not in anonymous_client.session


def test_continuing_starts_the_survey_at_an_address_without_the_token(
    anonymous_client, link, organization
):
    answer = anonymous_client.post(link)

    response = Response.objects.get(organization=organization)
    assert answer.status_code == 302
    assert answer["Location"] == f"/survey/{response.pk}/"
    assert answer["Location"] == reverse("surveys:survey_start", args=[response.pk])
    assert link.split("/")[2] not in answer["Location"]
    assert anonymous_client.session[GRANTS] == {
        str(response.pk): Invitation.objects.get().pk
    }


def test_continuing_twice_keeps_one_response(anonymous_client, link):
    anonymous_client.post(link)
    anonymous_client.post(link)

    assert Response.objects.count() == 1


def test_continuing_keeps_a_draft_already_started(
    anonymous_client, link, invite_round, organization
):
    draft = ResponseFactory(round=invite_round, organization=organization)

    answer = anonymous_client.post(link)

    assert answer["Location"] == f"/survey/{draft.pk}/"


def test_a_used_session_signs_nobody_in_and_does_not_open_the_admin(
    anonymous_client, link
):
    anonymous_client.post(link)

    admin = anonymous_client.get(reverse("admin:index"))

    assert SESSION_KEY not in anonymous_client.session
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("admin:login"))


def test_a_used_session_cannot_open_another_organizations_response(
    anonymous_client, link, invite_round, other_organization
):
    other = ResponseFactory(round=invite_round, organization=other_organization)
    anonymous_client.post(link)

    page = anonymous_client.get(reverse("surveys:survey_start", args=[other.pk]))

    assert page.status_code == 404


def test_an_unknown_link_says_it_no_longer_works_and_whom_to_ask(anonymous_client):
    page = anonymous_client.get("/i/not-a-real-token/")

    text = page.content.decode()
    assert page.status_code == 404
    assert "This link no longer works" in text
    assert "edn@localhost" in text


def test_a_revoked_link_no_longer_works_and_grants_nothing(anonymous_client, link):
    revoke_invitation(Invitation.objects.get())

    shown = anonymous_client.get(link)
    posted = anonymous_client.post(link)

    assert shown.status_code == posted.status_code == 404
    assert "This link no longer works" in posted.content.decode()
    assert not Response.objects.exists()
    assert GRANTS not in anonymous_client.session


def test_revoking_a_link_ends_the_session_it_started(anonymous_client, link):
    anonymous_client.post(link)
    response = Response.objects.get()
    revoke_invitation(Invitation.objects.get())

    page = anonymous_client.get(reverse("surveys:survey_start", args=[response.pk]))

    assert page.status_code == 404


def test_the_link_of_a_closed_round_says_the_round_closed(
    anonymous_client, link, invite_round
):
    invite_round.status = Round.Status.CLOSED
    invite_round.save()

    page = anonymous_client.get(link)

    assert page.status_code == 404
    assert "The 2026 partnership survey is closed" in page.content.decode()


def test_a_link_past_the_closing_date_no_longer_works(
    clock, anonymous_client, link, invite_round
):
    clock.now = invite_round.closes_at + timezone.timedelta(minutes=1)

    page = anonymous_client.post(link)

    assert page.status_code == 404
    assert not Response.objects.exists()
