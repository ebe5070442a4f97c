"""Sessions of Django's own table carry over; expired sessions are cleared."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizations import tasks
from organizations.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = import_module("organizations.migrations.0003_session")


def django_session(data, expires_in=timedelta(days=1)):
    """Save a session the way Django's own database store did."""
    store = DjangoStore()
    store.update(data)
    store.set_expiry(timezone.now() + expires_in)
    store.save()
    return store.session_key


def test_unexpired_sessions_carry_over_with_their_user():
    person = UserFactory()
    signed_in = django_session(
        {
            SESSION_KEY: str(person.pk),
            "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
        }
    )
    visitor = django_session({"survey_response": 7})
    expired = django_session({SESSION_KEY: str(person.pk)}, timedelta(days=-1))
    assert DjangoSession.objects.count() == 3

    migration.carry_over_sessions(apps, None)

    carried = {s.session_key: s for s in Session.objects.all()}
    assert set(carried) == {signed_in, visitor}
    assert carried[signed_in].user_id == person.pk
    assert carried[visitor].user_id is None
    assert carried[visitor].get_decoded()["survey_response"] == 7
    assert expired not in carried
    assert not DjangoSession.objects.exists()


def test_a_carried_over_session_is_still_signed_in():
    person = UserFactory()
    client = Client()
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    data = Session.objects.get(session_key=key).get_decoded()
    Session.objects.all().delete()
    old_key = django_session(data)

    migration.carry_over_sessions(apps, None)

    client.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert client.get(reverse("password_change")).status_code == 200


def test_the_daily_task_clears_expired_sessions_only():
    person = UserFactory()
    client = Client()
    client.force_login(person)
    Session.objects.create(
        session_key="a" * 32,
        session_data="",
        expire_date=timezone.now() - timedelta(minutes=1),
    )

    assert tasks.clear_expired_sessions.delay().get() == 1

    assert list(Session.objects.values_list("user_id", flat=True)) == [person.pk]
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert schedule["task"] == "organizations.tasks.clear_expired_sessions"
    assert schedule["schedule"] == 24 * 60 * 60
