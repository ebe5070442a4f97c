"""Housekeeping of accounts, run by Celery beat."""

import logging

from celery import shared_task
from django.utils import timezone

from organizations.models import Session

logger = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions():
    """Delete sessions past their expiry date; return how many.

    Django never deletes an expired session by itself: a browser that does
    not come back leaves its session behind. Runs daily on beat. The same
    filter as SessionStore.clear_expired(), which does not say how many.
    """
    cleared, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("cleared %d expired sessions", cleared)
    return cleared
