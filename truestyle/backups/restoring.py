"""Restores: an archive (a stored backup or an upload) is checked, confirmed by a person, then applied.

Nothing changes unless the whole archive passed `restore_validate` (manifest, format version,
schema version, every member's checksum and size, every record readable) just before it is applied.
Applying replaces the PostgreSQL tables in one transaction, then each MongoDB collection of the
archive, then each GridFS bucket (see truestyle.backups.store_data for what cannot be atomic).
The audit entry of a restore is written after it, so it is the first entry of the restored log.
"""

from __future__ import annotations

import logging
import tarfile
import time
from datetime import timedelta
from types import SimpleNamespace

from django.core.cache import cache
from django.core.files.base import File
from django.utils import timezone

from truestyle.auditlog.services import audit_record
from truestyle.backups import archive, store_data
from truestyle.backups.models import BackupLog, JobStatus, RestoreLog
from truestyle.backups.progress import Progress
from truestyle.core.errors import Conflict, NotFound, StoreError

logger = logging.getLogger(__name__)
Status = RestoreLog.Status
# A job older than this that still says "running" was lost with its worker: it no longer blocks a restore.
STALE_AFTER = timedelta(hours=6)


def restore_validate(stream, *, manifest_out: dict | None = None) -> list[str]:
    """What is wrong with the archive read from `stream`, as messages for staff; [] if it may be restored."""
    return archive.archive_problems(stream, expected_migrations=store_data.applied_migrations(),
                                    expected_sql_columns=store_data.sql_columns(),
                                    excluded_collections=store_data.EXCLUDED_COLLECTIONS, manifest_out=manifest_out)


def _stored_problems(name: str, manifest_out: dict | None = None) -> list[str]:
    try:
        stored = archive.archive_storage().open(name)
    except FileNotFoundError:
        return ["The archive is no longer stored."]
    with stored:
        return restore_validate(stored, manifest_out=manifest_out)


def _actor_fields(actor) -> dict:
    return {"actor_id": str(actor.pk) if actor is not None and actor.pk else "",
            "actor_email": getattr(actor, "email", "") or ""}


def restore_prepare(*, actor, backup_id=None, upload=None) -> RestoreLog:
    """Record a restore from a stored backup or an uploaded archive and check it.

    Returns the log: `awaiting` confirmation if the archive may be restored, else `refused` with
    its validation errors. Nothing of the store changes here.
    """
    if backup_id:
        backup = BackupLog.objects.filter(pk=backup_id, status=JobStatus.SUCCEEDED).exclude(archive="").first()
        if backup is None:
            raise NotFound("No such backup.")
        log = RestoreLog.objects.create(source=RestoreLog.Source.BACKUP, backup_id=str(backup.pk),
                                        archive=backup.archive, size_bytes=backup.size_bytes, **_actor_fields(actor))
    else:
        if upload is None or not getattr(upload, "size", 0):
            raise StoreError("Choose a backup archive (.tar.gz) to upload.", code="invalid",
                             fields={"archive": ["Choose a backup archive."]})
        stored = archive.archive_storage().save("restore-upload.tar.gz", File(upload, name="restore-upload.tar.gz"))
        log = RestoreLog.objects.create(source=RestoreLog.Source.UPLOAD, archive=stored,
                                        filename=(getattr(upload, "name", "") or "")[:100],
                                        size_bytes=archive.archive_storage().size(stored), **_actor_fields(actor))
    manifest: dict = {}
    problems = _stored_problems(log.archive, manifest)
    if problems:
        RestoreLog.objects.filter(pk=log.pk).update(status=Status.REFUSED, validation_errors=problems,
                                                    finished_at=timezone.now())
        audit_record(actor=actor, action="backup.restore_refused", object_type="restore", object_id=str(log.pk),
                     after={"problems": problems[:5]})
    else:
        RestoreLog.objects.filter(pk=log.pk).update(counts=manifest["counts"],
                                                    archive_created_at=str(manifest.get("created_at", ""))[:40])
    log.refresh_from_db()
    return log


def restore_in_progress(exclude_restore=None) -> bool:
    """Whether a restore is queued or running (one lost with its worker long ago does not count)."""
    restores = RestoreLog.objects.filter(status__in=[Status.QUEUED, Status.RUNNING],
                                         created_at__gte=timezone.now() - STALE_AFTER)
    if exclude_restore is not None:
        restores = restores.exclude(pk=exclude_restore)
    return restores.exists()


def _busy(exclude_restore=None) -> bool:
    backups = BackupLog.objects.filter(status__in=BackupLog.RUNNING, created_at__gte=timezone.now() - STALE_AFTER)
    return restore_in_progress(exclude_restore) or backups.exists()


def restore_confirm(*, actor, restore_id) -> RestoreLog:
    """A person said yes: queue the restore. Refused while another backup or restore is under way."""
    log = RestoreLog.objects.filter(pk=restore_id).first()
    if log is None:
        raise NotFound("No such restore.")
    if _busy(exclude_restore=log.pk):
        raise Conflict("A backup or another restore is running; confirm again when it has finished.")
    if not RestoreLog.objects.filter(pk=log.pk, status=Status.AWAITING).update(status=Status.QUEUED,
                                                                               **_actor_fields(actor)):
        raise Conflict("This restore is not waiting for confirmation.")
    audit_record(actor=actor, action="backup.restore_confirm", object_type="restore", object_id=str(log.pk))
    from truestyle.backups.tasks import restore_run_task

    restore_run_task.delay(str(log.pk))
    log.refresh_from_db()
    return log


def restore_apply(*, actor, source) -> RestoreLog:
    """Check and apply an archive at once (a BackupLog, or an uploaded file); returns the restore's log.

    A refused archive gives a `refused` log and changes nothing.
    """
    if isinstance(source, BackupLog):
        log = restore_prepare(actor=actor, backup_id=source.pk)
    else:
        log = restore_prepare(actor=actor, upload=source)
    if log.status != Status.AWAITING:
        return log
    RestoreLog.objects.filter(pk=log.pk, status=Status.AWAITING).update(status=Status.QUEUED)
    return restore_run(restore_id=log.pk)


def restore_run(*, restore_id) -> RestoreLog:
    """Check the archive again, then replace the store's data with it; a job not queued is returned unchanged."""
    log = RestoreLog.objects.filter(pk=restore_id).first()
    if log is None:
        raise NotFound("No such restore.")
    if not RestoreLog.objects.filter(pk=log.pk, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=timezone.now(), progress=0, step="Checking the archive"):
        return log
    clock = time.monotonic()

    def finish(**fields) -> RestoreLog:
        RestoreLog.objects.filter(pk=log.pk).update(finished_at=timezone.now(),
                                                    duration_seconds=round(time.monotonic() - clock, 3), **fields)
        log.refresh_from_db()
        return log

    manifest: dict = {}
    problems = _stored_problems(log.archive, manifest)
    if problems:
        return finish(status=Status.FAILED, validation_errors=problems,
                      error="The archive did not pass the checks; nothing was changed.")
    try:
        counts = _apply(log, manifest)
    except Exception as error:
        logger.exception("Restore %s failed", log.pk)
        step = RestoreLog.objects.filter(pk=log.pk).values_list("step", flat=True).first()
        return finish(status=Status.FAILED, error=f"Stopped at “{step}”: {type(error).__name__}: {error}"[:2000])
    _cache_clear()
    audit_record(actor=SimpleNamespace(pk=log.actor_id, email=log.actor_email), action="backup.restore",
                 object_type="restore", object_id=str(log.pk), after={"source": log.source, "counts": counts})
    return finish(status=Status.SUCCEEDED, progress=100, step="Done", counts=counts)


class _Members:
    """The archive's members in order, one look ahead (a tar.gz read as a stream, once).

    The next member is fetched only when asked for, so a member taken is read before the stream
    moves past it.
    """

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar, self._iterator, self._next, self._loaded = tar, iter(tar), None, False

    def _load(self):
        if not self._loaded:
            self._next, self._loaded = next(self._iterator, None), True
        return self._next

    def peek(self, pattern):
        """The next member and its name's match if it matches `pattern`, else (None, None)."""
        info = self._load()
        match = pattern.match(info.name) if info is not None else None
        return (info, match) if match else (None, None)

    def take(self) -> tarfile.TarInfo | None:
        info = self._load()
        self._loaded = False
        return info

    def open(self, info):
        return self.tar.extractfile(info)


def _apply(log: RestoreLog, manifest: dict) -> dict:
    counts = manifest["counts"]
    total = sum(sum(part.values()) for part in counts.values())
    progress = Progress(RestoreLog, log.pk, total)
    done: dict[str, dict[str, int]] = {"sql": {}, "mongo": {}, "gridfs": {}}
    stored = archive.archive_storage().open(log.archive)
    with stored, tarfile.open(fileobj=stored, mode="r|gz") as tar:
        members = _Members(tar)

        def sql_tables():
            while (found := members.peek(archive.SQL_MEMBER))[0] is not None:
                info, match = found
                members.take()
                progress.begin(f"Table {match['table']}")
                yield match["table"], archive.jsonl_records(members.open(info), mongo=False)

        progress.begin("Tables")
        done["sql"] = store_data.sql_replace(sql_tables(), progress.advance)
        while (found := members.peek(archive.MONGO_MEMBER))[0] is not None:
            info, match = found
            members.take()
            progress.begin(f"Collection {match['collection']}")
            records = archive.jsonl_records(members.open(info), mongo=True)
            done["mongo"][match["collection"]] = store_data.mongo_replace(match["collection"], records,
                                                                          progress.advance)
        for bucket in counts["gridfs"]:
            progress.begin(f"Files in {bucket}")
            store_data.gridfs_empty(bucket)
            done["gridfs"][bucket] = 0
        while (found := members.peek(archive.GRIDFS_MEMBER))[0] is not None:
            info, match = found
            members.take()
            document = archive.mongo_loads(members.open(info).read())
            data_info = members.take()  # validation made sure the bytes follow their document
            if data_info is None or data_info.name != archive.gridfs_member_bin(info.name):
                raise ValueError(f"{info.name} is not followed by its bytes")
            store_data.gridfs_put(match["bucket"], document, members.open(data_info))
            done["gridfs"][match["bucket"]] += 1
            progress.advance()
    return done


def _cache_clear() -> None:
    """Cached pages, content and permissions describe the data before the restore."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")  # only this store's keys (its prefix), unlike FLUSHDB
    else:
        cache.clear()
