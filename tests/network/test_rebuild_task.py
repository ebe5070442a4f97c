"""Rebuilds coalesce: tested in process with a queue the test drains itself."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from network import engine, tasks
from network.models import NetworkSnapshot, RoundNetworkState
from network.services import latest_snapshot, mark_round_dirty, round_state
from network.tasks import rebuild_round_network
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch, settings):
    """Replace the broker with a list of queued round ids."""
    queued = []

    def apply_async(args, countdown=None):
        assert countdown == settings.NETWORK_REBUILD_DELAY
        queued.append(*args)

    monkeypatch.setattr(rebuild_round_network, "apply_async", apply_async)
    return queued


@pytest.fixture
def drain(queue):
    """Run queued rebuilds until none is left; return their outcomes."""

    def run():
        outcomes = []
        while queue:
            outcomes.append(rebuild_round_network(queue.pop(0)))
        return outcomes

    return run


def burst(round, organizations):
    """Submit one response per organization, each naming the next one."""
    for source, target in zip(organizations, organizations[1:], strict=False):
        submit(round, source, [target])


# Transactions really commit in these tests, so on_commit callbacks run when
# they would in production: after the submission, after the rebuild.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committing
def test_twenty_submissions_in_a_burst_cost_one_rebuild(queue, drain):
    round, organizations = roster_round(21)

    burst(round, organizations)

    assert queue == [round.pk]
    assert drain() == ["built"]
    assert round_state(round).rebuilds == 1
    assert latest_snapshot(round).responses_count == 20
    assert latest_snapshot(round).ties_count == 20


@committing
def test_submissions_during_a_rebuild_cause_exactly_one_follow_up(
    queue, drain, monkeypatch
):
    round, organizations = roster_round(26)
    burst(round, organizations[:11])
    compute = engine.compute_network
    busy = []

    def with_late_submissions(*args, **kwargs):
        if not busy:
            burst(round, organizations[10:])
            # Another worker picks up the queued rebuild while this one runs.
            busy.append(rebuild_round_network(queue.pop(0)))
        return compute(*args, **kwargs)

    monkeypatch.setattr(engine, "compute_network", with_late_submissions)
    outcomes = drain()

    assert busy == ["busy"]
    assert outcomes == ["built", "built"]
    assert round_state(round).rebuilds == 2
    assert latest_snapshot(round).responses_count == 25
    assert round_state(round).is_current


@committing
def test_a_rebuild_queued_during_another_runs_after_it_and_includes_everything(
    queue, drain, monkeypatch
):
    round, organizations = roster_round(21)
    burst(round, organizations[:6])
    compute = engine.compute_network
    late = []

    def with_late_submissions(*args, **kwargs):
        if not late:
            late.append(True)
            burst(round, organizations[5:])
        return compute(*args, **kwargs)

    monkeypatch.setattr(engine, "compute_network", with_late_submissions)
    outcomes = drain()

    assert outcomes == ["built", "built"]
    assert latest_snapshot(round).responses_count == 20
    assert NetworkSnapshot.objects.filter(round=round).count() == 2


@committing
def test_a_rebuild_is_skipped_when_the_snapshot_is_current(queue, drain):
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    queue.append(round.pk)
    drain()

    assert rebuild_round_network(round.pk) == "current"
    assert NetworkSnapshot.objects.filter(round=round).count() == 1


def test_only_one_rebuild_runs_per_round(queue):
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    RoundNetworkState.objects.filter(round=round).update(
        running_since=timezone.now(), heartbeat_at=timezone.now(), lease="other"
    )

    assert rebuild_round_network(round.pk) == "busy"
    assert not NetworkSnapshot.objects.filter(round=round).exists()


def test_a_stale_lease_is_taken_over(queue):
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    long_ago = timezone.now() - timedelta(hours=2)
    RoundNetworkState.objects.filter(round=round).update(
        running_since=long_ago, heartbeat_at=long_ago, lease="dead worker"
    )

    assert rebuild_round_network(round.pk) == "built"
    assert not round_state(round).is_running


def test_a_missing_round_is_logged_and_skipped(caplog):
    assert rebuild_round_network(987654) == "missing"
    assert "round 987654 does not exist" in caplog.text


def test_a_failing_rebuild_is_recorded_and_returns(queue, monkeypatch, caplog):
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    monkeypatch.setattr(engine, "compute_network", _raise(ValueError("bad level")))

    assert rebuild_round_network(round.pk) == "failed"

    state = round_state(round)
    assert "bad level" in state.last_error
    assert state.last_error_at is not None
    assert not state.is_running
    assert latest_snapshot(round) is None
    assert f"round {round.pk} rebuild failed" in caplog.text


def test_a_database_outage_is_raised_for_celery_to_retry(queue, monkeypatch):
    round, (a, b) = roster_round(2)
    submit(round, a, [b])
    monkeypatch.setattr(
        engine, "compute_network", _raise(OperationalError("server closed"))
    )

    with pytest.raises(OperationalError):
        rebuild_round_network(round.pk)

    assert "server closed" in round_state(round).last_error
    assert not round_state(round).is_running


def test_the_task_retries_database_errors_late_acked():
    assert rebuild_round_network.acks_late
    assert OperationalError in rebuild_round_network.autoretry_for
    assert rebuild_round_network.max_retries > 0


def test_a_submission_queues_nothing_until_it_commits(
    queue, django_capture_on_commit_callbacks
):
    round, (a, b) = roster_round(2)

    with django_capture_on_commit_callbacks() as callbacks:
        submit(round, a, [b])

    assert queue == []
    assert len(callbacks) == 1
    assert round_state(round).generation == 1


def test_a_queue_lost_long_ago_is_queued_again(queue):
    round, (a, b) = roster_round(2)
    mark = timezone.now() - timedelta(hours=2)
    RoundNetworkState.objects.create(round=round, queued_at=mark)

    state = mark_round_dirty(round)

    assert state.queued_at > mark


def test_in_eager_mode_a_submission_rebuilds_after_commit(
    django_capture_on_commit_callbacks,
):
    round, (a, b) = roster_round(2)

    with django_capture_on_commit_callbacks(execute=True):
        submit(round, a, [b])

    assert latest_snapshot(round).responses_count == 1
    assert round_state(round).is_current


def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def test_tasks_module_names_the_task_as_a_verb():
    assert tasks.rebuild_round_network.name == "network.tasks.rebuild_round_network"
