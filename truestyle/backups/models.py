"""Records of backups and restores, kept in MongoDB (`backup_logs`, `restore_logs`).

Neither collection is ever written into an archive nor replaced by a restore: the history of
backups and restores survives the restores it records. The archives themselves live in the
GridFS bucket `backups` (truestyle.backups.archive.archive_storage), which is likewise left out
of every archive.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class _Job(models.Model):
    RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)

    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100, written as the job goes
    step = models.CharField(max_length=200, blank=True)  # what the job is doing now, for the progress line
    # {"mongo": {collection: documents}, "gridfs": {bucket: files}, "sql": {table: rows}}
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    actor_id = models.CharField(max_length=24, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    def _part(self, name: str) -> dict:
        part = (self.counts or {}).get(name)
        return part if isinstance(part, dict) else {}

    @property
    def documents_count(self) -> int:
        return sum(self._part("mongo").values())

    @property
    def collections_count(self) -> int:
        return len(self._part("mongo"))

    @property
    def files_count(self) -> int:
        return sum(self._part("gridfs").values())

    @property
    def rows_count(self) -> int:
        return sum(self._part("sql").values())


class BackupLog(_Job):
    """One backup: a single tar.gz archive of the whole store, stored in GridFS when it succeeded."""

    archive = models.CharField(max_length=100, blank=True)  # the stored name in the `backups` bucket
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta(_Job.Meta):
        db_table = "backup_logs"

    def __str__(self) -> str:
        return f"Backup of {self.created_at:%Y-%m-%d %H:%M}"


class RestoreLog(_Job):
    """One restore: its source archive, what validation found, and what was replaced."""

    class Source(models.TextChoices):
        BACKUP = "backup", "Stored backup"
        UPLOAD = "upload", "Uploaded archive"

    class Status(models.TextChoices):
        # Before the job is queued: validated and waiting for a person to confirm, or refused.
        AWAITING = "awaiting", "Waiting for confirmation"
        REFUSED = "refused", "Refused"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    source = models.CharField(max_length=10, choices=Source.choices)
    backup_id = models.CharField(max_length=24, blank=True)  # the BackupLog restored from, if any
    archive = models.CharField(max_length=100)  # stored name in the `backups` bucket
    filename = models.CharField(max_length=100, blank=True)  # of an upload, shown to staff only
    size_bytes = models.PositiveBigIntegerField(default=0)
    validation_errors = models.JSONField(default=list, blank=True)
    archive_created_at = models.CharField(max_length=40, blank=True)  # from the archive's manifest

    class Meta(_Job.Meta):
        db_table = "restore_logs"

    def __str__(self) -> str:
        return f"Restore of {self.created_at:%Y-%m-%d %H:%M}"
