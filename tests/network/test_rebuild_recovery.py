"""Lost rebuild messages and killed workers: the sweep queues the round again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network import services
from network.models import NetworkSnapshot, RoundNetworkState
from network.services import latest_snapshot, round_state
from network.tasks import queue_stale_rebuilds, rebuild_round_network
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch):
    """Replace the broker with a list of queued round ids."""
    queued = []

    def apply_async(args, countdown=None):
        queued.append(*args)

    monkeypatch.setattr(rebuild_round_network, "apply_async", apply_async)
    return queued


def drain(queue):
    """Run the queued rebuilds; return their outcomes."""
    outcomes = []
    while queue:
        outcomes.append(rebuild_round_network(queue.pop(0)))
    return outcomes


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def dirty_round(**state):
    """Return a round with one submission and the given rebuild state."""
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    RoundNetworkState.objects.filter(round=round).update(**state)
    return round


committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committing
def test_a_dirty_round_with_nothing_queued_is_queued_once(queue):
    round = dirty_round(queued_at=None)
    queue.clear()

    assert queue_stale_rebuilds() == [round.pk]
    assert queue_stale_rebuilds() == []
    assert queue == [round.pk]
    assert round_state(round).is_queued


@committing
def test_a_queued_mark_older_than_a_few_minutes_is_queued_again(queue, settings):
    round = dirty_round(queued_at=ago(minutes=6))
    queue.clear()
    settings.NETWORK_REBUILD_REQUEUE_SECONDS = 300

    assert queue_stale_rebuilds() == [round.pk]
    assert queue == [round.pk]
    assert drain(queue) == ["built"]
    assert round_state(round).is_current


def test_a_round_with_a_fresh_queued_mark_is_left_alone(queue):
    dirty_round(queued_at=ago(seconds=30))

    assert queue_stale_rebuilds() == []


def test_a_round_with_a_live_lease_is_left_alone(queue):
    dirty_round(
        queued_at=None,
        running_since=ago(minutes=20),
        heartbeat_at=ago(seconds=10),
        lease="alive",
    )

    assert queue_stale_rebuilds() == []


def test_a_round_with_a_stale_lease_is_queued(queue):
    round = dirty_round(
        queued_at=None,
        running_since=ago(hours=2),
        heartbeat_at=ago(hours=2),
        lease="gone",
    )

    assert queue_stale_rebuilds() == [round.pk]


def test_a_current_round_is_left_alone(queue):
    round = dirty_round(queued_at=None)
    drain([round.pk])
    assert round_state(round).is_current

    assert queue_stale_rebuilds() == []


class WorkerKilled(BaseException):
    """Stands for kill -9: no except Exception clause sees it."""


def _killed(*args, **kwargs):
    raise WorkerKilled()


@committing
def test_a_rebuild_whose_worker_vanished_is_taken_over_after_the_lease_expires(
    queue, monkeypatch
):
    round, organizations = roster_round(3)
    submit(round, organizations[0], [organizations[1]])
    assert drain(queue) == ["built"]
    first = latest_snapshot(round)
    submit(round, organizations[1], [organizations[2]])
    queue.clear()  # the broker handed the message to the worker that dies
    store_maps = services.store_snapshot_maps
    monkeypatch.setattr(services, "store_snapshot_maps", _killed)

    with pytest.raises(WorkerKilled):
        rebuild_round_network(round.pk)

    monkeypatch.setattr(services, "store_snapshot_maps", store_maps)
    state = round_state(round)
    assert state.is_running and not state.is_current
    assert NetworkSnapshot.objects.filter(round=round, status="building").exists()
    assert latest_snapshot(round) == first
    # The redelivered message finds the lease held and gives way.
    assert rebuild_round_network(round.pk) == "busy"
    assert queue_stale_rebuilds() == []
    assert latest_snapshot(round) == first

    RoundNetworkState.objects.filter(round=round).update(heartbeat_at=ago(hours=1))
    assert queue_stale_rebuilds() == [round.pk]
    assert drain(queue) == ["built"]

    snapshot = latest_snapshot(round)
    assert snapshot.version > first.version
    assert snapshot.responses_count == 2
    assert round_state(round).is_current
    assert not round_state(round).is_running


def test_the_rebuild_task_is_acked_late_and_requeued_when_its_worker_is_lost():
    assert rebuild_round_network.acks_late
    assert rebuild_round_network.reject_on_worker_lost


def test_the_sweep_runs_every_minute_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["queue-stale-rebuilds"]

    assert entry["task"] == queue_stale_rebuilds.name
    assert entry["schedule"] == 60
