"""Give the demo rounds the invitations a real round would have."""

import random
from datetime import timedelta

from django.utils import timezone

from surveys.access import hash_token, new_token
from surveys.invitation_mail import token_for
from surveys.models import Invitation, Response


def write_demo_invitations(round_, contacts):
    """Invite every roster organization that has a contact; return how many.

    Organizations that answered opened their link before answering; about
    half of the others opened it too. Those that have not submitted got the
    reminders their round's cadence allows by now.
    """
    rng = random.Random(f"invitations-{round_.slug}")
    now = timezone.now()
    end = min(round_.closes_at or now, now)
    answered = dict(
        Response.objects.filter(round=round_).values_list(
            "organization_id", "submitted_at"
        )
    )
    invitations = []
    for entry in round_.roster_entries.order_by("organization_id"):
        contact = contacts.get(entry.organization_id)
        if contact is None:
            continue
        sent = round_.opens_at + timedelta(hours=rng.uniform(1, 30))
        submitted = answered.get(entry.organization_id)
        opened = None
        if entry.organization_id in answered or rng.random() < 0.5:
            latest = submitted or end
            opened = sent + (latest - sent) * rng.uniform(0.05, 0.9)
        invitation = Invitation(
            round=round_,
            organization_id=entry.organization_id,
            email=contact.email,
            token_hash=new_token()[1],
            sent_at=sent,
            opened_at=opened,
        )
        if submitted is None:
            _remind(invitation, round_, end)
        invitations.append(invitation)

    Invitation.objects.bulk_create(invitations)
    # The link is signed over the invitation's id, known only now.
    for invitation in invitations:
        invitation.token_hash = hash_token(token_for(invitation))
    Invitation.objects.bulk_update(invitations, ["token_hash"])
    return len(invitations)


def _remind(invitation, round_, end):
    due = invitation.sent_at + timedelta(days=round_.reminder_after_days)
    while due <= end and invitation.reminders_sent < round_.reminder_limit:
        invitation.reminders_sent += 1
        invitation.last_reminded_at = due
        due += timedelta(days=round_.reminder_every_days)
