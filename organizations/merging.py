"""Merge organizations that are the same one entered more than once.

Rules, applied in one transaction:

- Memberships move to the kept organization; a person who already belongs
  to it keeps that membership, raised to contact if either one was.
- Roster entries move; a round whose roster already lists the kept
  organization keeps its entry.
- Responses move. When the kept organization already has a response in the
  same round, that response stays; the duplicate's nominations and practices
  move onto it unless they collide, and the stricter visibility of the two
  applies so no answer becomes more visible than its author chose.
- A practice collides when the kept response has one with the same stage and
  text.
- Nominations that name a duplicate, or write in any name, short name or
  alias of the merged organizations, come to name the kept one. One that
  would name its own organization is dropped. When a response ends up naming
  the kept organization twice, the richer nomination (more tie attributes
  answered) stays; on a tie the one already there stays.
- Network metrics of the duplicates are deleted; the next rebuild recomputes
  them.
- Rows of any other model that point at a duplicate (invitations, sent
  e-mails, ...) are moved to the kept organization one by one; a row the
  database refuses to move, because the kept organization already has its
  twin or it would point at itself, is deleted.
- The duplicates' names, short names and aliases become aliases of the kept
  organization; its blank details are filled from the duplicates and it
  gains their services. Then the duplicates are deleted.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from audit.log import record_event
from audit.models import AuditEvent
from network.models import OrganizationMetrics
from organizations.models import Membership, Organization, normalize_name
from surveys.models import (
    DataAgreement,
    DataSharing,
    Nomination,
    Response,
    RosterEntry,
    Visibility,
)

logger = logging.getLogger(__name__)

# Relations to Organization that the rules above move explicitly.
HANDLED_RELATIONS = {
    (Membership, "organization"),
    (RosterEntry, "organization"),
    (Response, "organization"),
    (Nomination, "respondent"),
    (Nomination, "partner"),
    (OrganizationMetrics, "organization"),
}

# From the most to the least visible.
VISIBILITY_ORDER = [Visibility.NAMED, Visibility.ANONYMOUS, Visibility.STAFF]
FILLED_FIELDS = [
    "description",
    "website",
    "address",
    "zip_code",
    "service_area",
    "size_band",
]


@dataclass
class MergeResult:
    kept: Organization
    merged_names: list[str]
    memberships: int = 0
    roster_entries: int = 0
    responses_moved: int = 0
    responses_folded: int = 0
    practices: int = 0
    nominations: int = 0
    nominations_dropped: int = 0
    write_ins: int = 0


@transaction.atomic
def merge_organizations(keep, duplicates, *, actor=None):
    """Fold every duplicate into `keep` and delete the duplicates.

    The merge is written to the audit log with `actor` as who did it.
    """
    keep = Organization.objects.select_for_update().get(pk=keep.pk)
    duplicate_ids = sorted({d.pk for d in duplicates} - {keep.pk})
    if not duplicate_ids:
        raise ValueError("Choose at least one organization to merge into another.")
    duplicates = list(
        Organization.objects.select_for_update()
        .filter(pk__in=duplicate_ids)
        .order_by("pk")
    )
    result = MergeResult(kept=keep, merged_names=[d.name for d in duplicates])
    name_keys = {
        normalize_name(name)
        for organization in [keep, *duplicates]
        for name in organization.known_names()
    }

    _move_memberships(keep, duplicate_ids, result)
    _move_roster_entries(keep, duplicate_ids, result)
    _move_responses(keep, duplicate_ids, result)

    named = Nomination.objects.filter(partner_id__in=duplicate_ids)
    for nomination in named.select_related("response").order_by("pk"):
        if _place(nomination, nomination.response, keep):
            result.nominations += 1
        else:
            result.nominations_dropped += 1
    write_ins = Nomination.objects.filter(
        partner__isnull=True, write_in_key__in=name_keys
    )
    for nomination in write_ins.select_related("response").order_by("pk"):
        if _place(nomination, nomination.response, keep):
            result.write_ins += 1
        else:
            result.nominations_dropped += 1

    OrganizationMetrics.objects.filter(organization_id__in=duplicate_ids).delete()
    _move_other_relations(keep, duplicate_ids, HANDLED_RELATIONS)
    _absorb_details(keep, duplicates)
    _, deleted = Organization.objects.filter(pk__in=duplicate_ids).delete()
    _record_merge(result, duplicate_ids, actor)

    logger.info(
        "merged organizations %s into %s: %d memberships, %d roster entries, "
        "%d responses moved, %d folded, %d nominations, %d write-ins, "
        "%d nominations dropped; deleted %s",
        duplicate_ids,
        keep.pk,
        result.memberships,
        result.roster_entries,
        result.responses_moved,
        result.responses_folded,
        result.nominations,
        result.write_ins,
        result.nominations_dropped,
        deleted,
    )
    return result


def _record_merge(result, duplicate_ids, actor):
    counts = {
        field: getattr(result, field)
        for field in [
            "memberships",
            "roster_entries",
            "responses_moved",
            "responses_folded",
            "practices",
            "nominations",
            "nominations_dropped",
            "write_ins",
        ]
    }
    merged = ", ".join(result.merged_names)
    record_event(
        AuditEvent.Action.MERGE,
        f"Merged {merged} into {result.kept.name}",
        actor=actor,
        organization=result.kept.name,
        details={
            "kept": result.kept.pk,
            "merged": duplicate_ids,
            "merged_names": result.merged_names,
            **counts,
        },
    )


def _move_memberships(keep, duplicate_ids, result):
    current = {m.user_id: m for m in keep.memberships.all()}
    moving = Membership.objects.filter(organization_id__in=duplicate_ids)
    for membership in moving.order_by("pk"):
        kept = current.get(membership.user_id)
        if kept is None:
            membership.organization = keep
            membership.save(update_fields=["organization"])
            current[membership.user_id] = membership
            result.memberships += 1
        elif membership.role == Membership.Role.CONTACT and kept.role != "contact":
            kept.role = Membership.Role.CONTACT
            kept.save(update_fields=["role"])


def _move_roster_entries(keep, duplicate_ids, result):
    rounds = set(keep.roster_entries.values_list("round_id", flat=True))
    moving = RosterEntry.objects.filter(organization_id__in=duplicate_ids)
    for entry in moving.order_by("added_at", "pk"):
        if entry.round_id not in rounds:
            entry.organization = keep
            entry.save(update_fields=["organization"])
            rounds.add(entry.round_id)
            result.roster_entries += 1


def _move_responses(keep, duplicate_ids, result):
    moving = Response.objects.filter(organization_id__in=duplicate_ids)
    for response in moving.order_by("round_id", "pk"):
        kept = Response.objects.filter(round_id=response.round_id, organization=keep)
        kept = kept.first()
        if kept is None:
            # Naming the kept organization would become naming oneself.
            selves = response.nominations.filter(partner=keep)
            result.nominations_dropped += selves.count()
            selves.delete()
            response.organization = keep
            response.save(update_fields=["organization"])
            response.nominations.update(respondent=keep)
            result.responses_moved += 1
        else:
            _fold_response(response, kept, result)
            result.responses_folded += 1


def _fold_response(response, kept, result):
    for nomination in response.nominations.order_by("pk"):
        if not _place(nomination, kept, nomination.partner):
            result.nominations_dropped += 1

    texts = {(p.stage, normalize_name(p.text)) for p in kept.practices.all()}
    for practice in response.practices.order_by("pk"):
        key = (practice.stage, normalize_name(practice.text))
        if key not in texts:
            practice.response = kept
            practice.save(update_fields=["response"])
            texts.add(key)
            result.practices += 1

    visibility = max(kept.visibility, response.visibility, key=VISIBILITY_ORDER.index)
    kept.visibility = visibility
    # A form still open on the old version must not overwrite the merge.
    kept.version += 1
    kept.save(update_fields=["visibility", "version", "updated_at"])
    response.delete()


def _place(nomination, response, partner):
    """Move a nomination onto a response and partner; return whether it stays.

    `partner` None keeps the nomination a write-in under its own name.
    """
    if partner is not None and partner.pk == response.organization_id:
        nomination.delete()
        return False

    others = response.nominations.exclude(pk=nomination.pk)
    if partner is not None:
        rival = others.filter(partner=partner).first()
    else:
        rival = others.filter(
            partner__isnull=True, write_in_key=nomination.write_in_key
        ).first()
    if rival is not None:
        if _richness(nomination) <= _richness(rival):
            nomination.delete()
            return False
        rival.delete()

    nomination.response = response
    if partner is not None:
        nomination.partner = partner
        nomination.write_in_name = ""
    nomination.save()
    return True


def _richness(nomination):
    """Count the tie attributes a respondent answered beyond the defaults."""
    answered = [
        nomination.collaboration_level != "communication",
        nomination.sends_referrals,
        nomination.receives_referrals,
        nomination.data_sharing != DataSharing.NONE,
        nomination.data_agreement != DataAgreement.NONE,
        bool(nomination.frequency),
        nomination.trust is not None,
        nomination.value is not None,
        nomination.wants_to_deepen,
    ]
    return sum(answered) + nomination.services.count()


def _move_other_relations(keep, duplicate_ids, handled):
    """Point rows of models the rules do not name at the kept organization."""
    # Hidden relations (related_name "+") count too, such as a respondent.
    for relation in Organization._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model, field = relation.related_model, relation.field.name
        if relation.many_to_many or (model, field) in handled:
            continue
        rows = model._default_manager.filter(**{f"{field}__in": duplicate_ids})
        moved = dropped = 0
        for pk in rows.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{field: keep})
                moved += 1
            except IntegrityError:
                model._default_manager.filter(pk=pk).delete()
                dropped += 1
        if moved or dropped:
            logger.info(
                "merge into %s: %s.%s moved %d, dropped %d",
                keep.pk,
                model._meta.label,
                field,
                moved,
                dropped,
            )


def _absorb_details(keep, duplicates):
    for duplicate in duplicates:
        for name in duplicate.known_names():
            keep.add_alias(name)
        for field in FILLED_FIELDS:
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        if keep.latitude is None and duplicate.latitude is not None:
            keep.latitude = duplicate.latitude
            keep.longitude = duplicate.longitude
        if keep.sector_id is None:
            keep.sector_id = duplicate.sector_id
        keep.services.add(*duplicate.services.all())
    keep.save()


@transaction.atomic
def adopt_write_ins(keep, nominations):
    """Make write-in nominations name `keep`; return (moved, dropped).

    The rules above apply: a nomination that would name its own
    organization is dropped, and where a response already names `keep`, the
    richer of the two nominations stays.
    """
    moved = dropped = 0
    rows = nominations.filter(partner__isnull=True).select_related("response")
    for nomination in rows.order_by("pk"):
        if _place(nomination, nomination.response, keep):
            moved += 1
        else:
            dropped += 1
    logger.info(
        "write-ins adopted by organization %s: %d moved, %d dropped",
        keep.pk,
        moved,
        dropped,
    )
    return moved, dropped
