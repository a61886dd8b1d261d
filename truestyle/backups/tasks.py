"""Background work for backups and restores: ids in, one service call."""

from celery import shared_task


# No automatic retry: each job records its own failure, and a second delivery finds it claimed and does nothing.
@shared_task
def backup_run_task(backup_id: str) -> str:
    """Write and store a backup; returns the backup's final status."""
    from truestyle.backups.services import backup_run

    return backup_run(backup_id=backup_id).status


@shared_task
def restore_run_task(restore_id: str) -> str:
    """Check and apply a confirmed restore; returns the restore's final status."""
    from truestyle.backups.services import restore_run

    return restore_run(restore_id=restore_id).status
