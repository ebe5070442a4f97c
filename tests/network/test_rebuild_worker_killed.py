"""A worker killed mid-rebuild (kill -9): the CI worker takes over the round.

A second, short-lived worker listens on a queue of its own, so only it gets
the first rebuild; the test kills it while it holds the lease, ages the
lease, and lets the sweep queue the round for the CI worker.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from network.models import RoundNetworkState
from network.services import latest_snapshot, rebuild_round, round_state
from network.tasks import queue_stale_rebuilds, rebuild_round_network
from surveys.models import Nomination, Response
from tests.network.builders import roster_round
from tests.network.test_rebuild_worker import wait_until_settled

pytestmark = pytest.mark.worker

SIZE = 400


def worker_database_url():
    """Return a DATABASE_URL for the test database this process uses."""
    config = connection.settings_dict
    password = f":{quote(config['PASSWORD'])}" if config["PASSWORD"] else ""
    return (
        f"postgres://{quote(config['USER'])}{password}@{config['HOST']}:"
        f"{config['PORT'] or 5432}/{config['NAME']}?conn_max_age=0"
    )


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)


@pytest.fixture
def doomed_worker(tmp_path):
    """Start a worker on a queue of its own; return (queue, process)."""
    assert connection.vendor == "postgresql", "the worker needs a shared database"
    queue = f"edn-doomed-{os.getpid()}"
    log = tmp_path / "doomed-worker.log"
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_QUEUE": queue}
    command = [sys.executable, "-m", "celery", "-A", "edn", "worker", "--pool=solo"]
    command += ["--queues", queue, "--hostname", f"{queue}@%h", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=settings.BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: b"ready." in log.read_bytes() or process.poll() is not None,
            60,
            "the doomed worker did not start",
        )
        assert process.poll() is None, log.read_text()
        yield queue, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def add_responses(round, organizations):
    """Submit a response for each organization naming three others."""
    everyone = list(round.roster_entries.values_list("organization_id", flat=True))
    responses = Response.objects.bulk_create(
        Response(
            round=round,
            organization=organization,
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for organization in organizations
    )
    Nomination.objects.bulk_create(
        Nomination(
            response=response,
            respondent_id=response.organization_id,
            partner_id=everyone[(everyone.index(response.organization_id) + k) % SIZE],
        )
        for response in responses
        for k in (1, 7, 31)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_killed_with_its_worker_is_finished_by_another_worker(
    real_worker, doomed_worker, settings
):
    queue, process = doomed_worker
    settings.NETWORK_REBUILD_DELAY = 0
    round, organizations = roster_round(SIZE)
    add_responses(round, organizations[:-1])
    RoundNetworkState.objects.create(round=round, generation=1)
    rebuild_round(round.pk)
    first = latest_snapshot(round)
    add_responses(round, organizations[-1:])
    RoundNetworkState.objects.filter(round=round).update(generation=2)

    rebuild_round_network.apply_async((round.pk,), queue=queue)
    wait_for(
        lambda: round_state(round).lease != "", 60, "the doomed worker never began"
    )
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    state = round_state(round)
    assert state.is_running, "the rebuild finished before the worker was killed"
    assert state.built_generation == 1
    assert latest_snapshot(round) == first
    assert queue_stale_rebuilds() == []

    RoundNetworkState.objects.filter(round=round).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert queue_stale_rebuilds() == [round.pk]
    state = wait_until_settled(round)

    snapshot = latest_snapshot(round)
    assert snapshot.version > first.version
    assert snapshot.generation == state.generation == 2
    assert snapshot.responses_count == SIZE
    assert state.last_error == ""
