"""A submission survives a broker that refuses connections.

The submission is stored and the respondent sees success; the round stays
out of date in the database, and once the broker answers again the sweep
queues the rebuild and a real worker maps the submission.
"""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import logging
from contextlib import contextmanager

import pytest
from django.urls import reverse

from edn.celery import app as celery_app
from network.services import latest_snapshot, round_state
from network.tasks import queue_stale_rebuilds
from tests.network.test_rebuild_worker import wait_until_settled
from tests.surveys.survey_setup import (  # noqa: F401
    open_round,
    response,
    step_url,
)

REFUSING_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def refusing_broker(monkeypatch):
    with broker_refusing_connections(monkeypatch):
        yield


@contextmanager
def broker_refusing_connections(monkeypatch):
    """Point the Celery app at a port where nothing listens, then restore it."""
    with monkeypatch.context() as patch:
        # Celery reads this variable before its own setting; CI sets it.
        patch.setenv("CELERY_BROKER_URL", REFUSING_BROKER)
        with celery_app_refusing_connections():
            yield


@contextmanager
def celery_app_refusing_connections():
    conf = celery_app.conf
    overrides = {
        "broker_url": REFUSING_BROKER,
        "broker_read_url": None,
        "broker_write_url": None,
        "task_always_eager": False,
        "broker_connection_retry": False,
        "broker_connection_max_retries": 0,
        "broker_connection_timeout": 1,
        "task_publish_retry": False,
        "broker_transport_options": {"socket_connect_timeout": 1},
    }
    saved = {key: conf[key] for key in overrides}
    pools = celery_app._pool, celery_app.amqp._producer_pool
    conf.update(overrides)
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.update(saved)
        celery_app._pool, celery_app.amqp._producer_pool = pools


def submit(client, response):
    return client.post(
        step_url(response, "review"),
        {"version": response.version, "consent_to_participate": "on"},
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_succeeds_while_the_broker_refuses_connections(
    refusing_broker, member_client, response, caplog
):
    caplog.set_level(logging.WARNING, logger="network.services")

    answer = submit(member_client, response)

    assert answer.status_code == 302
    assert answer.url == reverse("surveys:survey_submitted", args=[response.pk])
    response.refresh_from_db()
    assert response.status == "submitted"
    state = round_state(response.round)
    assert state.generation == 1
    assert not state.is_queued, "the sweep and the next submission must queue it"
    assert f"round {response.round_id}: could not queue a rebuild" in caplog.text
    assert member_client.get(answer.url).status_code == 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_once_the_broker_is_back_the_sweep_gets_the_submission_mapped(
    real_worker, monkeypatch, settings, member_client, response
):
    settings.NETWORK_REBUILD_DELAY = 1
    with broker_refusing_connections(monkeypatch):
        answer = submit(member_client, response)
    assert answer.status_code == 302
    assert latest_snapshot(response.round) is None
    assert not round_state(response.round).is_current

    assert queue_stale_rebuilds() == [response.round_id]
    state = wait_until_settled(response.round, timeout=60)

    assert state.built_generation == state.generation == 1
    assert latest_snapshot(response.round).responses_count == 1
