"""Rebuild a round's network: load its rows, run the engine, store a snapshot.

Rebuilds coalesce. Every submission raises the round's `generation` and
queues a rebuild unless one is already queued; the rebuild waits a few
seconds (`NETWORK_REBUILD_DELAY` in the settings) so that a burst of
submissions shares it. A rebuild holds a lease so that only one runs per
round, records the generation it read, and queues one follow-up if
submissions arrived while it ran. Readers only ever see snapshots whose
status is ready, so a rebuild in progress or a failed one leaves the
previous snapshot in place.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from network.map_payload import staff_payload_builder
from network.models import (
    NetworkSnapshot,
    OrganizationMetrics,
    RoundNetworkState,
    SnapshotMap,
)
from network.round_rows import load_round_rows, previous_positions, shared_reporters
from network.shared_network import shared_network
from network.snapshots import store_maps, store_snapshot
from surveys.models import Round

logger = logging.getLogger(__name__)


@dataclass
class RebuildOutcome:
    """What a call to `rebuild_round` did: built, busy, current or missing."""

    status: str
    snapshot: NetworkSnapshot | None = None


def lease_duration():
    """Return how long a silent rebuild keeps its lease before others take it."""
    return timedelta(seconds=settings.NETWORK_REBUILD_LEASE_SECONDS)


def latest_snapshot(round):
    """Return the round's newest ready snapshot, or None."""
    return (
        NetworkSnapshot.objects.filter(round=round, status=NetworkSnapshot.Status.READY)
        .order_by("-version")
        .first()
    )


def round_state(round):
    """Return the round's rebuild state, creating it if needed."""
    state, _ = RoundNetworkState.objects.get_or_create(round=round)
    return state


def lock_round_state(round_id):
    """Return the round's rebuild state locked for update; call in a transaction.

    Every change to leases, queued marks and generations goes through this
    lock, so that submissions, rebuilds and the sweep never race.
    """
    RoundNetworkState.objects.get_or_create(round_id=round_id)
    return RoundNetworkState.objects.select_for_update().get(round_id=round_id)


def rebuild_delay():
    """Return the seconds a queued rebuild waits, so a burst shares it."""
    return settings.NETWORK_REBUILD_DELAY


def _queue_rebuild(round_id, mark):
    """Send the rebuild to the broker; if it cannot be sent, unmark the round.

    A submission has committed by now, so a broker outage must not reach the
    respondent: log it and clear `queued_at`, so the next submission or the
    periodic sweep queues the rebuild again.
    """
    from network.tasks import rebuild_round_network

    try:
        rebuild_round_network.apply_async((round_id,), countdown=rebuild_delay())
    except Exception as error:
        logger.warning(
            "round %s: could not queue a rebuild (%s: %s); it will be queued again",
            round_id,
            type(error).__name__,
            error,
        )
        try:
            RoundNetworkState.objects.filter(round_id=round_id, queued_at=mark).update(
                queued_at=None
            )
        except Exception:
            logger.exception("round %s: could not clear the queued mark", round_id)
        return False
    return True


def queue_rebuild_after_commit(state, now, *, requeue_after=None):
    """Queue a rebuild after commit unless a recent one is already queued.

    Call it with the state from `lock_round_state`; the caller saves
    `queued_at`. Return whether a rebuild was queued.
    """
    requeue_after = requeue_after or lease_duration()
    if state.queued_at is not None and now - state.queued_at < requeue_after:
        return False
    state.queued_at = now
    transaction.on_commit(partial(_queue_rebuild, state.round_id, now), robust=True)
    return True


def mark_round_dirty(round):
    """Record a submission to the round; a rebuild is queued after commit.

    Call it inside the transaction that stores the submission, so the
    rebuild never runs before the submission is visible.
    """
    with transaction.atomic():
        state = lock_round_state(round.pk)
        state.generation += 1
        queue_rebuild_after_commit(state, timezone.now())
        state.save(update_fields=["generation", "queued_at", "updated_at"])
    return state


def rebuild_round(round_id, *, force=False):
    """Rebuild the round's network unless another rebuild covers it.

    With `force`, rebuild even when the newest snapshot is current (the
    commands use this). Raise whatever the build raised, after recording it
    on the round's state; the previous snapshot stays the newest.
    """
    if not Round.objects.filter(pk=round_id).exists():
        logger.warning("round %s does not exist; rebuild skipped", round_id)
        return RebuildOutcome("missing")

    lease, generation, status = _claim(round_id, force)
    if lease is None:
        logger.info("round %s rebuild skipped: %s", round_id, status)
        return RebuildOutcome(status)

    snapshot = None
    try:
        started = time.perf_counter()
        snapshot = _build(round_id, lease, generation)
        _finish(round_id, lease, snapshot)
    except Exception as error:
        _fail(round_id, lease, snapshot, error)
        raise

    logger.info(
        "rebuilt round %s: %d organizations, %d ties in %.1f s",
        round_id,
        snapshot.organizations_count,
        snapshot.ties_count,
        time.perf_counter() - started,
    )
    return RebuildOutcome("built", snapshot)


def _claim(round_id, force):
    """Take the round's lease; return (lease, generation, why not)."""
    with transaction.atomic():
        state = lock_round_state(round_id)
        now = timezone.now()
        state.queued_at = None
        fields = ["queued_at", "updated_at"]
        if has_live_lease(state, now):
            state.save(update_fields=fields)
            return None, None, "busy"
        if state.running_since:
            logger.warning("round %s: taking over a stale rebuild lease", round_id)
        discard_abandoned_snapshots(round_id)
        if not force and state.built_generation >= state.generation:
            state.running_since = None
            state.lease = ""
            state.save(update_fields=[*fields, "running_since", "lease"])
            return None, None, "current"

        state.running_since = now
        state.heartbeat_at = now
        state.lease = uuid.uuid4().hex
        state.stage = "load"
        state.percent = 0
        fields += ["running_since", "heartbeat_at", "lease", "stage", "percent"]
        state.save(update_fields=fields)
        return state.lease, state.generation, ""


def _report_progress(round_id, lease, stage, percent):
    RoundNetworkState.objects.filter(round_id=round_id, lease=lease).update(
        stage=str(stage)[:40],
        percent=max(0, min(100, int(percent))),
        heartbeat_at=timezone.now(),
    )


def _build(round_id, lease, generation):
    from network.engine import compute_network

    round = Round.objects.get(pk=round_id)
    timings = {}

    started = time.perf_counter()
    organizations, nominations = load_round_rows(round)
    newest = latest_snapshot(round)
    previous = previous_positions(newest)
    timings["load"] = time.perf_counter() - started

    started = time.perf_counter()
    result = compute_network(
        organizations,
        nominations,
        previous or None,
        sample_size=getattr(settings, "NETWORK_SAMPLE_SIZE", None),
        progress=partial(_report_progress, round_id, lease),
    )
    timings["compute"] = time.perf_counter() - started
    timings.update({f"engine.{k}": v for k, v in result.timings.items()})

    started = time.perf_counter()
    shared = shared_network(
        organizations,
        nominations,
        shared_reporters(round),
        previous_positions(newest, shared=True) or None,
    )
    for node, place in shared.organizations.items():
        measures = result.organizations.setdefault(node, {})
        measures.update(participant_x=place["x"], participant_y=place["y"])
    timings["shared"] = time.perf_counter() - started

    _report_progress(round_id, lease, "store", 93)
    responses = sum(1 for row in organizations if row.responded)
    snapshot = store_snapshot(
        round, generation, organizations, result, timings, responses=responses
    )
    _report_progress(round_id, lease, "maps", 97)
    started = time.perf_counter()
    store_snapshot_maps(snapshot, shared)
    snapshot.timings["maps"] = float(f"{time.perf_counter() - started:.4f}")
    return snapshot


def store_snapshot_maps(snapshot, shared):
    """Build and store the staff and the participants' map payloads.

    Participants decide names and labels (participants.visibility), so their
    payload is built there; either way it happens here, once per rebuild,
    never in a request.
    """
    from participants.shared_map import participant_payload_builder

    snapshot.finished_at = timezone.now()
    store_maps(snapshot, SnapshotMap.Audience.STAFF, staff_payload_builder(snapshot))
    store_maps(
        snapshot,
        SnapshotMap.Audience.PARTICIPANTS,
        participant_payload_builder(snapshot, shared),
    )


def _finish(round_id, lease, snapshot):
    with transaction.atomic():
        state = lock_round_state(round_id)
        if state.lease != lease:
            raise RuntimeError("the rebuild lease was taken over by another worker")
        snapshot.status = NetworkSnapshot.Status.READY
        snapshot.finished_at = snapshot.finished_at or timezone.now()
        snapshot.save(update_fields=["status", "finished_at", "timings"])

        state.built_generation = max(state.built_generation, snapshot.generation)
        state.running_since = None
        state.heartbeat_at = None
        state.lease = ""
        state.stage = "done"
        state.percent = 100
        state.rebuilds += 1
        state.last_error = ""
        state.last_error_at = None
        if state.generation > state.built_generation:
            queue_rebuild_after_commit(state, timezone.now())
        state.save()


def _fail(round_id, lease, snapshot, error):
    """Record a failed rebuild and release the lease; keep the old snapshot."""
    message = f"{type(error).__name__}: {error}"[:2000]
    try:
        with transaction.atomic():
            if snapshot is not None and snapshot.pk:
                _mark_failed(NetworkSnapshot.objects.filter(pk=snapshot.pk), message)
            state = lock_round_state(round_id)
            if state.lease == lease:
                state.running_since = None
                state.heartbeat_at = None
                state.lease = ""
                state.stage = "failed"
            state.last_error = message
            state.last_error_at = timezone.now()
            state.save()
    except Exception:
        logger.exception("round %s: could not record the failed rebuild", round_id)


ABANDONED = "the rebuild stopped before it finished (its worker was lost or stalled)"


def _mark_failed(snapshots, message):
    """Mark the snapshots failed and drop their rows; readers never saw them."""
    ids = list(snapshots.values_list("pk", flat=True))
    OrganizationMetrics.objects.filter(snapshot_id__in=ids).delete()
    SnapshotMap.objects.filter(snapshot_id__in=ids).delete()
    NetworkSnapshot.objects.filter(pk__in=ids).update(
        status=NetworkSnapshot.Status.FAILED,
        error=message,
        payload=b"",
        finished_at=timezone.now(),
    )
    return ids


def has_live_lease(state, now=None):
    """Return whether a rebuild holds the round's lease and still reports in."""
    now = now or timezone.now()
    return bool(
        state.running_since
        and state.heartbeat_at
        and now - state.heartbeat_at < lease_duration()
    )


def discard_abandoned_snapshots(round_id):
    """Mark failed the round's snapshots left building by a rebuild that died.

    Only the rebuild holding the lease creates a snapshot, and it flips it to
    ready or failed before letting go, so a snapshot still building when no
    live rebuild holds the lease was abandoned (kill -9, lost container).
    Readers never see it; this keeps it from sitting there forever. A stale
    lease is released too, so a rebuild that wakes up late cannot publish.
    Return the ids of the snapshots marked failed.
    """
    with transaction.atomic():
        state = lock_round_state(round_id)
        if has_live_lease(state):
            return []
        building = NetworkSnapshot.objects.filter(
            round_id=round_id, status=NetworkSnapshot.Status.BUILDING
        )
        ids = _mark_failed(building, ABANDONED)
        if ids and state.running_since:
            state.running_since = None
            state.heartbeat_at = None
            state.lease = ""
            state.stage = "failed"
            state.save(
                update_fields=[
                    "running_since",
                    "heartbeat_at",
                    "lease",
                    "stage",
                    "updated_at",
                ]
            )
    if ids:
        logger.warning(
            "round %s: marked %d abandoned snapshot(s) failed: %s",
            round_id,
            len(ids),
            ids,
        )
    return ids


def next_version(round):
    """Return the version number a new snapshot of the round takes."""
    latest = NetworkSnapshot.objects.filter(round=round).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1
