"""Personas every view is tried with: a member of the organization, a member
of another organization, staff, and an anonymous visitor."""

import os

import pytest
from django.test import Client

from edn.celery import app as celery_app
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

# Tests that need machinery from outside run only where it is provided: a real
# broker and worker (CI_WORKER=1), headless Chromium (EDN_BROWSER=1), a
# PostgreSQL database (DATABASE_URL). Elsewhere they are deselected, so a
# plain run never reports them as skipped.
OPT_IN_MARKERS = {"worker": "CI_WORKER", "browser": "EDN_BROWSER"}


def pytest_configure(config):
    """Hash test passwords quickly; the real hasher costs about a second."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def commits_without_restoring(item):
    """Return whether a test commits to the database without serialized_rollback.

    Such a test's flush recreates content types and permissions, and the next
    test with serialized_rollback then fails to load them a second time.
    """
    marker = item.get_closest_marker("django_db")
    options = marker.kwargs if marker else {}
    commits = options.get("transaction") or {"live_server", "transactional_db"} & set(
        item.fixturenames
    )
    return bool(commits) and not options.get("serialized_rollback")


def pytest_collection_modifyitems(config, items):
    """Deselect worker, browser and PostgreSQL tests where they cannot run."""
    offenders = [item.nodeid for item in items if commits_without_restoring(item)]
    if offenders:
        raise pytest.UsageError(
            "mark tests that commit with "
            "django_db(transaction=True, serialized_rollback=True): "
            + ", ".join(offenders)
        )
    from django.db import connection

    on_postgresql = connection.vendor == "postgresql"
    kept, deselected = [], []
    for item in items:
        opted_in = all(
            os.environ.get(variable) == "1"
            for marker, variable in OPT_IN_MARKERS.items()
            if item.get_closest_marker(marker)
        )
        if item.get_closest_marker("postgresql") and not on_postgresql:
            opted_in = False
        (kept if opted_in else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _eager_tasks_unless_worker_test(request):
    """Run tasks in process, even with a broker set, outside worker tests."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with no rate-limit counts left by another."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def real_worker():
    """Return the Celery app once a real worker has answered on the broker."""
    from edn.tasks import ping

    assert not celery_app.conf.task_always_eager, "set CELERY_BROKER_URL"
    assert ping.delay().get(timeout=30) == "pong"
    return celery_app


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Northside Health Collaborative")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Riverbend Housing Alliance")


@pytest.fixture
def member(organization):
    return MembershipFactory(
        organization=organization, user__email="member@northside.example"
    ).user


@pytest.fixture
def outsider(other_organization):
    return MembershipFactory(
        organization=other_organization, user__email="member@riverbend.example"
    ).user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@edn.example", is_staff=True, is_superuser=True)


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def anonymous_client(db):
    return _client_for(None)
