"""Writes to the audit log and the request log (PostgreSQL), and to their spool when PostgreSQL is away.

Both logs are written through one path (`request_log_write`), so a record that waited in the spool is
written exactly as it would have been. A record is a flat dict with a `kind` ("request" or "audit").
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from truestyle.auditlog.models import AuditEntry, RequestLogEntry
from truestyle.auditlog.spool import Spool, SpoolFile
from truestyle.auditlog.writer import RequestLogWriter

logger = logging.getLogger(__name__)

REQUEST = "request"
AUDIT = "audit"
# Errors that say "this row is wrong", not "PostgreSQL is away": retrying such a row would fail forever.
ROW_ERRORS = (DataError, IntegrityError)


def request_log_record(*, method: str, path: str, status_code: int, duration_ms: float, user_id: str = "",
                       client_ip: str | None = None, created_at: datetime | None = None) -> bool:
    """Hand one request to the background writer; never waits on PostgreSQL and never raises for it.

    Returns False only when the writer's buffer is full and the entry was dropped.
    """
    return request_log_writer.submit({
        "kind": REQUEST,
        "created_at": created_at or timezone.now(),
        "method": method[:10],
        "path": path[:2000],
        "status_code": status_code,
        "duration_ms": round(duration_ms, 3),
        "user_id": (user_id or "")[:64],
        "client_ip": _valid_ip(client_ip),
    })


def request_log_write(*, records: list[dict], database: str = "default") -> int:
    """Insert request and audit records in one transaction; returns the rows inserted.

    Raises `DatabaseError` (nothing written) when PostgreSQL cannot take them. A record PostgreSQL
    refuses as data, or one that is malformed, is logged and skipped so it cannot block the rest.
    """
    rows = [row for row in (_row_build(record) for record in records) if row is not None]
    if not rows:
        return 0
    try:
        with transaction.atomic(using=database):
            return _rows_insert(rows, database)
    except ROW_ERRORS:
        pass
    # One savepoint per row inside one transaction: an outage half-way still writes nothing.
    written = 0
    with transaction.atomic(using=database):
        for row in rows:
            try:
                with transaction.atomic(using=database):
                    written += _rows_insert([row], database)
            except ROW_ERRORS as error:
                logger.error("log record skipped, PostgreSQL refused it: %s (%s)", error, row[0])
    return written


def request_log_spool(*, records: list[dict], keep_open: bool = False) -> Path:
    """Keep records on local disk until `request_log_flush_spool` can write them; returns their file.

    By default the records get a file of their own, sealed at once. With `keep_open` (the writer, batch
    after batch during an outage) they go to this process's open spool file, which flushers see once it
    is sealed: by `request_log_spool_seal`, when it is full, or by a flush in this process.
    """
    if keep_open:
        return _spool_file.append(settings.REQUEST_LOG_SPOOL_DIR, records)
    return Spool(settings.REQUEST_LOG_SPOOL_DIR).append(records)


def request_log_spool_seal(*, due_only: bool = False) -> Path | None:
    """Seal this process's open spool file (with `due_only`, only once it is old enough); returns it, or None."""
    return _spool_file.seal(due_only=due_only)


def request_log_flush_spool(*, database: str = "default") -> int:
    """Write every sealed spool file (this process's open one is sealed first) to PostgreSQL once and
    delete it; returns the rows written.

    Safe to run in many processes at once: each file is claimed by exactly one. When PostgreSQL cannot
    take a file, the file is put back untouched and the `DatabaseError` is raised; files already
    written stay written. (A process killed between a file's commit and its deletion leaves the claim
    to be put back after `spool.STALE_CLAIM_SECONDS`, and that file's rows are then written twice.)
    """
    # This process's own open file first, so that a flush here leaves nothing of ours behind.
    request_log_spool_seal()
    spool = Spool(settings.REQUEST_LOG_SPOOL_DIR)
    spool.recover()
    written = 0
    for claim in spool.claims():
        try:
            written += request_log_write(records=claim.records(), database=database)
        except BaseException:
            claim.release()
            raise
        claim.done()
    return written


def audit_record_after_mongo_commit(*, actor, action: str, object_type: str = "", object_id: str = "",
                                    before=None, after=None, ip: str | None = None) -> None:
    """Inside a MongoDB transaction: record the entry once it commits (a retried or aborted attempt
    records nothing, so the log never shows a change that did not happen)."""
    from truestyle.core.transactions import on_mongo_commit

    on_mongo_commit(lambda: audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id,
                                         before=before, after=after, ip=ip), robust=True)


def audit_record(*, actor, action: str, object_type: str = "", object_id: str = "", before=None, after=None,
                 ip: str | None = None) -> AuditEntry | None:
    """Record who did what to which object; returns the entry, or None when it could not be written now.

    A PostgreSQL outage never reaches the caller: the record goes to the spool and is written, with its
    original time, once PostgreSQL is back. A record PostgreSQL refuses as data is logged and dropped.
    """
    record = {
        "kind": AUDIT,
        "created_at": timezone.now(),
        "actor_id": str(actor.pk) if actor is not None and actor.pk else "",
        "actor_email": getattr(actor, "email", "") or "",
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "ip_address": _valid_ip(ip),
    }
    try:
        return AuditEntry.objects.create(**{key: value for key, value in record.items() if key != "kind"})
    except ROW_ERRORS:
        logger.exception("audit entry refused by PostgreSQL: %s %s:%s", action, object_type, object_id)
        return None
    except DatabaseError as error:
        logger.warning("audit entry spooled, PostgreSQL unavailable (%s): %s %s:%s",
                       error.__class__.__name__, action, object_type, object_id)
    try:
        request_log_spool(records=[record])
    except Exception:
        logger.exception("audit entry lost: %s %s:%s", action, object_type, object_id)
    return None


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _row_build(record: dict) -> tuple[str, AuditEntry | RequestLogEntry, datetime] | None:
    try:
        fields = {key: value for key, value in record.items() if key != "kind"}
        created_at = fields["created_at"]
        if isinstance(created_at, str):
            created_at = fields["created_at"] = datetime.fromisoformat(created_at)
        if record["kind"] == REQUEST:
            return REQUEST, RequestLogEntry(**fields), created_at
        if record["kind"] == AUDIT:
            return AUDIT, AuditEntry(**fields), created_at
        raise ValueError(f"unknown kind {record['kind']!r}")
    except (KeyError, TypeError, ValueError) as error:
        logger.error("malformed log record skipped (%s): %r", error, record)
        return None


def _rows_insert(rows: list[tuple], database: str) -> int:
    requests = [entry for kind, entry, _ in rows if kind == REQUEST]
    audits = [(entry, created_at) for kind, entry, created_at in rows if kind == AUDIT]
    if requests:
        RequestLogEntry.objects.using(database).bulk_create(requests)
    if audits:
        AuditEntry.objects.using(database).bulk_create([entry for entry, _ in audits])
        # created_at is auto_now_add, so the insert stamped "now"; an entry that waited in the spool
        # keeps the time the action happened.
        AuditEntry.objects.using(database).filter(pk__in=[entry.pk for entry, _ in audits]).update(
            created_at=Case(*(When(pk=entry.pk, then=Value(created_at)) for entry, created_at in audits),
                            output_field=DateTimeField())
        )
    return len(requests) + len(audits)


# One open spool file per process, shared by every thread that spools with keep_open.
_spool_file = SpoolFile()

request_log_writer = RequestLogWriter(
    write=lambda records, database: request_log_write(records=records, database=database),
    spool=lambda records: request_log_spool(records=records, keep_open=True),
    seal=lambda due_only: request_log_spool_seal(due_only=due_only),
    drain=lambda database: request_log_flush_spool(database=database),
)
