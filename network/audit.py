"""Record who exported what from a round, and when."""

import logging

from audit.log import record_event
from audit.models import AuditEvent
from network.models import ExportLog

logger = logging.getLogger(__name__)


def record_export(user, round, format, variant, rows, snapshot=None):
    """Log one export of the round's data and return the log entry.

    The export log feeds the round's exports page; the same download is
    also written to the audit log, which lists every staff action on data.

    Parameters
    ----------
    user : User
        The person who downloaded it.
    round : Round
    format : str
        The file format, such as ``csv`` or ``gexf``.
    variant : str
        One of ``ExportLog.Variant``: ``full``, ``anonymized`` or ``table``.
    rows : int
        How many organizations (or table rows) the file holds.
    snapshot : NetworkSnapshot, optional
        The snapshot the file was read from.
    """
    if variant not in ExportLog.Variant.values:
        raise ValueError(f"unknown export variant {variant!r}")
    entry = ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        user_email=getattr(user, "email", "") or "",
        round=round,
        round_name=round.name,
        snapshot_version=snapshot.version if snapshot is not None else None,
        format=format,
        variant=variant,
        rows=rows,
    )
    record_event(
        AuditEvent.Action.EXPORT,
        f"{entry.get_variant_display()} {format} export, {rows} rows",
        actor=user,
        round=round,
        details={
            "format": format,
            "variant": variant,
            "rows": rows,
            "snapshot_version": entry.snapshot_version,
            "export_log": entry.pk,
        },
    )
    logger.info(
        "export %s: user %s took %s %s of round %s (%d rows)",
        entry.pk,
        entry.user_id,
        variant,
        format,
        round.pk,
        rows,
    )
    return entry
