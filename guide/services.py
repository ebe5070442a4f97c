"""Review of submitted practices, and the figures each guide entry shows."""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from guide.models import Adoption, Entry, Stage, Submission
from guide.models.entries import PUBLISHABLE_CONSENTS
from surveys.models import (
    CollaborationLevel,
    DataAgreement,
    Nomination,
    Practice,
    Response,
    Round,
)
from surveys.practices import PRACTICES_BY_KEY

logger = logging.getLogger(__name__)


def sync_submissions():
    """Queue for review every submitted practice offered for publication."""
    waiting = Practice.objects.filter(
        consent__in=PUBLISHABLE_CONSENTS,
        response__status=Response.Status.SUBMITTED,
        submission__isnull=True,
    ).values_list("pk", flat=True)
    created = Submission.objects.bulk_create(
        [Submission(practice_id=pk) for pk in waiting], ignore_conflicts=True
    )
    if created:
        logger.info("queued %d practices for guide review", len(created))
    return len(created)


def review_queue():
    """Submissions waiting for a decision whose practice may still be published."""
    return (
        Submission.objects.filter(
            state=Submission.State.PENDING,
            practice__consent__in=PUBLISHABLE_CONSENTS,
        )
        .select_related("practice__response__organization", "practice__response__round")
        .order_by("practice__stage", "created_at")
    )


def suggested_title(practice):
    """Return a first title for an entry: the suggestion's label or the text."""
    suggestion = PRACTICES_BY_KEY.get(practice.suggestion)
    text = str(suggestion.label) if suggestion else practice.text
    first = text.strip().split("\n")[0]
    return first if len(first) <= 150 else first[:147].rstrip() + "…"


def _record(submission, state, entry, by, note=""):
    submission.state = state
    submission.entry = entry
    submission.note = note
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission.save()


@transaction.atomic
def publish_submission(submission, *, title, text, stage, level, topics, by):
    """Publish a practice as a new entry; the respondent's text is kept."""
    entry = Entry.objects.create(
        stage=stage,
        title=title,
        text=text,
        collaboration_level=level,
        status=Entry.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    entry.topics.set(topics)
    _record(submission, Submission.State.PUBLISHED, entry, by)
    logger.info("published submission %s as entry %s", submission.pk, entry.pk)
    return entry


def merge_submission(submission, entry, by):
    """Count a practice as another voice for an existing entry."""
    _record(submission, Submission.State.MERGED, entry, by)
    logger.info("merged submission %s into entry %s", submission.pk, entry.pk)


def decline_submission(submission, note, by):
    _record(submission, Submission.State.DECLINED, None, by, note)
    logger.info("declined submission %s", submission.pk)


def publish_entry(entry):
    entry.status = Entry.Status.PUBLISHED
    entry.published_at = entry.published_at or timezone.now()
    entry.save(update_fields=["status", "published_at", "updated_at"])


def visible_entries(user):
    """Return the entries this person may read: staff see drafts too."""
    entries = Entry.objects.select_related("stage").prefetch_related("topics")
    if user.is_authenticated and user.is_staff:
        return entries
    return entries.for_participants()


def related_entries(entry, user, limit=3):
    """Return entries sharing a topic or, failing that, the stage."""
    others = visible_entries(user).exclude(pk=entry.pk)
    topics = list(entry.topics.values_list("pk", flat=True))
    ranked = others.annotate(
        shared=Count("topics", filter=Q(topics__in=topics), distinct=True)
    ).filter(Q(shared__gt=0) | Q(stage=entry.stage_id))
    return list(ranked.order_by("-shared", "title")[:limit])


def credited_sources(entry):
    """Return the consenting submissions behind an entry, named ones first."""
    sources = entry.submissions.filter(
        state__in=[Submission.State.PUBLISHED, Submission.State.MERGED],
        practice__consent__in=PUBLISHABLE_CONSENTS,
    ).select_related("practice__response__organization")
    return sorted(sources, key=lambda s: (not s.is_named, s.organization.name))


@dataclass
class Usage:
    organizations: int = 0
    wanting: int = 0
    partnerships: int = 0
    signed: int = 0
    levels: Counter = field(default_factory=Counter)

    def level_rows(self):
        """Return [(level label, partnerships)] from communication upward."""
        return [
            (label, self.levels[value])
            for value, label in CollaborationLevel.choices
            if self.levels[value]
        ]


def entry_usage(entries):
    """Return {entry id: Usage} counted from practices, marks and ties.

    An organization uses an entry when its consenting practice is behind it
    or it marked "we use this". Its partnerships are the nominations of its
    newest submitted response; a pair counted once even if both use it.
    """
    ids = [e.pk for e in entries]
    users = {pk: set() for pk in ids}
    for entry_id, organization_id in Submission.objects.filter(
        entry_id__in=ids,
        state__in=[Submission.State.PUBLISHED, Submission.State.MERGED],
        practice__consent__in=PUBLISHABLE_CONSENTS,
    ).values_list("entry_id", "practice__response__organization_id"):
        users[entry_id].add(organization_id)
    wanting = Counter()
    for entry_id, organization_id, kind in Adoption.objects.filter(
        entry_id__in=ids
    ).values_list("entry_id", "organization_id", "kind"):
        if kind == Adoption.Kind.USE:
            users[entry_id].add(organization_id)
        else:
            wanting[entry_id] += 1

    ties = _ties_of(set().union(*users.values()) if users else set())
    usage = {}
    for entry_id, organizations in users.items():
        pairs = {}
        for organization_id in organizations:
            for pair, (level, signed) in ties.get(organization_id, {}).items():
                known = pairs.get(pair)
                pairs[pair] = (level, signed or (known is not None and known[1]))
        usage[entry_id] = Usage(
            organizations=len(organizations),
            wanting=wanting[entry_id],
            partnerships=len(pairs),
            signed=sum(1 for _level, signed in pairs.values() if signed),
            levels=Counter(level for level, _signed in pairs.values()),
        )
    return usage


def _ties_of(organization_ids):
    """Return {organization id: {pair: (level, signed)}} from newest answers."""
    newest = {}
    for response_id, organization_id in (
        Response.objects.filter(
            organization_id__in=organization_ids,
            status=Response.Status.SUBMITTED,
        )
        .exclude(round__status=Round.Status.DRAFT)
        .order_by(
            "organization_id",
            F("round__opens_at").desc(nulls_last=True),
            "-round__created_at",
        )
        .values_list("pk", "organization_id")
    ):
        newest.setdefault(organization_id, response_id)
    ties = {}
    for respondent, partner, write_in, level, agreement in Nomination.objects.filter(
        response_id__in=newest.values()
    ).values_list(
        "respondent_id",
        "partner_id",
        "write_in_key",
        "collaboration_level",
        "data_agreement",
    ):
        other = partner if partner is not None else f"write-in:{write_in}"
        pair = frozenset([respondent, other])
        ties.setdefault(respondent, {})[pair] = (
            level,
            agreement == DataAgreement.SIGNED,
        )
    return ties


def stage_for_practice(practice):
    return Stage.for_survey_stage(practice.stage)
