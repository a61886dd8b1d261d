"""Background work for the logs: one service call per task."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from truestyle.auditlog.services import request_log_flush_spool as flush_spool


# Celery beat runs this every minute (CELERY_BEAT_SCHEDULE); the retries cover a PostgreSQL that is
# coming back between two runs. Spool files are claimed one process at a time, so overlapping runs
# (a retry beside the next scheduled run, or several workers) never write a record twice.
@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=60,
             max_retries=3)
def request_log_flush_spool() -> int:
    """Write the request-log spool of this worker's machine to PostgreSQL; returns the rows written."""
    return flush_spool()
