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
import math
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from network.map_payload import staff_payload_builder
from network.models import NetworkSnapshot, RoundNetworkState, SnapshotMap
from network.shared_network import shared_network
from network.snapshots import store_maps, store_snapshot
from organizations.models import Organization
from surveys.models import Nomination, Response, RosterEntry, Round, Visibility

logger = logging.getLogger(__name__)

WRITE_IN_PREFIX = "write-in:"


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


def _locked_state(round_id):
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


def _queue_after_commit(state, now, *, requeue_after=None):
    """Queue a rebuild after commit unless a recent one is already queued."""
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
        state = _locked_state(round.pk)
        state.generation += 1
        _queue_after_commit(state, timezone.now())
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
        state = _locked_state(round_id)
        now = timezone.now()
        state.queued_at = None
        fields = ["queued_at", "updated_at"]
        alive = state.heartbeat_at and now - state.heartbeat_at < lease_duration()
        if state.running_since and alive:
            state.save(update_fields=fields)
            return None, None, "busy"
        if state.running_since:
            logger.warning("round %s: taking over a stale rebuild lease", round_id)
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
    previous = previous_positions(round)
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
        previous_positions(round, shared=True) or None,
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


def shared_reporters(round):
    """Return the organizations whose reports participants may see."""
    return set(
        Response.objects.filter(
            round=round,
            status=Response.Status.SUBMITTED,
            visibility__in=[Visibility.NAMED, Visibility.ANONYMOUS],
        ).values_list("organization_id", flat=True)
    )


def _finish(round_id, lease, snapshot):
    with transaction.atomic():
        state = _locked_state(round_id)
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
            _queue_after_commit(state, timezone.now())
        state.save()


def _fail(round_id, lease, snapshot, error):
    """Record a failed rebuild and release the lease; keep the old snapshot."""
    message = f"{type(error).__name__}: {error}"[:2000]
    try:
        with transaction.atomic():
            if snapshot is not None and snapshot.pk:
                snapshot.metrics.all().delete()
                snapshot.maps.all().delete()
                NetworkSnapshot.objects.filter(pk=snapshot.pk).update(
                    status=NetworkSnapshot.Status.FAILED, error=message, payload=b""
                )
            state = _locked_state(round_id)
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


def load_round_rows(round):
    """Return the engine's organization and nomination rows for a round.

    The graph holds the roster, every organization named in a submitted
    response, and write-ins; an organization responded when its response
    was submitted.
    """
    from network.engine import NominationRow, OrganizationRow

    submitted = Response.objects.filter(round=round, status=Response.Status.SUBMITTED)
    responded = set(submitted.values_list("organization_id", flat=True))
    roster = set(
        RosterEntry.objects.filter(round=round).values_list(
            "organization_id", flat=True
        )
    )
    tie_rows = Nomination.objects.filter(response__in=submitted).values_list(
        "respondent_id",
        "partner_id",
        "write_in_key",
        "write_in_name",
        "collaboration_level",
        "sends_referrals",
        "receives_referrals",
        "data_sharing",
        "data_agreement",
        "wants_to_deepen",
    )

    nominations = []
    write_ins = {}
    for source, partner, key, write_in_name, *attributes in tie_rows.iterator(
        chunk_size=5000
    ):
        if partner is None:
            target = WRITE_IN_PREFIX + key
            write_ins.setdefault(target, write_in_name)
        else:
            target = partner
        nominations.append(NominationRow(source, target, *attributes))

    named = Nomination.objects.filter(response__in=submitted).values("partner_id")
    members = Organization.objects.filter(
        Q(roster_entries__round=round)
        | Q(pk__in=submitted.values("organization_id"))
        | Q(pk__in=named)
    ).distinct()
    services = {}
    through = Organization.services.through.objects.filter(
        organization_id__in=members.values("pk")
    ).values_list("organization_id", "service__name")
    for organization_id, service in through.iterator(chunk_size=5000):
        services.setdefault(organization_id, []).append(service)

    organizations = [
        OrganizationRow(
            pk,
            name,
            sector or None,
            tuple(sorted(services.get(pk, ()))),
            on_roster=pk in roster,
            responded=pk in responded,
        )
        for pk, name, sector in members.values_list("pk", "name", "sector__name")
    ]
    organizations += [
        OrganizationRow(key, name, None, (), on_roster=False, responded=False)
        for key, name in write_ins.items()
    ]
    return organizations, nominations


def previous_positions(round, *, shared=False):
    """Return {node id: (x, y)} from the round's newest ready snapshot.

    With `shared`, the positions on the participants' map.
    """
    snapshot = latest_snapshot(round)
    if snapshot is None:
        return {}
    positions = {}
    fields = ("participant_x", "participant_y") if shared else ("x", "y")
    rows = snapshot.metrics.values_list("organization_id", "write_in_key", *fields)
    for organization_id, key, x, y in rows.iterator(chunk_size=5000):
        node = organization_id if organization_id else WRITE_IN_PREFIX + key
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y):
            positions[node] = (x, y)
    return positions


def next_version(round):
    """Return the version number a new snapshot of the round takes."""
    latest = NetworkSnapshot.objects.filter(round=round).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1
