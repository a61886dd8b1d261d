"""Backups in a real browser: an administrator backs up, watches the progress bar reach 100%, sees the backup listed.

The backup runs on the real Celery worker (not inline), so the page really polls its progress.
"""

import re

import pytest
from django.db import connections
from django.template.defaultfilters import filesizeformat

from truestyle.accounts.tests.factories import PASSWORD
from truestyle.backups.models import BackupLog
from truestyle.backups.tests.helpers import administrator_create
from truestyle.contact.models import ContactMessage
from truestyle.testing.isolation import written_collections

pytestmark = pytest.mark.browser


def test_an_administrator_backs_up_and_watches_the_progress_bar(db, live_server, page, celery_worker):
    database = connections["mongodb"].database.name
    for collection in ("backups.files", "backups.chunks", "backup_logs"):
        written_collections.mark(database, collection)  # the worker's writes, cleaned after the test
    administrator_create()
    ContactMessage.objects.create(name="Ravi", email="ravi@example.com", subject="Sizes", message="Which size?")
    polls = []
    page.on("request", lambda request: polls.append(request.url) if request.headers.get("hx-request") else None)

    page.goto(live_server.url + "/staff/backups/")
    page.fill("#id_email", "admin@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/backups/")
    assert page.locator("#backup-list tbody").inner_text().strip() == "No backups yet."

    page.click("#backup-now")
    page.wait_for_url(re.compile(r".*/staff/backups/[0-9a-f]{24}/$"))
    page.screenshot(path="/tmp/backup-running.png", full_page=True)
    page.wait_for_selector("#backup-progress[data-status=succeeded]", timeout=120_000)
    assert page.locator("#backup-progress-bar").get_attribute("value") == "100"
    assert page.locator("#backup-progress .progress-percent").inner_text() == "100%"
    backup = BackupLog.objects.get()
    progress_polls = [url for url in polls if "/staff/" in url]
    assert progress_polls and all(url.endswith(f"/staff/backups/{backup.pk}/") for url in progress_polls)
    page.screenshot(path="/tmp/backup-done.png", full_page=True)

    page.click("text=Back to the list")
    page.wait_for_url(live_server.url + "/staff/backups/")
    row = page.locator(f"#backup-list tr[data-backup='{backup.pk}']")
    assert row.locator(".status").inner_text() == "Succeeded"
    assert backup.size_bytes > 0
    assert row.locator("[data-size]").inner_text() == filesizeformat(backup.size_bytes)  # e.g. "9.0\xa0KB"
    page.screenshot(path="/tmp/backup-list.png", full_page=True)
