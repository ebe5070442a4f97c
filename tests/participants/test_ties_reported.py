"""Ties others reported: listed as far as reporters allow; confirm or dispute."""

import pytest
from django.urls import reverse

from network.models import RoundNetworkState
from participants.models import TieReview
from participants.visibility import RoundView, Viewer
from surveys.models import Nomination, Response
from tests.participants.test_visibility_matrix import client_for
from tests.participants.world import NAMES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def ties_url(world, key):
    url = reverse("participants:ties_reported", args=[world.organizations[key].pk])
    return f"{url}?round={world.round.slug}"


def public_id(world, viewer, key):
    view = RoundView(world.round, Viewer.of(world.members[viewer]))
    return view.public_id(world.organizations[key].pk)


def test_staff_only_reporter_is_not_listed(world):
    client = client_for(world.members["alpha"])

    page = client.get(ties_url(world, "alpha")).content.decode()

    assert NAMES["echo"] in page
    assert NAMES["charlie"] not in page
    assert "Health organization" in page  # Bravo, anonymous.


def test_confirming_adds_our_nomination_and_marks_the_round_dirty(world):
    client = client_for(world.members["alpha"])
    before = RoundNetworkState.objects.get(round=world.round).generation

    response = client.post(
        ties_url(world, "alpha"),
        {
            "reporter": public_id(world, "alpha", "echo"),
            "verdict": "confirmed",
            "level": "collaboration",
        },
    )

    assert response.status_code == 302
    nomination = Nomination.objects.get(
        respondent=world.organizations["alpha"], partner=world.organizations["echo"]
    )
    assert nomination.collaboration_level == "collaboration"
    assert RoundNetworkState.objects.get(round=world.round).generation == before + 1
    ours = Response.objects.get(
        round=world.round, organization=world.organizations["alpha"]
    )
    assert not ours.has_unsubmitted_changes


def test_confirming_without_an_answer_saves_it_in_a_draft(world):
    client = client_for(world.members["delta"])

    client.post(
        ties_url(world, "delta"),
        {"reporter": public_id(world, "delta", "alpha"), "verdict": "confirmed"},
    )

    draft = Response.objects.get(
        round=world.round, organization=world.organizations["delta"]
    )
    assert draft.status == Response.Status.DRAFT
    assert draft.nominations.get().partner == world.organizations["alpha"]


def test_disputing_leaves_the_reporters_answer_alone(world):
    client = client_for(world.members["alpha"])

    client.post(
        ties_url(world, "alpha"),
        {
            "reporter": public_id(world, "alpha", "echo"),
            "verdict": "disputed",
            "note": "We met once.",
        },
    )

    review = TieReview.objects.get(organization=world.organizations["alpha"])
    assert review.verdict == "disputed"
    assert Nomination.objects.filter(
        respondent=world.organizations["echo"], partner=world.organizations["alpha"]
    ).exists()
    assert not Nomination.objects.filter(
        respondent=world.organizations["alpha"], partner=world.organizations["echo"]
    ).exists()


def test_a_guessed_reporter_id_changes_nothing(world):
    client = client_for(world.members["alpha"])
    charlie = world.organizations["charlie"]

    for guess in [str(charlie.pk), "a999", "x"]:
        response = client.post(
            ties_url(world, "alpha"), {"reporter": guess, "verdict": "confirmed"}
        )
        assert response.status_code == 200
        assert "not one reported about you" in response.content.decode()
    assert not TieReview.objects.exists()
    assert not Nomination.objects.filter(
        respondent=world.organizations["alpha"], partner=charlie
    ).exists()
