"""The Celery task, run by a real worker process through the broker, writes the spool to PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from celery.result import EagerResult

from truestyle.auditlog.services import request_log_spool, request_log_writer
from truestyle.auditlog.tasks import request_log_flush_spool
from truestyle.auditlog.tests.factories import logged_requests, request_record


def test_the_worker_writes_the_spool_to_postgresql_once(db, celery_worker, settings):
    # The worker reads the run's spool directory from its own settings, so the test uses that one.
    spool_dir = Path(settings.REQUEST_LOG_SPOOL_DIR)
    # Nothing queued in this process may flush the spool first (the writer drains it after a write).
    request_log_writer.flush()
    shutil.rmtree(spool_dir, ignore_errors=True)
    request_log_spool(records=[request_record(path="/shop/", user_id="65f0c0ffee0000000000abcd")])
    request_log_spool(records=[request_record(path="/p/linen-shirt/", created_at="2026-11-25T10:00:01+00:00")])

    result = request_log_flush_spool.delay()

    assert not isinstance(result, EagerResult)  # it crossed the broker to the worker
    assert result.get(timeout=20) == 2
    assert logged_requests() == [
        ("GET", "/shop/", 200, "65f0c0ffee0000000000abcd", "203.0.113.7"),
        ("GET", "/p/linen-shirt/", 200, "", "203.0.113.7"),
    ]
    assert list(spool_dir.iterdir()) == []
    assert request_log_flush_spool.delay().get(timeout=20) == 0
    shutil.rmtree(spool_dir, ignore_errors=True)
