"""The participants' map: stored at rebuild, overlaid per viewer, laid out
without the ties participants may not see."""

import gzip
import json

import pytest
from django.urls import reverse

from network.engine import NominationRow, OrganizationRow
from network.models import SnapshotMap
from network.services import latest_snapshot, rebuild_round
from network.shared_network import shared_network
from tests.participants.test_visibility_matrix import client_for
from tests.participants.world import NAMES, build_world, read_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def explorer_json(world):
    return reverse("participants:explorer_json", args=[world.round.slug])


def ego_json(world, key, distance=1):
    url = reverse("participants:ego_map_json", args=[world.organizations[key].pk])
    return f"{url}?round={world.round.slug}&distance={distance}"


def refuse(*args, **kwargs):
    pytest.fail("a map was built or laid out in a request")


@pytest.fixture
def nothing_is_built(monkeypatch):
    for name in ("participants.shared_map.map_parts", "network.layout.map_layout"):
        monkeypatch.setattr(name, refuse)
    monkeypatch.setattr("network.shared_network.map_layout", refuse)
    monkeypatch.setattr("participants.shared_map.gzip_payload", refuse)


def test_the_shared_layout_ignores_reports_participants_may_not_see():
    rows = [OrganizationRow(pk, f"O{pk}", "Health") for pk in range(1, 9)]
    shown = [NominationRow(1, 2), NominationRow(2, 3), NominationRow(3, 4)]
    shown += [NominationRow(5, 6), NominationRow(6, 7), NominationRow(7, 1)]
    hidden = [NominationRow(8, 1), NominationRow(8, 5), NominationRow(8, 3)]
    shares = {1, 2, 3, 5, 6, 7}

    with_hidden = shared_network(rows, shown + hidden, shares)
    without = shared_network(rows, shown, shares)

    assert with_hidden.organizations == without.organizations
    assert len(with_hidden.ties) == len(shown)


def test_the_rebuild_stores_a_participant_layout_and_keeps_it_steady(world):
    snapshot = latest_snapshot(world.round)
    charlie = world.organizations["charlie"].pk
    rows = {
        pk: (x, y)
        for pk, x, y in snapshot.metrics.values_list(
            "organization_id", "participant_x", "participant_y"
        )
    }
    foxtrot = world.organizations["foxtrot"].pk

    rebuild_round(world.round.pk, force=True)

    again = latest_snapshot(world.round).metrics.values_list(
        "organization_id", "participant_x", "participant_y"
    )
    assert rows[charlie] == (None, None) and rows[foxtrot] == (None, None)
    for pk, x, y in again:
        if rows[pk][0] is not None:
            assert x == pytest.approx(rows[pk][0], abs=0.05)
            assert y == pytest.approx(rows[pk][1], abs=0.05)


def test_named_member_gets_the_stored_bytes(world, nothing_is_built):
    client = client_for(world.members["echo"])
    stored = SnapshotMap.objects.get(
        snapshot=latest_snapshot(world.round), audience="participants", language="en"
    )

    response = client.get(explorer_json(world), HTTP_ACCEPT_ENCODING="gzip")

    assert response.content == bytes(stored.payload)
    again = client.get(explorer_json(world), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_overlay_reads_stored_rows_and_lays_nothing_out(world, monkeypatch):
    monkeypatch.setattr("network.shared_network.map_layout", refuse)
    monkeypatch.setattr("network.layout.map_layout", refuse)
    monkeypatch.setattr("network.measures.betweenness", refuse)
    client = client_for(world.members["charlie"])

    nodes, ties = read_map(client.get(explorer_json(world)))

    assert NAMES["charlie"] in {n["label"] for n in nodes}


def test_staff_only_member_sees_its_own_name_and_reports_on_the_shared_map(world):
    client = client_for(world.members["charlie"])
    charlie = str(world.organizations["charlie"].pk)

    nodes, ties = read_map(client.get(explorer_json(world)))

    labels = {n["id"]: n["label"] for n in nodes}
    assert labels[charlie] == NAMES["charlie"]
    mine = [t for t in ties if charlie in (t["source"], t["target"])]
    assert len(mine) == 2
    others = read_map(client_for(world.members["echo"]).get(explorer_json(world)))
    assert NAMES["charlie"] not in {n["label"] for n in others[0]}
    assert len(others[1]) == len(ties) - 2


def test_anonymous_member_sees_its_own_name_and_others_do_not(world):
    bravo = world.organizations["bravo"].pk

    own, _ = read_map(client_for(world.members["bravo"]).get(explorer_json(world)))
    seen, _ = read_map(client_for(world.members["alpha"]).get(explorer_json(world)))

    assert {n["id"]: n["label"] for n in own}[str(bravo)] == NAMES["bravo"]
    assert NAMES["bravo"] not in {n["label"] for n in seen}


def test_ego_map_opens_on_the_organization_within_its_distance(world):
    client = client_for(world.members["alpha"])
    alpha = str(world.organizations["alpha"].pk)

    near = client.get(ego_json(world, "alpha")).json()
    far = client.get(ego_json(world, "alpha", distance=2)).json()

    assert near["focus"] == alpha
    assert len(near["nodes"]) == 4  # Alpha, Bravo, Delta and Echo.
    assert len(far["nodes"]) >= len(near["nodes"])
    assert NAMES["charlie"] not in json.dumps(far)


def test_the_shared_map_has_no_contacts_free_text_or_write_ins(world):
    stored = SnapshotMap.objects.filter(
        snapshot=latest_snapshot(world.round), audience="participants"
    )

    for map_ in stored:
        text = gzip.decompress(bytes(map_.payload)).decode()
        assert "@" not in text and "secret-practice" not in text
        assert NAMES["charlie"] not in text and NAMES["bravo"] not in text
        assert NAMES["foxtrot"] not in text
