"""Backups of the whole store, and restores from them.

    log = backup_start(actor=user)              # the staff page: queues backup_run_task
    backup_run(backup_id=log.pk)                # the Celery task: writes and stores the archive

    problems = restore_validate(stream)         # [] or what is wrong with an archive
    log = restore_prepare(actor=user, backup_id=... | upload=...)   # stored, checked, waits for "yes"
    log = restore_confirm(actor=user, restore_id=log.pk)            # queues restore_run_task
    restore_run(restore_id=log.pk)              # the Celery task: checks again, then replaces the data
    log = restore_apply(actor=user, source=backup_log | upload)     # all of it at once (no confirmation)

What an archive holds and how it is checked: truestyle.backups.archive; what is read and written
back: truestyle.backups.store_data. The jobs record progress (0-100) and a step as they go, for
the progress bar on the staff page.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.utils import timezone
from gridfs import GridFSBucket
from gridfs.errors import NoFile

from truestyle.auditlog.services import audit_record
from truestyle.backups import archive, store_data
from truestyle.backups.models import BackupLog, JobStatus
from truestyle.backups.progress import Progress
from truestyle.backups.restoring import (restore_apply, restore_confirm, restore_in_progress, restore_prepare,
                                         restore_run, restore_validate)
from truestyle.core.errors import Conflict, NotFound

__all__ = ["backup_start", "backup_run", "backup_for_download", "restore_validate", "restore_prepare",
           "restore_confirm", "restore_run", "restore_apply", "restore_in_progress", "app_version"]

logger = logging.getLogger(__name__)
SPOOL_BYTES = 8 * 1024 * 1024  # a member smaller than this is built in memory, a larger one on disk


def app_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def backup_start(*, actor) -> BackupLog:
    """Record a backup as queued and hand it to a worker; returns its log.

    Refused (Conflict) while a restore is queued or running: the archive would mix before and after.
    """
    if restore_in_progress():
        raise Conflict("A restore is running; back up when it has finished.")
    log = BackupLog.objects.create(actor_id=str(actor.pk) if actor else "", actor_email=getattr(actor, "email", "") or "",
                                   step="Waiting for a worker")
    audit_record(actor=actor, action="backup.start", object_type="backup", object_id=str(log.pk))
    from truestyle.backups.tasks import backup_run_task

    backup_run_task.delay(str(log.pk))
    return log


def backup_run(*, backup_id) -> BackupLog:
    """Write the archive, store it in GridFS and record the result; a job not queued is returned unchanged."""
    log = BackupLog.objects.filter(pk=backup_id).first()
    if log is None:
        raise NotFound("No such backup.")
    started = timezone.now()
    claimed = BackupLog.objects.filter(pk=log.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started, progress=0, step="Counting")
    if not claimed:
        return log
    clock = time.monotonic()
    try:
        with tempfile.TemporaryFile() as output:
            counts, digest = _archive_write(output, log.pk)
            size = output.tell()
            output.seek(0)
            BackupLog.objects.filter(pk=log.pk).update(step="Storing the archive")
            stamp = timezone.localtime(started).strftime("%Y%m%d-%H%M%S")
            stored = archive.archive_storage().save(f"backup-{stamp}.tar.gz",
                                                    File(output, name=f"backup-{stamp}.tar.gz"))
    except Exception as error:  # the log says what went wrong; the worker's log has the traceback
        logger.exception("Backup %s failed", log.pk)
        BackupLog.objects.filter(pk=log.pk).update(status=JobStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
                                                   finished_at=timezone.now(),
                                                   duration_seconds=round(time.monotonic() - clock, 3))
        log.refresh_from_db()
        return log
    BackupLog.objects.filter(pk=log.pk).update(
        status=JobStatus.SUCCEEDED, progress=100, step="Done", archive=stored, size_bytes=size, sha256=digest,
        counts=counts, finished_at=timezone.now(), duration_seconds=round(time.monotonic() - clock, 3))
    log.refresh_from_db()
    return log


class _HashingWriter:
    """The archive file, hashed as tarfile writes it (the sha256 of the whole archive, for the log)."""

    def __init__(self, raw) -> None:
        self.raw, self.digest = raw, hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.raw.write(data)

    def tell(self) -> int:
        return self.raw.tell()

    def flush(self) -> None:
        self.raw.flush()


def _archive_write(output, backup_id) -> tuple[dict, str]:
    """Write every member, then the manifest, into the tar.gz `output`; returns (counts, sha256 of the archive)."""
    collections = store_data.mongo_collections()
    buckets = store_data.gridfs_buckets()
    models = store_data.sql_models()
    database = store_data.mongo_database()
    total = (sum(database[name].estimated_document_count() for name in collections)
             + sum(database[f"{bucket}.files"].estimated_document_count() for bucket in buckets)
             + sum(model._base_manager.using(store_data.SQL_DATABASE).count() for model in models))
    progress = Progress(BackupLog, backup_id, total)
    counts: dict[str, dict[str, int]] = {"sql": {}, "mongo": {}, "gridfs": {}}
    members: dict[str, dict] = {}
    hashed = _HashingWriter(output)
    with tarfile.open(fileobj=hashed, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        for model in models:
            table = model._meta.db_table
            progress.begin(f"Table {table}")
            counts["sql"][table] = _add_lines(tar, members, archive.sql_member(table), store_data.sql_rows(model),
                                              progress)
        for collection in collections:
            progress.begin(f"Collection {collection}")
            lines = (archive.mongo_dumps(document) for document in store_data.mongo_documents(collection))
            counts["mongo"][collection] = _add_lines(tar, members, archive.mongo_member(collection), lines, progress)
        for bucket in buckets:
            progress.begin(f"Files in {bucket}")
            counts["gridfs"][bucket] = _add_files(tar, members, bucket, progress)
        manifest = {
            "format": archive.FORMAT, "format_version": archive.FORMAT_VERSION, "app_version": app_version(),
            "created_at": timezone.now().isoformat(), "database": database.name, "counts": counts,
            "migrations": store_data.applied_migrations(), "sql_columns": store_data.sql_columns(),
            "members": members,
        }
        _add_bytes(tar, archive.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return counts, hashed.digest.hexdigest()


def _add_lines(tar, members: dict, name: str, lines, progress: Progress) -> int:
    """Spool the lines (hashing them) and add them as one member; returns how many were written."""
    count = 0
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for line in lines:
            data = line.encode("utf-8") + b"\n"
            digest.update(data)
            spool.write(data)
            count += 1
            progress.advance()
        size = spool.tell()
        spool.seek(0)
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o644
        tar.addfile(info, spool)
    members[name] = {"sha256": digest.hexdigest(), "size": size}
    return count


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    tar.addfile(info, io.BytesIO(data))


def _add_files(tar, members: dict, bucket: str, progress: Progress) -> int:
    """Each file as two members: its files document, then its bytes, streamed from GridFS."""
    grid = GridFSBucket(store_data.mongo_database(), bucket_name=bucket)
    index = 0
    for document in store_data.gridfs_documents(bucket):
        try:
            stream = grid.open_download_stream(document["_id"])
        except NoFile:  # deleted since it was listed: not part of this backup
            continue
        with stream:
            name = archive.gridfs_member(bucket, index, "json")
            data = archive.mongo_dumps(document).encode("utf-8")
            _add_bytes(tar, name, data)
            members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            name = archive.gridfs_member(bucket, index, "bin")
            reader = archive.HashingReader(stream)
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = document["length"], int(time.time()), 0o644
            tar.addfile(info, reader)
            members[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
        index += 1
        progress.advance()
    return index


def backup_for_download(*, backup_id):
    """(stored archive opened for reading, download filename) of a succeeded backup, or NotFound."""
    log = BackupLog.objects.filter(pk=backup_id, status=JobStatus.SUCCEEDED).exclude(archive="").first()
    if log is None:
        raise NotFound("No such backup.")
    try:
        stored = archive.archive_storage().open(log.archive)
    except FileNotFoundError:
        raise NotFound("The archive of this backup is gone.") from None
    stamp = timezone.localtime(log.created_at).strftime("%Y%m%d-%H%M%S")
    return stored, f"truestyle-backup-{stamp}.tar.gz"
