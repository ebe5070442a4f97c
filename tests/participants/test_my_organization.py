"""My organization: ego map, place, suggestions, and choosing the organization."""

import pytest
from django.urls import reverse

from surveys.models import Aspiration, Nomination, Response
from tests.factories import MembershipFactory
from tests.participants.test_visibility_matrix import client_for
from tests.participants.world import NAMES, build_world, read_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def page_url(world, key, **params):
    url = reverse("participants:my_organization", args=[world.organizations[key].pk])
    query = "&".join(
        f"{k}={v}" for k, v in {"round": world.round.slug, **params}.items()
    )
    return f"{url}?{query}"


def test_member_of_one_organization_goes_straight_to_it(world):
    client = client_for(world.members["alpha"])

    response = client.get(reverse("participants:my_home"))

    assert response["Location"] == reverse(
        "participants:my_organization", args=[world.organizations["alpha"].pk]
    )


def test_member_of_two_organizations_chooses(world):
    user = world.members["alpha"]
    MembershipFactory(user=user, organization=world.organizations["echo"])

    page = client_for(user).get(reverse("participants:my_home")).content.decode()

    assert NAMES["alpha"] in page and NAMES["echo"] in page


def test_distance_two_reaches_partners_of_partners(world):
    client = client_for(world.members["echo"])
    ego_url = reverse(
        "participants:ego_map_json", args=[world.organizations["echo"].pk]
    )

    near, _ = read_map(client.get(ego_url, {"round": world.round.slug}))
    far, _ = read_map(client.get(ego_url, {"round": world.round.slug, "distance": 2}))

    assert {n["label"] for n in near} == {NAMES["echo"], NAMES["alpha"]}
    assert NAMES["delta"] in {n["label"] for n in far}


def test_partner_marked_to_deepen_is_suggested(world):
    Nomination.objects.filter(
        respondent=world.organizations["echo"], partner=world.organizations["alpha"]
    ).update(collaboration_level="communication", wants_to_deepen=True)
    client = client_for(world.members["echo"])

    page = client.get(page_url(world, "echo")).content.decode()

    assert "Would like to deepen" in page


def test_mutual_wish_is_shown_only_when_both_listed_each_other(world):
    alpha, echo = world.organizations["alpha"], world.organizations["echo"]
    echo_response = Response.objects.get(organization=echo)
    Aspiration.objects.create(
        response=echo_response, organization=world.organizations["delta"]
    )
    client = client_for(world.members["echo"])

    assert (
        "They want to work with us too"
        not in client.get(page_url(world, "echo")).content.decode()
    )

    Aspiration.objects.create(
        response=Response.objects.get(organization=alpha), organization=echo
    )
    Aspiration.objects.create(response=echo_response, organization=alpha)
    page = client.get(page_url(world, "echo")).content.decode()

    assert "They want to work with us too" in page


def test_place_is_described_in_plain_words(world):
    client = client_for(world.members["alpha"])

    page = client.get(page_url(world, "alpha")).content.decode()

    assert "We work with" in page
    assert "Rankings appear once at least 5 organizations have answered" in page
