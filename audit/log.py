"""Write an entry to the audit log from wherever staff change data."""

import logging

from audit.models import AuditEvent

logger = logging.getLogger(__name__)


def record_event(
    action, summary, *, actor=None, round=None, organization="", details=None
):
    """Store one audit event and return it.

    Call it inside the transaction that makes the change, so the entry and
    the change are kept or lost together. `actor` is None for scheduled
    tasks and commands; `details` holds counts and ids, never answers.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    person = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent.objects.create(
        actor=person,
        actor_email=getattr(person, "email", "") or "",
        action=action,
        round=round,
        round_name=round.name if round is not None else "",
        organization=str(organization)[:400],
        summary=summary,
        details=details or {},
    )
    logger.info(
        "audit %s: %s by user %s, round %s",
        event.pk,
        action,
        event.actor_id,
        event.round_id,
    )
    return event
