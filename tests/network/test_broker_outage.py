"""A submission survives a broker that refuses connections."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import logging

import pytest
from django.urls import reverse

from edn.celery import app as celery_app
from network.services import round_state
from tests.surveys.survey_setup import (  # noqa: F401
    open_round,
    response,
    step_url,
)

REFUSING_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def refusing_broker(monkeypatch):
    """Point the Celery app at a port where nothing listens, then restore it."""
    # Celery reads this variable before its own setting; CI sets it.
    monkeypatch.setenv("CELERY_BROKER_URL", REFUSING_BROKER)
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
    yield
    conf.update(saved)
    celery_app._pool, celery_app.amqp._producer_pool = pools


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_succeeds_while_the_broker_refuses_connections(
    refusing_broker, member_client, response, caplog
):
    caplog.set_level(logging.WARNING, logger="network.services")

    answer = member_client.post(
        step_url(response, "review"),
        {"version": response.version, "consent_to_participate": "on"},
    )

    assert answer.status_code == 302
    assert answer.url == reverse("surveys:survey_submitted", args=[response.pk])
    response.refresh_from_db()
    assert response.status == "submitted"
    state = round_state(response.round)
    assert state.generation == 1
    assert not state.is_queued, "the sweep and the next submission must queue it"
    assert f"round {response.round_id}: could not queue a rebuild" in caplog.text
    assert member_client.get(answer.url).status_code == 200
