"""What a response holds: the answers, nominations, practices, wishes."""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import (
    Organization,
    Sector,
    Service,
    SizeBand,
    normalize_name,
)
from surveys.models.rounds import Round


class Visibility(models.TextChoices):
    NAMED = "named", _("Named to all participants")
    ANONYMOUS = "anonymous", _("Anonymous to participants")
    STAFF = "staff", _("Staff only")


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every save; a stale save is refused.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    visibility = models.CharField(
        _("who may see these answers"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.STAFF,
    )
    consent_to_participate = models.BooleanField(
        _("agrees to the terms of the survey"), default=False
    )
    consent_to_contact = models.BooleanField(
        _("may be contacted about the answers"), default=False
    )
    # The organization as it describes itself in this round; prefilled from
    # the organization record or the last round's response.
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services")
    )
    service_area = models.CharField(_("service area"), max_length=200, blank=True)
    size_band = models.CharField(
        _("size"), max_length=20, choices=SizeBand.choices, blank=True
    )
    started_at = models.DateTimeField(
        _("first opened"),
        null=True,
        blank=True,
        help_text=_("When a respondent first opened the survey; prefilled then."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "organization__name"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"], name="response_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="submitted", submitted_at__isnull=False),
                name="response_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["named", "anonymous", "staff"]),
                name="response_visibility_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.round}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def has_unsubmitted_changes(self):
        """Return whether answers changed after the last submission."""
        # Submitting sets both times to the same instant; any later save
        # moves updated_at past it.
        if not self.is_submitted or self.updated_at is None:
            return False
        return self.updated_at > self.submitted_at


class CollaborationLevel(models.TextChoices):
    COMMUNICATION = "communication", _("Communication")
    COORDINATION = "coordination", _("Coordination")
    COLLABORATION = "collaboration", _("Collaboration")


class DataSharing(models.TextChoices):
    NONE = "none", _("None")
    AGGREGATE = "aggregate", _("Aggregate data")
    RECORD = "record", _("Record-level data")


class DataAgreement(models.TextChoices):
    NONE = "none", _("None")
    IN_PROGRESS = "in_progress", _("In progress")
    SIGNED = "signed", _("Signed")


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("Once or twice a year")
    QUARTERLY = "quarterly", _("Every few months")
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly or more")


RATING_RANGE = [MinValueValidator(1), MaxValueValidator(4)]

# Checks that only restate the fields' own validation (choices and the rating
# range). The database enforces them on every write; validating a form need
# not ask it again, which cost three queries per changed partner on autosave.
FIELD_CHECKS = {
    "nomination_trust_range",
    "nomination_value_range",
    "nomination_choices_valid",
}


class Nomination(models.Model):
    """A respondent's report that its organization works with a partner."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="nominations"
    )
    # Copied from the response so the database can refuse self-nominations.
    respondent = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", editable=False
    )
    partner = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="nominations_received",
        verbose_name=_("partner"),
    )
    write_in_name = models.CharField(_("write-in name"), max_length=200, blank=True)
    write_in_key = models.CharField(max_length=200, blank=True, editable=False)
    collaboration_level = models.CharField(
        _("collaboration level"),
        max_length=15,
        choices=CollaborationLevel.choices,
        default=CollaborationLevel.COMMUNICATION,
    )
    sends_referrals = models.BooleanField(_("we refer clients to them"), default=False)
    receives_referrals = models.BooleanField(
        _("they refer clients to us"), default=False
    )
    data_sharing = models.CharField(
        _("data sharing"),
        max_length=10,
        choices=DataSharing.choices,
        default=DataSharing.NONE,
    )
    data_agreement = models.CharField(
        _("data-use agreement"),
        max_length=12,
        choices=DataAgreement.choices,
        default=DataAgreement.NONE,
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, blank=True
    )
    trust = models.PositiveSmallIntegerField(
        _("trust (1–4)"), null=True, blank=True, validators=RATING_RANGE
    )
    value = models.PositiveSmallIntegerField(
        _("value (1–4)"), null=True, blank=True, validators=RATING_RANGE
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="nominations", verbose_name=_("services")
    )
    wants_to_deepen = models.BooleanField(
        _("we would like to deepen this"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(write_in_name=""))
                | (Q(partner__isnull=True) & ~Q(write_in_key="")),
                name="nomination_partner_or_write_in",
            ),
            models.CheckConstraint(
                condition=~Q(partner=F("respondent")),
                name="nomination_not_self",
            ),
            models.UniqueConstraint(
                fields=["response", "partner"],
                condition=Q(partner__isnull=False),
                name="nomination_partner_once",
            ),
            models.UniqueConstraint(
                fields=["response", "write_in_key"],
                condition=Q(partner__isnull=True),
                name="nomination_write_in_once",
            ),
            models.CheckConstraint(
                condition=Q(trust__isnull=True) | Q(trust__gte=1, trust__lte=4),
                name="nomination_trust_range",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=4),
                name="nomination_value_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    collaboration_level__in=CollaborationLevel.values,
                    data_sharing__in=DataSharing.values,
                    data_agreement__in=DataAgreement.values,
                ),
                name="nomination_choices_valid",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} → {self.partner_name}"

    def save(self, *args, **kwargs):
        self.respondent_id = self.response.organization_id
        self.write_in_name = re.sub(r"\s+", " ", self.write_in_name).strip()
        self.write_in_key = normalize_name(self.write_in_name)
        super().save(*args, **kwargs)

    def get_constraints(self):
        """The constraints validation asks the database about."""
        return [
            (model, [c for c in constraints if c.name not in FIELD_CHECKS])
            for model, constraints in super().get_constraints()
        ]

    @property
    def partner_name(self):
        return self.partner.name if self.partner_id else self.write_in_name

    @property
    def is_write_in(self):
        return self.partner_id is None


class LifeCycleStage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    COLLECTION = "collection", _("Collection")
    ACCESS = "access", _("Access and sharing")
    ANALYSIS = "analysis", _("Analysis")
    REPORTING = "reporting", _("Reporting")
    GOVERNANCE = "governance", _("Governance")


class Practice(models.Model):
    """An equitable data practice shared in a response."""

    class Consent(models.TextChoices):
        NAMED = "named", _("Publish with our name")
        UNNAMED = "unnamed", _("Publish without our name")
        PRIVATE = "private", _("Do not publish")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="practices"
    )
    stage = models.CharField(
        _("life-cycle stage"), max_length=12, choices=LifeCycleStage.choices
    )
    # The key of a practice suggested in surveys/practices.py, or empty for a
    # story told in the respondent's own words.
    suggestion = models.CharField(
        _("suggested practice"), max_length=40, blank=True, editable=False
    )
    text = models.TextField(_("practice"), max_length=5000)
    consent = models.CharField(
        _("consent to publish"),
        max_length=10,
        choices=Consent.choices,
        default=Consent.PRIVATE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stage", "created_at"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="practice_text_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=LifeCycleStage.values,
                    consent__in=["named", "unnamed", "private"],
                ),
                name="practice_choices_valid",
            ),
            models.UniqueConstraint(
                fields=["response", "suggestion"],
                condition=~Q(suggestion=""),
                name="practice_suggestion_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.text[:60]}"

    @property
    def is_story(self):
        return not self.suggestion


class Aspiration(models.Model):
    """An organization a respondent would like to work with, but does not yet.

    Kept apart from nominations so that a wish never becomes a tie in the
    network; the engine reads nominations only.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="aspirations"
    )
    # Copied from the response so the database can refuse self-aspirations.
    respondent = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", editable=False
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="aspirations_received",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("aspirational tie")
        verbose_name_plural = _("aspirational ties")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "organization"], name="aspiration_once"
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("respondent")),
                name="aspiration_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} ☆ {self.organization}"

    def save(self, *args, **kwargs):
        self.respondent_id = self.response.organization_id
        super().save(*args, **kwargs)
