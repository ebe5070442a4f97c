"""Delete the responses of rounds past their retention, then rebuild the map.

A round keeps its responses for `Round.keep_responses_months` after it
closes. Past that, the purge deletes everything respondents gave or that
was derived from their answers:

- the responses, with their nominations (write-ins included), practices,
  aspirations and services;
- the guide's review decisions on those practices (`guide.Submission`);
- tie reviews, where organizations confirmed or disputed what others
  reported about them in the round;
- the anonymous numbers handed out in the round, which would still tell
  who answered anonymously;
- every network snapshot of the round, with its measures and map payloads,
  since each was computed from the answers.

What stays: the round itself, its roster, its invitations and the log of
e-mails sent (what EDN did, not what anyone answered), the export log, and
the audit log. Guide entries stay: staff wrote them and published them with
the organization's consent; once the purge removes the practices behind an
entry, it no longer names or counts the organizations that offered them.

The round is then marked dirty and rebuilt, so its map shows the roster
with no answers rather than the old network. The purge is written to the
audit log with counts only.
"""

import logging

from django.db import transaction
from django.utils import timezone

from audit.log import record_event
from audit.models import AuditEvent
from guide.models import Submission
from network.models import NetworkSnapshot
from network.services import mark_round_dirty, rebuild_round
from participants.models import AnonymousLabel, TieReview
from surveys.models import Aspiration, Nomination, Practice, Response, Round

logger = logging.getLogger(__name__)


def round_data(round):
    """Return {kind: queryset} of everything the purge deletes for a round."""
    return {
        "responses": Response.objects.filter(round=round),
        "nominations": Nomination.objects.filter(response__round=round),
        "practices": Practice.objects.filter(response__round=round),
        "aspirations": Aspiration.objects.filter(response__round=round),
        "guide_submissions": Submission.objects.filter(practice__response__round=round),
        "tie_reviews": TieReview.objects.filter(round=round),
        "anonymous_labels": AnonymousLabel.objects.filter(round=round),
        "snapshots": NetworkSnapshot.objects.filter(round=round),
    }


def has_data(round):
    """Return whether anything the purge deletes is still held for the round."""
    kinds = round_data(round)
    snapshots = kinds.pop("snapshots")
    if any(rows.exists() for rows in kinds.values()):
        return True
    if round.responses_purged_at is None:
        return snapshots.exists()
    # After a purge the round has the rebuilt snapshot, which counts no
    # responses. One that does was stored by a rebuild that read the rows
    # before the purge and finished after it.
    return snapshots.filter(responses_count__gt=0).exists()


def expired_rounds(moment=None):
    """Return the rounds past their retention that still hold data."""
    moment = moment or timezone.now()
    candidates = Round.objects.filter(
        keep_responses_months__isnull=False,
        closes_at__isnull=False,
        closes_at__lte=moment,
    ).order_by("closes_at", "pk")
    return [r for r in candidates if r.responses_expired(moment) and has_data(r)]


def purge_round(round, *, actor=None):
    """Delete the round's responses and what hangs off them; return counts.

    Runs in one transaction; the rebuild runs after it commits. A rebuild
    that fails leaves the round dirty, and the periodic sweep queues it.
    """
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        kinds = round_data(round)
        counts = {kind: rows.count() for kind, rows in kinds.items()}
        # Children first, so the counts above are what the deletes removed.
        for kind in ["guide_submissions", "responses", "tie_reviews"]:
            kinds[kind].delete()
        kinds["anonymous_labels"].delete()
        kinds["snapshots"].delete()

        round.responses_purged_at = timezone.now()
        round.save(update_fields=["responses_purged_at"])
        mark_round_dirty(round)
        record_event(
            AuditEvent.Action.PURGE,
            f"Responses past retention deleted: {counts['responses']} responses, "
            f"{counts['nominations']} nominations, {counts['practices']} "
            f"practices, {counts['snapshots']} network snapshots",
            actor=actor,
            round=round,
            details={"keep_responses_months": round.keep_responses_months, **counts},
        )
    logger.info(
        "purged round %s past retention: %d responses, %d nominations, %d snapshots",
        round.pk,
        counts["responses"],
        counts["nominations"],
        counts["snapshots"],
    )

    try:
        rebuild_round(round.pk)
    except Exception:
        logger.exception("round %s: rebuild after the purge failed", round.pk)
    return counts


def purge_expired_responses(moment=None):
    """Purge every round past its retention; return {round id: counts}."""
    return {round.pk: purge_round(round) for round in expired_rounds(moment)}
