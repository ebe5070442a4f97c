"""Who may read the guide and the exchange, private and public."""

import pytest
from django.urls import reverse

from guide.models import GuideSettings
from tests.factories import UserFactory
from tests.guide.setup import published_entry, shared_practice


@pytest.fixture
def entry(organization):
    return published_entry(shared_practice(organization), title="Ask residents first")


@pytest.fixture
def stranger_client(client, db):
    client.force_login(UserFactory(email="nobody@example.org"))
    return client


def guide_urls(entry):
    return [
        reverse("guide:home"),
        reverse("guide:search"),
        reverse("guide:stage", args=[entry.stage.slug]),
        entry.get_absolute_url(),
        reverse("guide:print"),
    ]


@pytest.mark.parametrize(
    "persona", ["member_client", "outsider_client", "staff_client"]
)
def test_participants_read_every_guide_page(request, persona, entry):
    client = request.getfixturevalue(persona)

    for url in guide_urls(entry):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ask residents first" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client, entry):
    for url in guide_urls(entry):
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_signed_in_person_outside_the_network_is_refused(stranger_client, entry):
    for url in guide_urls(entry):
        assert stranger_client.get(url).status_code == 403


def test_public_guide_opens_to_anonymous_visitors_but_not_the_exchange(
    anonymous_client, entry
):
    GuideSettings.objects.update_or_create(pk=1, defaults={"is_public": True})

    for url in guide_urls(entry):
        assert anonymous_client.get(url).status_code == 200, url
    page = anonymous_client.get(entry.get_absolute_url()).content.decode()
    assert "We use this" not in page
    assert anonymous_client.get(reverse("guide:exchange")).status_code == 302


def test_staff_open_the_guide_to_the_public(staff_client, anonymous_client, entry):
    staff_client.post(reverse("guide:settings"), {"is_public": "on"})
    assert anonymous_client.get(reverse("guide:home")).status_code == 200

    staff_client.post(reverse("guide:settings"), {})
    assert anonymous_client.get(reverse("guide:home")).status_code == 302


def test_members_cannot_open_the_guide_to_the_public(member_client):
    response = member_client.post(reverse("guide:settings"), {"is_public": "on"})

    assert response.status_code == 403
    assert not GuideSettings.current().is_public


def test_guide_public_setting_gives_the_starting_choice(settings, db):
    settings.GUIDE_PUBLIC = True

    assert GuideSettings.current().is_public


def test_exchange_is_for_participants(member_client, outsider_client, stranger_client):
    assert member_client.get(reverse("guide:exchange")).status_code == 200
    assert outsider_client.get(reverse("guide:exchange")).status_code == 200
    assert stranger_client.get(reverse("guide:exchange")).status_code == 403
