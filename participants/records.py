"""Everything EDN holds about an organization, for its members to take away.

Nominations received are listed as far as their reporters allow (see
participants.visibility); everything else here is the organization's own.
"""

import csv
import io
import logging

from django.db import transaction
from django.utils import timezone

from audit.log import record_event
from audit.models import AuditEvent
from network.exports import safe_cell
from network.services import mark_round_dirty
from participants.models import TieReview, WithdrawalRequest
from participants.visibility import RoundView
from surveys.models import (
    CollaborationLevel,
    DataAgreement,
    LifeCycleStage,
    Practice,
    Response,
    Round,
)

# Fields of a record whose values are choices; the page shows their labels.
CHOICE_FIELDS = {
    "collaboration_level": CollaborationLevel,
    "data_agreement": DataAgreement,
    "stage": LifeCycleStage,
    "consent": Practice.Consent,
}

logger = logging.getLogger(__name__)


def _profile(organization):
    return {
        "name": organization.name,
        "short_name": organization.short_name,
        "aliases": list(organization.aliases),
        "sector": organization.sector.name if organization.sector else "",
        "services": sorted(organization.services.values_list("name", flat=True)),
        "description": organization.description,
        "website": organization.website,
        "address": organization.address,
        "zip_code": organization.zip_code,
        "service_area": organization.service_area,
        "size_band": organization.size_band,
        "members": sorted(
            organization.memberships.values_list("user__email", flat=True)
        ),
    }


def _nomination(nomination):
    return {
        "partner": nomination.partner_name,
        "write_in": nomination.is_write_in,
        "collaboration_level": nomination.collaboration_level,
        "we_refer_to_them": nomination.sends_referrals,
        "they_refer_to_us": nomination.receives_referrals,
        "data_sharing": nomination.data_sharing,
        "data_agreement": nomination.data_agreement,
        "frequency": nomination.frequency,
        "trust": nomination.trust,
        "value": nomination.value,
        "services": sorted(s.name for s in nomination.services.all()),
        "wants_to_deepen": nomination.wants_to_deepen,
    }


def _received(organization, round, viewer):
    view = RoundView(round, viewer)
    reports = [r for r in view.reports() if r[1] == organization.pk]
    view.prepare_labels([r[0] for r in reports])
    return [
        {
            "reported_by": view.label(reporter),
            "collaboration_level": level,
            "they_refer_to_us": sends,
            "we_refer_to_them": receives,
            "data_agreement": agreement,
        }
        for reporter, _partner, level, sends, receives, agreement, *_rest in reports
    ]


def organization_record(organization, viewer):
    """Return everything EDN holds about the organization, as plain data."""
    responses = (
        Response.objects.filter(organization=organization)
        .select_related("round", "sector")
        .prefetch_related(
            "services",
            "nominations__partner",
            "nominations__services",
            "practices",
            "aspirations__organization",
        )
        .order_by("round__opens_at")
    )
    rounds = []
    for response in responses:
        rounds.append(
            {
                "round": response.round.name,
                "status": response.status,
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "visibility": response.visibility,
                "consent_to_participate": response.consent_to_participate,
                "consent_to_contact": response.consent_to_contact,
                "sector": response.sector.name if response.sector else "",
                "services": sorted(s.name for s in response.services.all()),
                "service_area": response.service_area,
                "size_band": response.size_band,
                "nominations_made": [
                    _nomination(n) for n in response.nominations.all()
                ],
                "would_like_to_work_with": [
                    a.organization.name for a in response.aspirations.all()
                ],
                "practices": [
                    {"stage": p.stage, "text": p.text, "consent": p.consent}
                    for p in response.practices.all()
                ],
            }
        )
    reviews = TieReview.objects.filter(organization=organization).select_related(
        "round"
    )
    named_in = Round.objects.filter(
        responses__status=Response.Status.SUBMITTED,
        responses__nominations__partner=organization,
    ).distinct()
    return {
        "organization": _profile(organization),
        "rounds": rounds,
        "nominations_received": {
            round.name: _received(organization, round, viewer) for round in named_in
        },
        "tie_reviews": [
            {"round": r.round.name, "verdict": r.verdict, "note": r.note}
            for r in reviews
        ],
        "withdrawal_requests": [
            {"status": w.status, "requested_at": w.created_at.isoformat()}
            for w in organization.withdrawal_requests.all()
        ],
    }


def _flatten(prefix, value, rows):
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, rows)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, inner in enumerate(value, start=1):
            _flatten(f"{prefix}[{i}]", inner, rows)
    elif isinstance(value, list):
        rows.append((prefix, "; ".join(str(v) for v in value)))
    else:
        rows.append((prefix, "" if value is None else str(value)))


def record_csv(record):
    """Return the record as CSV text: one field per row, formula-safe."""
    rows = []
    _flatten("", record, rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["field", "value"])
    for field, value in rows:
        writer.writerow([safe_cell(field), safe_cell(value)])
    return out.getvalue()


def approve_withdrawal(request_, staff_user):
    """Remove the organization's answers and rebuild the rounds they were in.

    What others reported about the organization stays, shown only as far as
    those reporters allow; the organization itself is marked inactive.
    """
    organization = request_.organization
    with transaction.atomic():
        responses = Response.objects.filter(organization=organization)
        rounds = {r.round for r in responses.select_related("round") if r.is_submitted}
        removed = responses.count()
        responses.delete()
        TieReview.objects.filter(organization=organization).delete()
        organization.is_active = False
        organization.save(update_fields=["is_active", "updated_at"])
        request_.status = WithdrawalRequest.Status.APPROVED
        request_.decided_by = staff_user
        request_.decided_at = timezone.now()
        request_.responses_removed = removed
        request_.save()
        for round in rounds:
            mark_round_dirty(round)
        record_event(
            AuditEvent.Action.WITHDRAWAL_APPROVED,
            f"Withdrawal approved: {removed} responses removed, "
            f"{len(rounds)} rounds to rebuild",
            actor=staff_user,
            organization=organization.name,
            details={
                "organization": organization.pk,
                "request": request_.pk,
                "responses_removed": removed,
                "rounds": sorted(round.pk for round in rounds),
            },
        )
    logger.info(
        "withdrew organization %s: %d responses removed, %d rounds to rebuild",
        organization.pk,
        removed,
        len(rounds),
    )
    return removed


def decline_withdrawal(request_, staff_user):
    """Decline a pending request; the organization's answers stay."""
    with transaction.atomic():
        request_.status = WithdrawalRequest.Status.DECLINED
        request_.decided_by = staff_user
        request_.decided_at = timezone.now()
        request_.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(
            AuditEvent.Action.WITHDRAWAL_DECLINED,
            "Withdrawal declined; the answers stay",
            actor=staff_user,
            organization=request_.organization.name,
            details={"organization": request_.organization_id, "request": request_.pk},
        )
    logger.info("declined the withdrawal of organization %s", request_.organization_id)


def labelled(record):
    """Return a copy of a record for the page, choices shown by their labels.

    Downloads keep the stored keys, which stay the same in every language.
    """

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        choices = CHOICE_FIELDS.get(key)
        if choices is not None and value in choices.values:
            return choices(value).label
        return value

    return walk(record)
