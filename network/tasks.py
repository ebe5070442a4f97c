import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from network.services import rebuild_round

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def rebuild_round_network(round_id):
    """Rebuild a round's network snapshot unless a current one exists.

    Safe to run twice: a second run finds the lease taken or the snapshot
    current and returns. Database outages are retried with backoff; any
    other failure is recorded on the round and leaves the previous snapshot.
    """
    try:
        outcome = rebuild_round(round_id)
    except (OperationalError, InterfaceError):
        logger.warning("round %s rebuild hit a database error; retrying", round_id)
        raise
    except Exception:
        logger.exception("round %s rebuild failed", round_id)
        return "failed"
    return outcome.status
