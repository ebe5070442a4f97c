"""A real Celery worker on a real broker answers and shares the test database.

These run in CI (CI_WORKER=1) against Redis and PostgreSQL. The worker is
another process, so it only sees committed rows: tests that hand it data use
a transactional database, and CI points the worker at the test database
pytest-django creates.
"""

import pytest
from celery.result import AsyncResult

from edn.tasks import ping, read_organization_name
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.worker


def test_a_real_worker_answers_a_ping(real_worker):
    result = ping.delay()

    assert isinstance(result, AsyncResult)
    assert result.get(timeout=30) == "pong"
    assert real_worker.control.ping(timeout=5, limit=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_reads_an_organization_the_test_committed(real_worker):
    organization = OrganizationFactory(name="Eastgate Community Food Bank")

    result = read_organization_name.delay(organization.pk)

    assert result.get(timeout=30) == "Eastgate Community Food Bank"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_answers_none_for_an_organization_that_is_gone(real_worker):
    organization = OrganizationFactory(name="Westfield Youth Services")
    organization_id = organization.pk
    organization.delete()

    result = read_organization_name.delay(organization_id)

    assert result.get(timeout=30) is None
