import gzip
import json

import pytest

from network import engine, snapshots
from network.models import NetworkSnapshot, OrganizationMetrics
from network.services import (
    latest_snapshot,
    load_round_rows,
    rebuild_round,
    round_state,
)
from tests.factories import OrganizationFactory
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_round():
    round, (a, b, c, d, e) = roster_round(5)
    outside = OrganizationFactory(name="Lakeside Legal Aid")
    submit(round, a, [b, c], collaboration_level="collaboration")
    submit(round, b, [a, outside], sends_referrals=True)
    submit(round, c, [d], write_ins=["Hilltop Food Pantry"])
    return round, [a, b, c, d, e, outside]


def test_graph_holds_roster_named_organizations_and_write_ins(small_round):
    round, (a, b, c, d, e, outside) = small_round

    organizations, nominations = load_round_rows(round)

    rows = {row.id: row for row in organizations}
    assert set(rows) == {
        a.pk,
        b.pk,
        c.pk,
        d.pk,
        e.pk,
        outside.pk,
        "write-in:hilltop food pantry",
    }
    assert rows[a.pk].responded and not rows[d.pk].responded
    assert rows[e.pk].on_roster and not rows[outside.pk].on_roster
    assert rows["write-in:hilltop food pantry"].name == "Hilltop Food Pantry"
    assert len(nominations) == 6


def test_draft_responses_are_left_out_of_the_graph(small_round):
    round, (a, b, c, d, e, outside) = small_round
    from tests.factories import NominationFactory, ResponseFactory

    draft = ResponseFactory(round=round, organization=e)
    NominationFactory(response=draft, partner=d)

    organizations, nominations = load_round_rows(round)

    assert len(nominations) == 6
    assert not {row.id: row for row in organizations}[e.pk].responded


def test_rebuild_stores_a_ready_snapshot_with_metrics_ties_and_payload(small_round):
    round, (a, b, c, d, e, outside) = small_round

    snapshot = rebuild_round(round.pk, force=True).snapshot

    assert latest_snapshot(round) == snapshot
    assert snapshot.status == NetworkSnapshot.Status.READY
    assert snapshot.organizations_count == 7
    assert snapshot.ties_count == 5
    assert snapshot.responses_count == 3
    assert snapshot.generation == 3
    assert {"reconstructed", "respondents", "mixing"} <= set(snapshot.figures)
    assert {"load", "compute", "store"} <= set(snapshot.timings)
    metrics = {m.node_id: m for m in snapshot.metrics.all()}
    assert metrics[a.pk].out_degree == 2
    assert metrics[a.pk].in_degree == 1
    assert metrics[a.pk].responded
    assert metrics["write-in:hilltop food pantry"].organization is None
    assert set(metrics[b.pk].brokerage)
    payload = json.loads(gzip.decompress(bytes(snapshot.payload)))
    assert len(payload["nodes"]) == 7
    assert {"id", "name", "sector", "services", "x", "y", "betweenness"} <= set(
        payload["nodes"][0]
    )
    assert payload["tie_columns"][:3] == ["source", "target", "confirmed"]
    confirmed = [t for t in snapshot.ties if t["confirmed"]]
    assert [(t["source"], t["target"]) for t in confirmed] == [(a.pk, b.pk)]


def test_readers_see_the_previous_snapshot_while_a_new_one_is_written(
    small_round, monkeypatch
):
    round, (a, b, *others) = small_round
    first = rebuild_round(round.pk, force=True).snapshot
    seen = []
    write_metrics = snapshots.write_metrics

    def watching(snapshot, organizations, result):
        write_metrics(snapshot, organizations, result)
        seen.append((latest_snapshot(round), snapshot.status))

    monkeypatch.setattr(snapshots, "write_metrics", watching)
    second = rebuild_round(round.pk, force=True).snapshot

    assert seen == [(first, NetworkSnapshot.Status.BUILDING)]
    assert latest_snapshot(round) == second
    assert second.version == first.version + 1
    assert NetworkSnapshot.objects.filter(round=round).count() == 2


def test_failed_rebuild_keeps_the_previous_snapshot_and_records_the_error(
    small_round, monkeypatch
):
    round, _ = small_round
    first = rebuild_round(round.pk, force=True).snapshot

    def broken(*args, **kwargs):
        raise RuntimeError("layout diverged")

    monkeypatch.setattr(snapshots, "write_metrics", broken)
    with pytest.raises(RuntimeError):
        rebuild_round(round.pk, force=True)

    assert latest_snapshot(round) == first
    assert list(NetworkSnapshot.objects.filter(round=round)) == [first]
    assert OrganizationMetrics.objects.filter(snapshot__round=round).count() == 7
    state = round_state(round)
    assert "layout diverged" in state.last_error
    assert state.last_error_at is not None
    assert not state.is_running
    assert state.stage == "failed"


def test_a_successful_rebuild_clears_the_recorded_error(small_round, monkeypatch):
    round, _ = small_round
    monkeypatch.setattr(engine, "compute_network", _raise)
    with pytest.raises(RuntimeError):
        rebuild_round(round.pk, force=True)
    monkeypatch.undo()

    rebuild_round(round.pk, force=True)

    state = round_state(round)
    assert state.last_error == ""
    assert state.stage == "done"
    assert state.percent == 100


def _raise(*args, **kwargs):
    raise RuntimeError("boom")


def test_layout_starts_from_the_previous_snapshots_positions(small_round, monkeypatch):
    round, (a, *others) = small_round
    first = rebuild_round(round.pk, force=True).snapshot
    given = {}
    compute = engine.compute_network

    def recording(organizations, nominations, previous=None, **kwargs):
        given.update(previous or {})
        return compute(organizations, nominations, previous, **kwargs)

    monkeypatch.setattr(engine, "compute_network", recording)
    rebuild_round(round.pk, force=True)

    mine = first.metrics.get(organization=a)
    assert given[a.pk] == (mine.x, mine.y)
    assert "write-in:hilltop food pantry" in given


def test_progress_is_stored_on_the_round_while_building(small_round, monkeypatch):
    round, _ = small_round
    stages = []
    compute = engine.compute_network

    def recording(*args, progress=None, **kwargs):
        def report(stage, percent):
            progress(stage, percent)
            state = round_state(round)
            stages.append((state.stage, state.percent, state.is_running))

        return compute(*args, progress=report, **kwargs)

    monkeypatch.setattr(engine, "compute_network", recording)
    rebuild_round(round.pk, force=True)

    assert ("betweenness", 45, True) in stages
    assert stages[-1][1] == 100


def test_metrics_rows_are_written_in_batches(monkeypatch):
    round, organizations = roster_round(30)
    for source, target in zip(organizations, organizations[1:], strict=False):
        submit(round, source, [target])
    monkeypatch.setattr(snapshots, "BATCH_SIZE", 7)

    snapshot = rebuild_round(round.pk, force=True).snapshot

    assert OrganizationMetrics.objects.filter(snapshot=snapshot).count() == 30
    assert snapshot.ties_count == 29


def test_not_a_number_is_stored_as_nothing():
    assert snapshots.plain({"a": float("nan"), "b": [float("inf"), 1]}) == {
        "a": None,
        "b": [None, 1],
    }
