"""An autosave whose database connection drops: 503 to retry, nothing half-written.

The middleware tests run on any database. The others kill the Django
connection's PostgreSQL backend with pg_terminate_backend from a second
connection, before an autosave or in the middle of its transaction, so they
run only on PostgreSQL (as CI does).
"""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import json
import logging
import time

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import RequestFactory

from edn.middleware import DatabaseUnavailableMiddleware
from surveys.models import Nomination, Response
from tests.factories import NominationFactory
from tests.surveys.survey_setup import (  # noqa: F401
    autosave,
    open_round,
    response,
    step_url,
)

# pg_terminate_backend needs PostgreSQL; elsewhere these are deselected.
on_postgresql = pytest.mark.postgresql


def middleware_answer(request, error):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    return middleware.process_exception(request, error)


def test_a_lost_connection_in_an_autosave_answers_503_to_retry(caplog):
    request = RequestFactory().post(
        "/survey/1/organization/", {}, headers={"X-EDN-Autosave": "1"}
    )

    with caplog.at_level(logging.WARNING, logger="edn.middleware"):
        answer = middleware_answer(request, OperationalError("server closed"))

    assert answer.status_code == 503
    assert answer["Retry-After"] == "2"
    body = json.loads(answer.content)
    assert body["retry"] is True
    assert "not saved yet" in body["error"]
    assert "database unavailable during POST /survey/1/organization/" in caplog.text


def test_pages_and_other_errors_keep_the_ordinary_server_error():
    page = RequestFactory().post("/survey/1/organization/", {})
    save = RequestFactory().post(
        "/survey/1/organization/", {}, headers={"X-EDN-Autosave": "1"}
    )

    assert middleware_answer(page, OperationalError("server closed")) is None
    assert middleware_answer(save, ValueError("a bug")) is None


def other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


def terminate(pid):
    """End a backend from a second connection and wait until it is gone."""
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            alive = other.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
            if not alive:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} is still there")


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def details(nomination, level, version):
    prefix = f"n{nomination.pk}-"
    return {
        "version": version,
        prefix + "collaboration_level": level,
        prefix + "data_sharing": "aggregate",
        prefix + "data_agreement": "none",
        prefix + "sends_referrals": "on",
    }


@pytest.fixture
def nomination(response):
    return NominationFactory(response=response)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connection_killed_mid_save_changes_nothing_and_the_retry_saves(
    member_client, response, nomination
):
    url = step_url(response, "partner-details")
    pid = backend_pid()
    killed = []

    def kill_before_the_nomination_update(execute, sql, params, many, context):
        # The version is already raised in this transaction by now.
        if sql.startswith('UPDATE "surveys_nomination"') and not killed:
            killed.append(sql)
            terminate(pid)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(kill_before_the_nomination_update):
            answer = autosave(
                member_client, url, details(nomination, "coordination", 1)
            )
    finally:
        # What Django does when a request ends: drop the broken connection.
        close_old_connections()
        connection.close()

    assert killed
    assert answer.status_code == 503
    assert answer.json()["retry"] is True
    assert answer["Retry-After"] == "2"
    assert Response.objects.get(pk=response.pk).version == 1
    stored = Nomination.objects.get(pk=nomination.pk)
    assert (stored.collaboration_level, stored.sends_referrals) == (
        "communication",
        False,
    )

    retry = autosave(member_client, url, details(nomination, "coordination", 1))

    assert retry.status_code == 200
    assert retry.json() == {"status": "saved", "version": 2}
    stored.refresh_from_db()
    assert (stored.collaboration_level, stored.sends_referrals) == (
        "coordination",
        True,
    )


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connection_killed_before_an_autosave_answers_503_then_saves(
    member_client, response, nomination
):
    url = step_url(response, "partner-details")
    terminate(backend_pid())

    try:
        answer = autosave(member_client, url, details(nomination, "collaboration", 1))
    finally:
        close_old_connections()
        connection.close()

    assert answer.status_code == 503
    assert answer.json()["retry"] is True
    assert Response.objects.get(pk=response.pk).version == 1

    retry = autosave(member_client, url, details(nomination, "collaboration", 1))

    assert retry.json() == {"status": "saved", "version": 2}
    assert Nomination.objects.get(pk=nomination.pk).collaboration_level == (
        "collaboration"
    )
