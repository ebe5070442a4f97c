"""Celery tasks that send invitations and reminders."""

import logging

from celery import shared_task
from celery.result import EagerResult
from django.contrib.auth import get_user_model

from surveys import invitations
from surveys.delivery import Outcome
from surveys.models import Round

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_invitations(self, round_id, organization_ids=None, sender_id=None):
    """Invite a round's organizations (all when organization_ids is None)."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        logger.warning("send_invitations: round %s is gone, nothing sent", round_id)
        return None

    sender = _user(sender_id)
    outcome = invitations.invite_organizations(round_, organization_ids, sender)
    _retry_failures(self, outcome, round_id, sender_id)
    return outcome.as_dict()


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_reminders(self, round_id, organization_ids=None, sender_id=None):
    """Remind chosen organizations of a round that have not submitted."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        logger.warning("send_reminders: round %s is gone, nothing sent", round_id)
        return None

    sender = _user(sender_id)
    outcome = invitations.remind_organizations(round_, organization_ids, sender)
    _retry_failures(self, outcome, round_id, sender_id)
    return outcome.as_dict()


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_due_reminders(self):
    """Send the reminders every open round's cadence calls for now."""
    outcome = invitations.send_due_reminders()
    # Sent reminders are no longer due, so a retry sends only the failures.
    if outcome.failed_organization_ids and _may_retry(self):
        raise self.retry(countdown=_backoff(self.request.retries))
    return outcome.as_dict()


def finished_outcome(result):
    """Return the Outcome of a task that already ran in this process, or None."""
    if isinstance(result, EagerResult) and result.successful() and result.result:
        return Outcome.from_dict(result.result)
    return None


def _user(user_id):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _retry_failures(task, outcome, round_id, sender_id):
    """Try again later for the organizations the mail server could not take."""
    failed = outcome.failed_organization_ids
    if failed and _may_retry(task):
        raise task.retry(
            args=[round_id, failed, sender_id],
            kwargs={},
            countdown=_backoff(task.request.retries),
        )
    if failed:
        logger.error(
            "%s for round %s left %d organizations unreached",
            task.name,
            round_id,
            len(failed),
        )


def _may_retry(task):
    # Run in process (no broker), there is no worker to try again later:
    # the caller sees the failures and staff can send again.
    return not task.request.is_eager and task.request.retries < task.max_retries


def _backoff(retries):
    return min(60 * 2**retries, 3600)


@shared_task
def purge_expired_responses():
    """Delete responses of rounds past their retention and rebuild their maps.

    Runs daily on beat; a second run the same day finds nothing left to do.
    """
    from surveys.retention import purge_expired_responses as purge

    purged = purge()
    logger.info("retention purge: %d rounds purged", len(purged))
    return sorted(purged)
