"""Celery tasks of the guide: e-mailing a round digest."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from guide.digests import email_digest
from guide.models import Digest

logger = logging.getLogger(__name__)


@shared_task
def email_round_digest(digest_id, sender_id=None):
    """E-mail a digest to every contact; not retried, so nobody gets it twice."""
    digest = Digest.objects.select_related("round").filter(pk=digest_id).first()
    if digest is None:
        logger.warning("email_round_digest: digest %s is gone", digest_id)
        return 0
    sender = get_user_model().objects.filter(pk=sender_id).first()
    return email_digest(digest, sender)
