import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from network.models import NetworkSnapshot, RoundNetworkState
from network.services import (
    discard_abandoned_snapshots,
    lease_duration,
    lock_round_state,
    queue_rebuild_after_commit,
    rebuild_round,
)

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
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


def requeue_after():
    """Return how old a queued mark is before the sweep trusts it no more."""
    return timedelta(seconds=settings.NETWORK_REBUILD_REQUEUE_SECONDS)


def _stale_rounds(now):
    """Return the states that want a rebuild no one is queued for or running."""
    live_lease = Q(
        running_since__isnull=False, heartbeat_at__gte=now - lease_duration()
    )
    fresh_mark = Q(queued_at__gte=now - requeue_after())
    return RoundNetworkState.objects.filter(
        generation__gt=F("built_generation")
    ).exclude(live_lease | fresh_mark)


@shared_task
def queue_stale_rebuilds():
    """Queue one rebuild for each out-of-date round that nothing will rebuild.

    A rebuild message lost with the broker, or held by a worker that was
    killed, leaves a round out of date; this sweep (every minute on beat)
    finds it once its queued mark is old or its lease stale. A killed
    rebuild also leaves its half-made snapshot building: once its lease is
    stale the sweep marks it failed, even when the round needs no rebuild.
    Return the ids of the rounds queued.
    """
    now = timezone.now()
    discard_stale_snapshots()
    queued = []
    for round_id in _stale_rounds(now).values_list("round_id", flat=True):
        with transaction.atomic():
            state = lock_round_state(round_id)
            if not _stale_rounds(now).filter(pk=state.pk).exists():
                continue
            queue_rebuild_after_commit(state, now, requeue_after=requeue_after())
            state.save(update_fields=["queued_at", "updated_at"])
        queued.append(round_id)
        logger.info(
            "round %s: out of date with nothing queued; rebuild queued", round_id
        )
    return queued


def discard_stale_snapshots():
    """Mark failed the snapshots left building by rebuilds no longer running.

    Return {round id: [snapshot ids]} for the rounds where some were found.
    """
    building = NetworkSnapshot.objects.filter(status=NetworkSnapshot.Status.BUILDING)
    discarded = {}
    for round_id in building.order_by().values_list("round_id", flat=True).distinct():
        ids = discard_abandoned_snapshots(round_id)
        if ids:
            discarded[round_id] = ids
    return discarded
