from django.db import models
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
    responses_count = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, blank=True)
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


class OrganizationMetrics(models.Model):
    """An organization's measures and map position in one snapshot."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="metrics"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="metrics"
    )
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
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)

    class Meta:
        verbose_name = _("organization metrics")
        verbose_name_plural = _("organization metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "organization"], name="metrics_unique"
            )
        ]

    def __str__(self):
        return f"{self.organization} in {self.snapshot}"
