"""A backup run by a real Celery worker through the broker, its progress read as the page reads it."""

import time

from celery.result import EagerResult
from django.db import connections

from truestyle.backups import archive
from truestyle.backups.models import BackupLog
from truestyle.backups.services import backup_start, restore_validate
from truestyle.backups.tests.helpers import administrator_create
from truestyle.contact.models import ContactMessage
from truestyle.testing.isolation import written_collections


def test_a_worker_runs_a_backup_to_succeeded_with_progress_100(db, celery_worker, monkeypatch):
    database = connections["mongodb"].database.name
    for collection in ("backups.files", "backups.chunks", "backup_logs"):
        written_collections.mark(database, collection)  # the worker's writes, cleaned after the test
    admin = administrator_create()
    ContactMessage.objects.create(name="Ravi", email="ravi@example.com", subject="Sizes", message="Which size?")
    sent = []
    from truestyle.backups import tasks

    original = tasks.backup_run_task.delay
    monkeypatch.setattr(tasks.backup_run_task, "delay", lambda *a: sent.append(original(*a)) or sent[-1])

    log = backup_start(actor=admin)

    assert len(sent) == 1 and not isinstance(sent[0], EagerResult)  # it crossed the broker to the worker
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        log.refresh_from_db()
        seen.append((log.status, log.progress))
        if not log.is_running:
            break
        time.sleep(0.1)
    assert sent[0].get(timeout=10) == "succeeded"
    assert (log.status, log.progress, log.step, log.error) == ("succeeded", 100, "Done", "")
    percents = [percent for _, percent in seen]
    assert percents == sorted(percents)  # the bar never goes back
    statuses = list(dict.fromkeys(status for status, _ in seen))
    assert statuses == [s for s in ("queued", "running", "succeeded") if s in statuses]
    assert log.counts["sql"]["contact_messages"] == 1 and log.size_bytes > 0
    with archive.archive_storage().open(log.archive) as stored:
        assert stored.size == log.size_bytes
        assert restore_validate(stored) == []
    assert BackupLog.objects.count() == 1
