"""Writes to the audit log (PostgreSQL)."""

from __future__ import annotations

import logging

from django.db import DatabaseError

from truestyle.auditlog.models import AuditEntry

logger = logging.getLogger(__name__)


def audit_record(*, actor, action: str, object_type: str = "", object_id: str = "", before=None, after=None,
                 ip: str | None = None) -> AuditEntry | None:
    """Record who did what to which object. A PostgreSQL outage is logged, never raised to the caller."""
    try:
        return AuditEntry.objects.create(
            actor_id=str(actor.pk) if actor is not None and actor.pk else "",
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            ip_address=ip or None,
        )
    except DatabaseError:
        logger.exception("audit entry not written: %s %s:%s", action, object_type, object_id)
        return None
