"""Rounds, their rosters, and the invitations and e-mails sent for them."""

import calendar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from organizations.models import (
    Organization,
)


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    roster = models.ManyToManyField(
        Organization,
        through="RosterEntry",
        related_name="rounds",
        blank=True,
        verbose_name=_("roster"),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("first reminder after (days)"), default=7
    )
    reminder_every_days = models.PositiveSmallIntegerField(
        _("then remind every (days)"), default=7
    )
    reminder_limit = models.PositiveSmallIntegerField(
        _("at most this many reminders"), default=3
    )
    keep_responses_months = models.PositiveSmallIntegerField(
        _("keep responses for (months after closing)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_(
            "Empty keeps them. Once this many months have passed since the "
            "round closed, EDN deletes its responses and rebuilds its map."
        ),
    )
    responses_purged_at = models.DateTimeField(
        _("responses deleted"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-created_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]),
                name="round_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="round_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def responses_purge_at(self):
        """Return when the retention setting says to delete the responses.

        None while the responses are kept: no retention set, or no closing
        date to count from.
        """
        if self.keep_responses_months is None or self.closes_at is None:
            return None
        return add_months(self.closes_at, self.keep_responses_months)

    def responses_expired(self, moment):
        """Return whether the responses are past retention at `moment`."""
        due = self.responses_purge_at
        return due is not None and due <= moment

    @property
    def responses_purge_overdue(self):
        """Return whether the responses wait for the next daily purge."""
        return self.responses_purged_at is None and self.responses_expired(now())


def add_months(moment, months):
    """Return `moment` that many calendar months later, on a day that exists."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class RosterEntry(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="roster_entries"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roster_entries"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"], name="roster_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.organization} in {self.round}"


class Invitation(models.Model):
    """A personal link that opens one organization's response in one round.

    Only a SHA-256 hash of the token is stored; the token itself exists in the
    e-mail that carried it.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["round", "organization"])]

    def __str__(self):
        return f"{self.organization} — {self.round} ({self.email})"

    @property
    def is_usable(self):
        """Return whether the link may still open its response."""
        round_ = self.round
        closed_by_date = round_.closes_at is not None and round_.closes_at <= now()
        return (
            self.revoked_at is None
            and round_.status == Round.Status.OPEN
            and not closed_by_date
        )


class SentEmail(models.Model):
    """A log line for every e-mail EDN sent; the body is not kept."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when EDN sent it on schedule."),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}"
