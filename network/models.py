import gzip
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from surveys.models import Round


class NetworkSnapshot(models.Model):
    """One computed state of a round's network; readers use the newest."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.BUILDING
    )
    generation = models.PositiveIntegerField(
        default=0, help_text=_("The round's submission count this snapshot covers.")
    )
    responses_count = models.PositiveIntegerField(default=0)
    organizations_count = models.PositiveIntegerField(default=0)
    ties_count = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    sampling = models.JSONField(
        null=True, blank=True, help_text=_("How betweenness was sampled, if it was.")
    )
    # Gzipped JSON of the map (nodes and ties), compressed once per rebuild so
    # that pages can serve it without recompressing on every request.
    payload = models.BinaryField(default=b"", editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "-version"]
        get_latest_by = "version"
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "version"], name="snapshot_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.round} v{self.version}"

    def read_payload(self):
        """Return the map payload: nodes and ties, each a dict."""
        if not hasattr(self, "_payload_cache"):
            blob = bytes(self.payload or b"")
            payload = json.loads(gzip.decompress(blob)) if blob else {}
            columns = payload.pop("tie_columns", [])
            payload["ties"] = [
                dict(zip(columns, row, strict=True)) for row in payload.get("ties", [])
            ]
            payload.setdefault("nodes", [])
            self._payload_cache = payload
        return self._payload_cache

    @property
    def ties(self):
        return self.read_payload()["ties"]


class OrganizationMetrics(models.Model):
    """An organization's measures and map position in one snapshot.

    A write-in has no organization; it is named by its write-in key.
    """

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="metrics"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="metrics",
    )
    write_in_key = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    on_roster = models.BooleanField(default=False)
    responded = models.BooleanField(default=False)
    reported_by_others = models.BooleanField(default=False)
    in_degree = models.PositiveIntegerField(default=0)
    out_degree = models.PositiveIntegerField(default=0)
    betweenness = models.FloatField(default=0)
    closeness = models.FloatField(default=0)
    pagerank = models.FloatField(default=0)
    core = models.PositiveIntegerField(default=0)
    component = models.PositiveIntegerField(default=0)
    community = models.PositiveIntegerField(default=0)
    constraint = models.FloatField(null=True, blank=True)
    effective_size = models.FloatField(null=True, blank=True)
    position = models.CharField(max_length=20, blank=True)
    brokerage = models.JSONField(default=dict, blank=True)
    extras = models.JSONField(default=dict, blank=True)
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    # Where the participants' map places the organization: a layout of the
    # ties participants may see only. Null when participants do not see it.
    participant_x = models.FloatField(null=True, blank=True)
    participant_y = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("organization metrics")
        verbose_name_plural = _("organization metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "organization"], name="metrics_unique"
            ),
            models.UniqueConstraint(
                fields=["snapshot", "write_in_key"],
                condition=Q(organization__isnull=True),
                name="metrics_write_in_unique",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(write_in_key=""),
                name="metrics_organization_or_write_in",
            ),
        ]

    def __str__(self):
        return f"{self.name or self.organization} in {self.snapshot}"

    @property
    def node_id(self):
        """Return the id the network engine uses for this organization."""
        if self.organization_id:
            return self.organization_id
        return f"write-in:{self.write_in_key}"


class SnapshotMap(models.Model):
    """A snapshot's map payload for one audience in one language.

    Built and gzipped once while the rebuild stores the snapshot, so a map
    request only sends stored bytes. The etag names the content.
    """

    class Audience(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARTICIPANTS = "participants", _("Participants")

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="maps"
    )
    audience = models.CharField(max_length=12, choices=Audience.choices)
    language = models.CharField(max_length=10)
    payload = models.BinaryField(default=b"", editable=False)
    etag = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("snapshot map")
        verbose_name_plural = _("snapshot maps")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "audience", "language"],
                name="snapshot_map_unique",
            )
        ]

    def __str__(self):
        return f"{self.snapshot} {self.audience} {self.language}"


class RoundNetworkState(models.Model):
    """Where a round's rebuilds stand: what is wanted, queued, running, built.

    `generation` rises with every submission; a rebuild records the
    generation it read as `built_generation`, so a rebuild is only needed
    while `generation > built_generation`.
    """

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="network_state"
    )
    generation = models.PositiveIntegerField(default=0)
    built_generation = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    lease = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=40, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    rebuilds = models.PositiveIntegerField(
        default=0, help_text=_("How many rebuilds have finished.")
    )
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("round network state")
        verbose_name_plural = _("round network states")

    def __str__(self):
        return f"{self.round}: generation {self.generation}"

    @property
    def is_queued(self):
        return self.queued_at is not None

    @property
    def is_running(self):
        return self.running_since is not None

    @property
    def is_current(self):
        return self.built_generation >= self.generation


class ExportLog(models.Model):
    """One download of a round's data by a member of staff.

    The person and the round are copied as text too, so the log still says
    who took what after either is deleted.
    """

    class Variant(models.TextChoices):
        FULL = "full", _("Full")
        ANONYMIZED = "anonymized", _("Anonymized")
        TABLE = "table", _("Measures table")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_exports",
        verbose_name=_("user"),
    )
    user_email = models.EmailField(_("e-mail"), blank=True)
    round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_logs",
        verbose_name=_("round"),
    )
    round_name = models.CharField(_("round name"), max_length=100)
    snapshot_version = models.PositiveIntegerField(
        _("snapshot version"), null=True, blank=True
    )
    format = models.CharField(_("format"), max_length=10)
    variant = models.CharField(
        _("variant"), max_length=12, choices=Variant.choices, default=Variant.FULL
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        constraints = [
            models.CheckConstraint(
                condition=Q(variant__in=["full", "anonymized", "table"]),
                name="export_log_variant_valid",
            )
        ]

    def __str__(self):
        return f"{self.user_email} {self.round_name} {self.format} {self.variant}"
