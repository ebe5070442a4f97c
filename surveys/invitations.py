"""Decide whom to invite or remind in a round, and manage their links.

Every e-mail goes to a contact of a roster organization and carries that
organization's personal link; surveys.delivery sends and logs it.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from organizations.models import Membership
from surveys.access import hash_token
from surveys.delivery import (
    Delivery,
    Outcome,
    deliver,
    limit_reason,
    recent_history,
)
from surveys.models import Invitation, Response, Round, SentEmail

logger = logging.getLogger(__name__)


def accepts_answers(round_, now=None):
    """Return whether a round's links still open: open, and not past closing."""
    now = now or timezone.now()
    return round_.status == Round.Status.OPEN and (
        round_.closes_at is None or round_.closes_at > now
    )


def invitation_by_token(token):
    """Return the invitation a token names, whatever its state, or None."""
    return (
        Invitation.objects.select_related("round", "organization")
        .filter(token_hash=hash_token(token))
        .first()
    )


def link_works(invitation):
    """Return whether an invitation's link may still open its response."""
    return invitation.is_usable and accepts_answers(invitation.round)


def mark_opened(invitation):
    """Record the first time an invitation's link was opened."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )


def revoke_invitation(invitation):
    """Stop an invitation's link from working; return whether it changed."""
    changed = Invitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if changed:
        logger.info(
            "revoked invitation %s of organization %s in round %s",
            invitation.pk,
            invitation.organization_id,
            invitation.round_id,
        )
    return bool(changed)


def contacts_by_organization(organization_ids):
    """Return the e-mail addresses of each organization's contact people."""
    rows = (
        Membership.objects.filter(
            organization_id__in=organization_ids,
            role=Membership.Role.CONTACT,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("organization_id", "user__email")
    )
    contacts = defaultdict(list)
    for organization_id, email in rows:
        contacts[organization_id].append(email.lower())
    return contacts


def uninvited_organization_ids(round_):
    """Return the roster organizations with no working invitation and no
    answers yet."""
    invited = Invitation.objects.filter(
        round=round_, revoked_at__isnull=True, sent_at__isnull=False
    ).values("organization_id")
    answering = Response.objects.filter(round=round_).values("organization_id")
    return list(
        round_.roster.exclude(pk__in=invited)
        .exclude(pk__in=answering)
        .values_list("pk", flat=True)
    )


def reminder_due(invitation, round_, now):
    """Return whether the round's cadence calls for a reminder now."""
    if invitation.sent_at is None:
        return False
    if invitation.reminders_sent >= round_.reminder_limit:
        return False
    if now < invitation.sent_at + timedelta(days=round_.reminder_after_days):
        return False
    last = invitation.last_reminded_at
    return last is None or now >= last + timedelta(days=round_.reminder_every_days)


def plan_invitations(round_, organization_ids=None):
    """Return the invitations a run would send and an Outcome of the skips."""
    outcome = Outcome()
    organizations = _roster(round_, organization_ids, outcome)
    if not _round_takes_mail(round_, organizations, outcome):
        return [], outcome

    contacts = contacts_by_organization([o.pk for o in organizations])
    active = {
        (invitation.organization_id, invitation.email.lower()): invitation
        for invitation in Invitation.objects.filter(
            round=round_, organization__in=organizations, revoked_at__isnull=True
        ).order_by("created_at")
    }
    history = recent_history([e for emails in contacts.values() for e in emails])
    deliveries = []
    for organization in organizations:
        if not contacts.get(organization.pk):
            outcome.skip(organization, "no_contact")
            continue
        for email in contacts[organization.pk]:
            reason = limit_reason(history.get(email, []), round_.pk, organization.pk)
            if reason:
                outcome.skip(organization, reason)
                continue
            invitation = active.get((organization.pk, email))
            deliveries.append(Delivery(organization, email, invitation))
    return deliveries, outcome


def plan_reminders(round_, organization_ids=None, due_only=False):
    """Return the reminders a run would send and an Outcome of the skips.

    With due_only, only invitations the round's cadence calls for are
    reminded, and organizations with nothing due are passed over quietly.
    """
    outcome = Outcome()
    organizations = _roster(round_, organization_ids, outcome)
    if not _round_takes_mail(round_, organizations, outcome):
        return [], outcome

    now = timezone.now()
    submitted = set(
        Response.objects.filter(
            round=round_,
            organization__in=organizations,
            status=Response.Status.SUBMITTED,
        ).values_list("organization_id", flat=True)
    )
    invitations = defaultdict(list)
    for invitation in Invitation.objects.filter(
        round=round_,
        organization__in=organizations,
        revoked_at__isnull=True,
        sent_at__isnull=False,
    ).order_by("email"):
        invitations[invitation.organization_id].append(invitation)
    history = recent_history(
        [i.email.lower() for group in invitations.values() for i in group]
    )
    deliveries = []
    for organization in organizations:
        if organization.pk in submitted or not invitations[organization.pk]:
            if not due_only:
                reason = "submitted" if organization.pk in submitted else "not_invited"
                outcome.skip(organization, reason)
            continue
        for invitation in invitations[organization.pk]:
            if due_only and not reminder_due(invitation, round_, now):
                continue
            email = invitation.email.lower()
            reason = limit_reason(history.get(email, []), round_.pk, organization.pk)
            if reason:
                outcome.skip(organization, reason)
                continue
            deliveries.append(Delivery(organization, email, invitation))
    return deliveries, outcome


def invite_organizations(round_, organization_ids=None, sender=None):
    """Invite the contacts of a round's roster organizations (all, or chosen)."""
    deliveries, outcome = plan_invitations(round_, organization_ids)
    deliver(round_, deliveries, SentEmail.Kind.INVITATION, outcome, sender)
    logger.info(
        "invitations for round %s: %d sent, %d skipped",
        round_.pk,
        outcome.sent,
        len(outcome.skipped),
    )
    return outcome


def remind_organizations(round_, organization_ids=None, sender=None):
    """Remind the invited contacts of chosen organizations that have not submitted."""
    deliveries, outcome = plan_reminders(round_, organization_ids)
    deliver(round_, deliveries, SentEmail.Kind.REMINDER, outcome, sender)
    logger.info(
        "reminders for round %s: %d sent, %d skipped",
        round_.pk,
        outcome.sent,
        len(outcome.skipped),
    )
    return outcome


def send_due_reminders():
    """Remind, in every open round, the contacts the round's cadence calls for."""
    now = timezone.now()
    total = Outcome()
    rounds = Round.objects.filter(status=Round.Status.OPEN).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    for round_ in rounds:
        deliveries, outcome = plan_reminders(round_, due_only=True)
        deliver(round_, deliveries, SentEmail.Kind.REMINDER, outcome)
        if outcome.sent or outcome.skipped:
            logger.info(
                "due reminders for round %s: %d sent, %d skipped",
                round_.pk,
                outcome.sent,
                len(outcome.skipped),
            )
        total.merge(outcome)
    return total


def _roster(round_, organization_ids, outcome):
    organizations = round_.roster.order_by("name")
    if organization_ids is None:
        return list(organizations)
    wanted = {int(pk) for pk in organization_ids}
    found = list(organizations.filter(pk__in=wanted))
    for missing in sorted(wanted - {o.pk for o in found}):
        outcome.skip(f"#{missing}", "not_on_roster")
    return found


def _round_takes_mail(round_, organizations, outcome):
    if accepts_answers(round_):
        return True
    for organization in organizations:
        outcome.skip(organization, "not_open")
    return False
