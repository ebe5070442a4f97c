"""The audit log: what staff and scheduled tasks did to the data, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Round


class AuditEvent(models.Model):
    """One action on the data, written once and never changed.

    Who acted and which round it concerned are copied as text too, so an
    entry still says both after the person or the round is deleted. The
    summary and details hold names and counts, never anyone's answers.
    """

    class Action(models.TextChoices):
        EXPORT = "network.export", _("Export downloaded")
        MERGE = "organizations.merge", _("Organizations merged")
        WRITE_INS_MERGED = "organizations.write_ins_merged", _("Write-ins merged")
        ROSTER_IMPORT = "organizations.roster_import", _("Roster imported")
        WITHDRAWAL_APPROVED = (
            "participants.withdrawal_approved",
            _("Withdrawal approved"),
        )
        WITHDRAWAL_DECLINED = (
            "participants.withdrawal_declined",
            _("Withdrawal declined"),
        )
        PURGE = "surveys.responses_purged", _("Responses deleted (retention)")
        BACKUP = "data.backup", _("Backup made")
        RESTORE = "data.restore", _("Backup restored")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty when EDN acted on its own, on schedule or by command."),
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("round"),
    )
    round_name = models.CharField(_("round name"), max_length=100, blank=True)
    organization = models.CharField(_("organization"), max_length=400, blank=True)
    summary = models.TextField(_("what happened"))
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    @property
    def who(self):
        return self.actor_email or _("EDN (scheduled or command)")
