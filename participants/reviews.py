"""Ties others reported about an organization, and its view of each.

A confirmation is the organization's own report of the tie: it creates or
updates the organization's nomination of the reporter in its response for
the round. The rule, so that a confirmation counts exactly like an answer:

- if the organization's response is submitted, the nomination joins it,
  the response's version rises (an open survey tab must reload rather than
  overwrite it) and the round is marked dirty, so the rebuild turns the tie
  confirmed;
- if the response is a draft, or there is none yet, the nomination is saved
  in the draft (created if needed) and counts once the organization submits,
  like every other answer in it; nothing is rebuilt before then.

Answers are editable only while the round is open: in a closed round a
confirmation is recorded as a review and changes no answer.

A dispute never changes the reporter's answers: it is recorded for staff.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from network.services import mark_round_dirty
from participants.models import TieReview
from participants.visibility import RoundView
from surveys.models import CollaborationLevel, Nomination, Response

logger = logging.getLogger(__name__)


def reported_about(organization_id, round, viewer):
    """Return the reports naming the organization that the viewer may see.

    Each is a dict with the reporter's public id and label, the report's
    attributes, whether the organization named them back, and its review.
    """
    view = RoundView(round, viewer)
    reports = [r for r in view.reports() if r[1] == organization_id]
    reporters = [r[0] for r in reports]
    view.prepare_labels(reporters)
    named_back = set(
        Nomination.objects.filter(
            response__round=round, respondent_id=organization_id
        ).values_list("partner_id", flat=True)
    )
    reviews = {
        review.reporter_id: review
        for review in TieReview.objects.filter(
            round=round, organization_id=organization_id, reporter_id__in=reporters
        )
    }
    found = []
    for reporter, _partner, level, sends, receives, agreement, *_rest in reports:
        found.append(
            {
                "reporter": reporter,
                "public_id": view.public_id(reporter),
                "label": view.label(reporter),
                "sector": view.organization(reporter)[1],
                "level": level,
                "level_label": CollaborationLevel(level).label,
                "they_refer": sends,
                "we_refer": receives,
                "data_agreement": agreement,
                "named_back": reporter in named_back,
                "review": reviews.get(reporter),
            }
        )
    found.sort(key=lambda r: r["label"].casefold())
    return found, view


def review_tie(organization, round, reporter_id, verdict, level, note, user):
    """Record the organization's view of a tie; confirmations count as reports."""
    with transaction.atomic():
        review, _ = TieReview.objects.update_or_create(
            round=round,
            organization=organization,
            reporter_id=reporter_id,
            defaults={"verdict": verdict, "note": note, "reviewed_by": user},
        )
        counted = False
        if verdict == TieReview.Verdict.CONFIRMED and round.is_open:
            counted = _confirm(organization, round, reporter_id, level)
    logger.info(
        "organization %s reviewed a tie in round %s: %s (counted now: %s)",
        organization.pk,
        round.pk,
        verdict,
        counted,
    )
    return review, counted


def _confirm(organization, round, reporter_id, level):
    response, _ = Response.objects.get_or_create(round=round, organization=organization)
    nomination = Nomination.objects.filter(
        response=response, partner_id=reporter_id
    ).first()
    if nomination is None:
        Nomination.objects.create(
            response=response, partner_id=reporter_id, collaboration_level=level
        )
    elif nomination.collaboration_level != level:
        nomination.collaboration_level = level
        nomination.save(update_fields=["collaboration_level", "updated_at"])
    if not response.is_submitted:
        return False
    # Submitted and last changed at the same instant: the confirmation is
    # part of the submitted answers, not an unsubmitted change.
    now = timezone.now()
    Response.objects.filter(pk=response.pk).update(
        version=F("version") + 1, submitted_at=now, updated_at=now
    )
    mark_round_dirty(round)
    return True
