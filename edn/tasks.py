"""Tasks that prove a real worker answers and sees the same database."""

import logging

from celery import shared_task

from organizations.models import Organization

logger = logging.getLogger(__name__)


@shared_task
def ping():
    """Answer "pong"; proves a worker is consuming the queue."""
    return "pong"


@shared_task
def read_organization_name(organization_id):
    """Return an organization's name as the worker reads it from the database."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        logger.warning("organization %s not found", organization_id)
        return None
    return organization.name
