"""Snapshots left building by a killed rebuild are marked failed, never shown.

A rebuild creates its snapshot as "building" and flips it to ready when it
finishes. When its worker dies in between, the row would stay building
forever; the periodic sweep and the next rebuild mark it failed once the
lease is stale, and leave a rebuild that still reports in alone.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from network import services
from network.models import (
    NetworkSnapshot,
    OrganizationMetrics,
    RoundNetworkState,
    SnapshotMap,
)
from network.services import latest_snapshot, rebuild_round, round_state
from network.tasks import discard_stale_snapshots, queue_stale_rebuilds
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db

BUILDING = NetworkSnapshot.Status.BUILDING
FAILED = NetworkSnapshot.Status.FAILED


class WorkerKilled(BaseException):
    """Stands for kill -9: no except Exception clause sees it."""


@pytest.fixture
def queue(monkeypatch):
    """Replace the broker with a list of queued round ids."""
    from network.tasks import rebuild_round_network

    queued = []

    def apply_async(args, countdown=None):
        queued.append(*args)

    monkeypatch.setattr(rebuild_round_network, "apply_async", apply_async)
    return queued


def stale(round):
    """Age the round's lease past its duration, as if the worker went silent."""
    RoundNetworkState.objects.filter(round=round).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )


def killed_rebuild(round, monkeypatch, *, force=False):
    """Run a rebuild that dies after storing its snapshot; return that snapshot."""
    store_maps = services.store_snapshot_maps

    def die(snapshot, shared):
        store_maps(snapshot, shared)
        raise WorkerKilled()

    monkeypatch.setattr(services, "store_snapshot_maps", die)
    with pytest.raises(WorkerKilled):
        rebuild_round(round.pk, force=force)
    monkeypatch.setattr(services, "store_snapshot_maps", store_maps)
    return NetworkSnapshot.objects.get(round=round, status=BUILDING)


def built_round():
    """Return a round with one ready snapshot, and its organizations."""
    round, organizations = roster_round(3)
    submit(round, organizations[0], [organizations[1]])
    assert rebuild_round(round.pk).status == "built"
    return round, organizations


def test_the_sweep_leaves_a_building_snapshot_alone_while_its_lease_is_live(
    queue, monkeypatch
):
    round, organizations = built_round()
    first = latest_snapshot(round)
    submit(round, organizations[1], [organizations[2]])
    abandoned = killed_rebuild(round, monkeypatch)

    assert queue_stale_rebuilds() == []
    assert discard_stale_snapshots() == {}

    abandoned.refresh_from_db()
    assert abandoned.status == BUILDING
    assert round_state(round).is_running
    assert latest_snapshot(round) == first


def test_the_sweep_marks_an_abandoned_snapshot_failed_once_its_lease_is_stale(
    queue, monkeypatch
):
    round, organizations = built_round()
    first = latest_snapshot(round)
    submit(round, organizations[1], [organizations[2]])
    abandoned = killed_rebuild(round, monkeypatch)
    assert OrganizationMetrics.objects.filter(snapshot=abandoned).exists()
    assert SnapshotMap.objects.filter(snapshot=abandoned).exists()
    stale(round)
    queue.clear()

    assert queue_stale_rebuilds() == [round.pk]

    abandoned.refresh_from_db()
    assert abandoned.status == FAILED
    assert "stopped before it finished" in abandoned.error
    assert bytes(abandoned.payload) == b""
    assert not OrganizationMetrics.objects.filter(snapshot=abandoned).exists()
    assert not SnapshotMap.objects.filter(snapshot=abandoned).exists()
    state = round_state(round)
    assert not state.is_running and state.lease == ""
    assert latest_snapshot(round) == first
    # The queued rebuild then brings the round up to date.
    assert rebuild_round(round.pk).status == "built"
    assert latest_snapshot(round).responses_count == 2
    assert not NetworkSnapshot.objects.filter(round=round, status=BUILDING).exists()


def test_the_sweep_cleans_up_a_round_that_needs_no_rebuild(queue, monkeypatch):
    """A forced rebuild of a current round, killed: nothing would rebuild it."""
    round, _ = built_round()
    abandoned = killed_rebuild(round, monkeypatch, force=True)
    stale(round)

    assert queue_stale_rebuilds() == []

    abandoned.refresh_from_db()
    assert abandoned.status == FAILED
    assert not round_state(round).is_running
    assert NetworkSnapshot.objects.filter(round=round, status=BUILDING).count() == 0


def test_the_next_rebuild_marks_the_abandoned_snapshot_failed(queue, monkeypatch):
    round, organizations = built_round()
    submit(round, organizations[1], [organizations[2]])
    abandoned = killed_rebuild(round, monkeypatch)
    stale(round)

    outcome = rebuild_round(round.pk)

    assert outcome.status == "built"
    abandoned.refresh_from_db()
    assert abandoned.status == FAILED
    assert latest_snapshot(round) == outcome.snapshot
    assert outcome.snapshot.version > abandoned.version


def test_a_sweep_during_a_running_rebuild_does_not_touch_it(queue, monkeypatch):
    round, organizations = built_round()
    submit(round, organizations[1], [organizations[2]])
    store_maps = services.store_snapshot_maps
    seen = []

    def sweep_midway(snapshot, shared):
        seen.append(discard_stale_snapshots())
        seen.append(queue_stale_rebuilds())
        store_maps(snapshot, shared)

    monkeypatch.setattr(services, "store_snapshot_maps", sweep_midway)

    outcome = rebuild_round(round.pk)

    assert seen == [{}, []]
    assert outcome.status == "built"
    outcome.snapshot.refresh_from_db()
    assert outcome.snapshot.status == NetworkSnapshot.Status.READY
    assert latest_snapshot(round) == outcome.snapshot


def test_a_rebuild_that_went_silent_past_its_lease_cannot_publish(queue, monkeypatch):
    """It stalled, the sweep gave its snapshot up; waking late, it must not win."""
    round, organizations = built_round()
    first = latest_snapshot(round)
    submit(round, organizations[1], [organizations[2]])
    store_maps = services.store_snapshot_maps
    discarded = []

    def stall(snapshot, shared):
        store_maps(snapshot, shared)
        stale(round)
        discarded.append(discard_stale_snapshots())

    monkeypatch.setattr(services, "store_snapshot_maps", stall)

    with pytest.raises(RuntimeError, match="lease was taken over"):
        rebuild_round(round.pk)

    (snapshot_ids,) = discarded[0].values()
    snapshot = NetworkSnapshot.objects.get(pk=snapshot_ids[0])
    assert snapshot.status == FAILED
    assert latest_snapshot(round) == first
    assert not round_state(round).is_current
