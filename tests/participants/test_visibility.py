"""The visibility rules themselves: labels, numbering and suppression."""

import pytest

from participants.explorer import sector_summary
from participants.models import AnonymousLabel
from participants.shared_map import decoded, map_for
from participants.visibility import MIN_GROUP, RoundView, Viewer, suppressed
from tests.participants.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def test_anonymous_numbers_stay_the_same_for_every_viewer(world):
    bravo = world.organizations["bravo"].pk
    first = RoundView(world.round, Viewer.of(world.members["echo"])).label(bravo)

    second = RoundView(world.round, Viewer.of(world.members["delta"])).label(bravo)

    assert first == second
    assert AnonymousLabel.objects.filter(round=world.round).count() >= 1


def test_a_number_never_moves_when_other_organizations_are_numbered(world):
    view = RoundView(world.round, Viewer.of(world.members["echo"]))
    bravo, charlie = world.organizations["bravo"].pk, world.organizations["charlie"].pk
    before = view.number(bravo)

    view.prepare_labels([charlie])

    assert RoundView(world.round, Viewer()).number(bravo) == before
    assert view.number(charlie) != before


def test_member_sees_own_organization_by_name_whatever_its_choice(world):
    bravo = world.organizations["bravo"]

    view = RoundView(world.round, Viewer.of(world.members["bravo"]))

    assert view.label(bravo.pk) == bravo.name


def test_aggregates_under_five_organizations_are_suppressed():
    assert suppressed(MIN_GROUP - 1)
    assert not suppressed(MIN_GROUP)

    summary, _ = sector_summary(
        [{"sector": "Health", "partners": 2}] * 4
        + [{"sector": "Housing", "partners": 3}] * 5
    )

    assert summary[0] == {
        "sector": "Health",
        "organizations": None,
        "mean_partners": None,
    }
    assert summary[1]["organizations"] == 5


def test_measures_are_withheld_while_fewer_than_five_answered(world):
    blob, _etag = map_for(world.round, Viewer.of(world.members["echo"]))

    nodes, _ties = decoded(blob)
    assert all(node["betweenness"] is None for node in nodes)
    assert {node["position"] for node in nodes} == {"not_shown"}
