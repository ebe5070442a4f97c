"""Rebuilds coalesce on a real Celery worker (CI_WORKER=1, Redis, PostgreSQL).

The worker is another process: the test commits its submissions, and the
worker reads them from the test database CI points it at.
"""

import time

import pytest

from network.models import NetworkSnapshot
from network.services import latest_snapshot, round_state
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.worker


def wait_until_settled(round, timeout=120):
    """Wait until the round has no queued or running rebuild and is current."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = round_state(round)
        if state.is_current and not state.is_queued and not state.is_running:
            return state
        time.sleep(0.5)
    raise AssertionError(f"round {round.pk} did not settle: {round_state(round)}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_submissions_in_a_burst_cost_at_most_two_rebuilds(real_worker, settings):
    settings.NETWORK_REBUILD_DELAY = 3
    round, organizations = roster_round(21)

    started = time.monotonic()
    for source, target in zip(organizations, organizations[1:], strict=False):
        submit(round, source, [target])
    burst = time.monotonic() - started
    state = wait_until_settled(round)

    assert burst < 3, "the burst took longer than the rebuild delay"
    assert 1 <= state.rebuilds <= 2
    assert NetworkSnapshot.objects.filter(round=round, status="ready").count() <= 2
    snapshot = latest_snapshot(round)
    assert snapshot.responses_count == 20
    assert snapshot.ties_count == 20
    assert snapshot.generation == 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_during_a_rebuild_is_included_by_one_follow_up(
    real_worker, settings
):
    settings.NETWORK_REBUILD_DELAY = 0
    round, organizations = roster_round(12)

    for source, target in zip(organizations, organizations[1:], strict=False):
        submit(round, source, [target])
        time.sleep(0.05)
    state = wait_until_settled(round)

    snapshot = latest_snapshot(round)
    assert snapshot.responses_count == 11
    assert snapshot.generation == state.generation == 11
    assert state.last_error == ""
