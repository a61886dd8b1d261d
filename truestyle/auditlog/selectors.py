"""Reads of the request log and the audit log (PostgreSQL), newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from truestyle.auditlog.models import AuditEntry, RequestLogEntry

SQL = "default"


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.using(SQL).order_by("-created_at", "-pk")


def audit_entry_for_staff(*, entry_id) -> AuditEntry | None:
    if not str(entry_id).isdigit():
        return None
    return AuditEntry.objects.using(SQL).filter(pk=entry_id).first()


def audit_actions() -> list[str]:
    """Every action recorded so far, for the filter's choices."""
    return list(AuditEntry.objects.using(SQL).order_by("action").values_list("action", flat=True).distinct())


def request_log_entries() -> QuerySet[RequestLogEntry]:
    return RequestLogEntry.objects.using(SQL).order_by("-created_at", "-pk")


def audit_changes(entry: AuditEntry) -> list[dict]:
    """Field by field, what an entry's before and after say: [{"field", "before", "after", "changed"}]."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not before and not after:
        return []
    fields = list(dict.fromkeys([*before, *after]))
    return [{"field": field, "before": before.get(field), "after": after.get(field),
             "changed": before.get(field) != after.get(field)} for field in fields]
