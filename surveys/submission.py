"""Submit a response and mark its round's network out of date."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from network.services import mark_round_dirty
from surveys.models import Response, Round
from surveys.saving import RoundClosed, StaleVersion

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
ALREADY_SUBMITTED = "already_submitted"


def submit_response(response, version, user=None):
    """Store the submission and queue a rebuild after commit.

    The caller has checked that the respondent agreed to the survey's terms.

    Return SUBMITTED, or ALREADY_SUBMITTED when the same request arrives
    twice (a double click or a retry): the version it carries is the one
    the first request consumed, and nothing changed since. Raise
    StaleVersion when other changes happened in between, RoundClosed when
    the round is not open.
    """
    now = timezone.now()
    submitted_by = user if user is not None and user.is_authenticated else None

    with transaction.atomic():
        stored = Response.objects.filter(
            pk=response.pk, version=version, round__status=Round.Status.OPEN
        ).update(
            status=Response.Status.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            submitted_by=submitted_by,
            consent_to_participate=True,
            version=F("version") + 1,
        )
        if stored:
            mark_round_dirty(response.round)

    if stored:
        response.refresh_from_db()
        logger.info(
            "response %s submitted to round %s at version %s",
            response.pk,
            response.round_id,
            response.version,
        )
        return SUBMITTED

    response.refresh_from_db()
    round_status = Round.objects.values_list("status", flat=True).get(
        pk=response.round_id
    )
    if round_status != Round.Status.OPEN:
        raise RoundClosed()
    if response.is_submitted and response.version == version + 1:
        logger.info("response %s: repeated submission ignored", response.pk)
        return ALREADY_SUBMITTED
    raise StaleVersion()
