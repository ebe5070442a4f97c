"""The practice guide: stages, topics, entries and the practices behind them."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from surveys.models import CollaborationLevel, Practice

# A practice may appear in the guide only with one of these consents.
PUBLISHABLE_CONSENTS = [Practice.Consent.NAMED, Practice.Consent.UNNAMED]


class GuideSettings(models.Model):
    """Choices staff make about the guide as a whole; a single row."""

    is_public = models.BooleanField(
        _("anyone may read the guide without signing in"), default=False
    )

    class Meta:
        verbose_name = _("guide settings")
        verbose_name_plural = _("guide settings")

    def __str__(self):
        return str(_("Guide settings"))

    @classmethod
    def current(cls):
        """Return the settings row, created from GUIDE_PUBLIC the first time."""
        row, _created = cls.objects.get_or_create(
            pk=1, defaults={"is_public": settings.GUIDE_PUBLIC}
        )
        return row


class Stage(models.Model):
    """A stage of the data life cycle, with the questions an equity lens asks."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    summary = models.CharField(_("one-line summary"), max_length=200, blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Markdown: *emphasis*, lists.")
    )
    questions = models.TextField(
        _("equity-lens questions"), blank=True, help_text=_("One question a line.")
    )
    # The survey's life-cycle stages whose practices belong here.
    survey_stages = models.JSONField(_("survey stages"), default=list, blank=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:stage", args=[self.slug])

    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @classmethod
    def for_survey_stage(cls, code):
        """Return the stage that holds practices of a survey stage, if any."""
        for stage in cls.objects.all():
            if code in stage.survey_stages:
                return stage
        return cls.objects.first()


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class EntryQuerySet(models.QuerySet):
    def for_participants(self):
        """Published entries that still have a practice consenting to it."""
        consenting = Submission.objects.filter(
            entry=OuterRef("pk"),
            state__in=[Submission.State.PUBLISHED, Submission.State.MERGED],
            practice__consent__in=PUBLISHABLE_CONSENTS,
        )
        return self.filter(status=Entry.Status.PUBLISHED).filter(Exists(consenting))

    def search(self, words):
        """Entries whose title or text holds every word."""
        query = Q()
        for word in words.split()[:8]:
            query &= Q(title__icontains=word) | Q(text__icontains=word)
        return self.filter(query)


class Entry(models.Model):
    """A practice as the guide publishes it, edited for clarity by staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not published")
        PUBLISHED = "published", _("Published")

    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="entries", verbose_name=_("stage")
    )
    title = models.CharField(_("title"), max_length=160)
    text = models.TextField(
        _("text"), max_length=5000, help_text=_("Plain text or simple Markdown.")
    )
    collaboration_level = models.CharField(
        _("collaboration level"),
        max_length=15,
        choices=CollaborationLevel.choices,
        blank=True,
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="entries", verbose_name=_("topics")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["stage__position", "title"]
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="published", published_at__isnull=False),
                name="entry_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(text=""), name="entry_not_blank"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:entry", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class Submission(models.Model):
    """A practice offered for the guide, and what staff decided about it.

    The respondent's own words stay on the practice; staff edit the entry.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        MERGED = "merged", _("Merged into an entry")
        DECLINED = "declined", _("Declined")

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="submission"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Deleting an entry deletes its decisions, so its practices return to the
    # review queue at the next sync.
    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("entry"),
    )
    note = models.TextField(_("note to the organization"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("submitted practice")
        verbose_name_plural = _("submitted practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending")
                | Q(state="declined")
                | Q(entry__isnull=False),
                name="submission_in_guide_has_entry",
            ),
        ]

    def __str__(self):
        return f"{self.practice} ({self.get_state_display()})"

    @property
    def organization(self):
        return self.practice.response.organization

    @property
    def is_named(self):
        return self.practice.consent == Practice.Consent.NAMED


class Adoption(models.Model):
    """An organization's mark on an entry: it uses it, or wants to try it."""

    class Kind(models.TextChoices):
        USE = "use", _("We use this")
        TRY = "try", _("We want to try this")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="adoptions")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="guide_adoptions"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organization", "kind"], name="adoption_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["use", "try"]), name="adoption_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.get_kind_display()} — {self.entry}"
