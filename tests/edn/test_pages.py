"""The pages every visitor meets: home, health, sign-in, sign-out, admin."""

import pytest
from django.urls import reverse

from tests.factories import RosterEntryFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_home_with_a_sign_in_button(anonymous_client):
    response = anonymous_client.get(reverse("home"))

    assert response.status_code == 200
    assert 'href="/accounts/login/"' in response.text
    assert "Your organizations" not in response.text


def test_member_sees_their_own_organization_on_home(member_client, organization):
    response = member_client.get(reverse("home"))

    assert response.status_code == 200
    assert "Your organizations" in response.text
    assert organization.name in response.text
    assert "Administration" not in response.text


def test_outsider_does_not_see_another_organization_on_home(
    outsider_client, organization, other_organization
):
    response = outsider_client.get(reverse("home"))

    assert response.status_code == 200
    assert other_organization.name in response.text
    assert organization.name not in response.text


def test_staff_sees_the_administration_link_on_home(staff_client):
    response = staff_client.get(reverse("home"))

    assert response.status_code == 200
    assert reverse("admin:index") in response.text


def test_home_shows_the_open_round_and_its_response_rate(anonymous_client):
    survey_round = RoundFactory(name="2026")
    RosterEntryFactory.create_batch(3, round=survey_round)

    response = anonymous_client.get(reverse("home"))

    assert "Round 2026" in response.text
    assert "0 of 3 invited organizations have answered." in response.text


def test_home_says_when_there_is_no_round_yet(anonymous_client):
    response = anonymous_client.get(reverse("home"))

    assert "No survey round yet" in response.text


def test_health_check_reports_ok(anonymous_client):
    response = anonymous_client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_visitor_is_sent_to_the_admin_login(anonymous_client):
    response = anonymous_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_organization_member_cannot_open_the_admin(request, persona):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_opens_the_admin(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "EDN administration" in response.text


def test_member_signs_in_with_their_e_mail_address(anonymous_client, member):
    response = anonymous_client.post(
        reverse("login"),
        {"username": "Member@Northside.example", "password": "correct horse 42"},
    )

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert anonymous_client.session["_auth_user_id"] == str(member.pk)


def test_wrong_password_keeps_the_visitor_out(anonymous_client, member):
    response = anonymous_client.post(
        reverse("login"),
        {"username": member.email, "password": "wrong horse"},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous_client.session
    assert "Please enter a correct" in response.text


def test_sign_out_by_post_ends_the_session(member_client):
    response = member_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in member_client.session


def test_sign_out_refuses_a_get(member_client):
    response = member_client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in member_client.session
