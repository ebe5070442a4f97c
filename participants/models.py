from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from surveys.models import Round


class AnonymousLabel(models.Model):
    """The number an organization shown anonymously carries in one round.

    Numbers are handed out once, in an order that says nothing about the
    organization, and never change within the round.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("anonymous label")
        verbose_name_plural = _("anonymous labels")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"], name="anonymous_label_once"
            ),
            models.UniqueConstraint(
                fields=["round", "number"], name="anonymous_label_number_once"
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.number}"


class TieReview(models.Model):
    """An organization's view of a tie another organization reported about it."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", _("We work with them")
        DISPUTED = "disputed", _("We do not work with them")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="tie_reviews"
    )
    reporter = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(_("our view"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("note for the coordinating team"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "organization", "-updated_at"]
        verbose_name = _("tie review")
        verbose_name_plural = _("tie reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization", "reporter"], name="tie_review_once"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=["confirmed", "disputed"]),
                name="tie_review_verdict_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} on {self.reporter}: {self.verdict}"


class WithdrawalRequest(models.Model):
    """A member's request that EDN remove the organization's answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved: answers removed")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="withdrawal_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("why (optional)"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    responses_removed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]),
                name="withdrawal_status_valid",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="pending"),
                name="withdrawal_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_status_display()})"
