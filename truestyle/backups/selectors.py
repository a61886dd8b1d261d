"""Reads of backup and restore logs for the staff pages."""

from __future__ import annotations

from bson import ObjectId

from truestyle.backups.models import BackupLog, RestoreLog


def backups_recent(limit: int = 20):
    return BackupLog.objects.order_by("-created_at")[:limit]


def restores_recent(limit: int = 20):
    return RestoreLog.objects.order_by("-created_at")[:limit]


def backup_get(*, backup_id) -> BackupLog | None:
    return BackupLog.objects.filter(pk=backup_id).first() if ObjectId.is_valid(str(backup_id)) else None


def restore_get(*, restore_id) -> RestoreLog | None:
    return RestoreLog.objects.filter(pk=restore_id).first() if ObjectId.is_valid(str(restore_id)) else None
