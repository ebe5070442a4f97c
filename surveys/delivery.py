"""Send e-mails one by one under per-recipient limits, logging each.

A recipient gets at most one e-mail per round in 10 minutes and 5 a day, so a
double click or a retried task sends one e-mail.
"""

import logging
import smtplib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from surveys.invitation_mail import compose, new_invitation
from surveys.models import Invitation, Round, SentEmail

logger = logging.getLogger(__name__)

RECENT_WINDOW = timedelta(minutes=10)
DAILY_LIMIT = 5
NAMES_SHOWN = 3

SKIP_REASONS = {
    "not_open": gettext_lazy("the round is not open"),
    "not_on_roster": gettext_lazy("not on this round's roster"),
    "no_contact": gettext_lazy("no contact person on record"),
    "recent": gettext_lazy("already e-mailed in the last 10 minutes"),
    "daily_limit": gettext_lazy("already sent 5 e-mails in the last day"),
    "submitted": gettext_lazy("already submitted"),
    "not_invited": gettext_lazy("not invited yet"),
    "refused": gettext_lazy("address refused by the mail server"),
    "failed": gettext_lazy("the mail server did not answer"),
}


@dataclass
class Delivery:
    """One e-mail to send: to whom, for which organization, with which link."""

    organization: object
    email: str
    invitation: Invitation | None = None


@dataclass
class Outcome:
    """What a run sent and what it skipped, with the reason for each skip."""

    sent: int = 0
    skipped: list = field(default_factory=list)
    failed_organization_ids: list = field(default_factory=list)

    def skip(self, who, reason):
        self.skipped.append((str(who), reason))

    def fail(self, organization):
        self.skip(organization, "failed")
        if organization.pk not in self.failed_organization_ids:
            self.failed_organization_ids.append(organization.pk)

    def merge(self, other):
        self.sent += other.sent
        self.skipped += other.skipped
        self.failed_organization_ids += other.failed_organization_ids

    def as_dict(self):
        return {
            "sent": self.sent,
            "skipped": [list(pair) for pair in self.skipped],
            "failed_organization_ids": self.failed_organization_ids,
        }

    @classmethod
    def from_dict(cls, values):
        return cls(
            sent=values["sent"],
            skipped=[tuple(pair) for pair in values["skipped"]],
            failed_organization_ids=list(values["failed_organization_ids"]),
        )

    def summary(self, queued=False):
        """Return a sentence for staff: how many went out, what was skipped, why."""
        if queued:
            text = ngettext(
                "%(count)d e-mail queued.", "%(count)d e-mails queued.", self.sent
            )
        else:
            text = ngettext(
                "%(count)d e-mail sent.", "%(count)d e-mails sent.", self.sent
            )
        sentences = [text % {"count": self.sent}]
        if self.skipped:
            sentences.append(
                _("Skipped %(count)d: %(reasons)s.")
                % {"count": len(self.skipped), "reasons": self.summary_of_skips()}
            )
        return " ".join(sentences)

    def summary_of_skips(self):
        """Return the reasons for skipping, each with its count and names."""
        names = defaultdict(list)
        for who, reason in self.skipped:
            if who not in names[reason]:
                names[reason].append(who)
        parts = []
        for reason, count in Counter(r for _who, r in self.skipped).most_common():
            shown = ", ".join(names[reason][:NAMES_SHOWN])
            hidden = len(names[reason]) - NAMES_SHOWN
            if hidden > 0:
                shown = _("%(names)s and %(count)d more") % {
                    "names": shown,
                    "count": hidden,
                }
            parts.append(
                _("%(count)d %(reason)s (%(names)s)")
                % {"count": count, "reason": SKIP_REASONS[reason], "names": shown}
            )
        return "; ".join(parts)


def deliver(round_, deliveries, kind, outcome, sender=None):
    """Send planned e-mails one by one, logging each, and count them in outcome.

    Each recipient's limit is checked again under a lock on the round, so two
    runs started by a double click cannot both send.
    """
    for delivery in deliveries:
        claimed = _claim(round_, delivery, kind, sender, outcome)
        if claimed is None:
            continue
        message, log = claimed
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            log.delete()
            outcome.skip(delivery.organization, "refused")
            logger.warning("mail server refused %s e-mail %s", kind, log.pk)
            continue
        except (smtplib.SMTPException, OSError):
            log.delete()
            outcome.fail(delivery.organization)
            logger.warning(
                "could not send %s to organization %s",
                kind,
                delivery.organization.pk,
                exc_info=True,
            )
            continue
        _record_sent(log.invitation_id, kind)
        outcome.sent += 1
    return outcome


def recent_history(emails):
    """Return, per address, the (round, organization, time) of its e-mails in
    the last day."""
    since = timezone.now() - timedelta(days=1)
    rows = SentEmail.objects.filter(
        to__in=set(emails),
        sent_at__gte=since,
        kind__in=[SentEmail.Kind.INVITATION, SentEmail.Kind.REMINDER],
    ).values_list("to", "round_id", "organization_id", "sent_at")
    history = defaultdict(list)
    for to, round_id, organization_id, sent_at in rows:
        history[to.lower()].append(((round_id, organization_id), sent_at))
    return history


def limit_reason(history, round_id, organization_id):
    """Return why an address may not get another e-mail now, or None.

    The 10-minute window is per round and organization, so a person who is
    the contact of two organizations gets both invitations.
    """
    recent = timezone.now() - RECENT_WINDOW
    about = (round_id, organization_id)
    if any(key == about and sent_at > recent for key, sent_at in history):
        return "recent"
    if len(history) >= DAILY_LIMIT:
        return "daily_limit"
    return None


def _claim(round_, delivery, kind, sender, outcome):
    """Log an e-mail before it is sent, unless its recipient's limit is reached."""
    with transaction.atomic():
        list(Round.objects.select_for_update().filter(pk=round_.pk).values("pk"))
        history = recent_history([delivery.email]).get(delivery.email, [])
        reason = limit_reason(history, round_.pk, delivery.organization.pk)
        if reason:
            outcome.skip(delivery.organization, reason)
            return None
        invitation = delivery.invitation or new_invitation(
            round_, delivery.organization, delivery.email
        )
        invitation.round = round_
        invitation.organization = delivery.organization
        message = compose(kind, invitation, sender)
        log = SentEmail.objects.create(
            kind=kind,
            round=round_,
            organization=delivery.organization,
            invitation=invitation,
            to=delivery.email,
            subject=message.subject[:200],
            sent_by=sender,
        )
    return message, log


def _record_sent(invitation_id, kind):
    now = timezone.now()
    invitations = Invitation.objects.filter(pk=invitation_id)
    if kind == SentEmail.Kind.REMINDER:
        invitations.update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
    else:
        invitations.update(sent_at=now)
