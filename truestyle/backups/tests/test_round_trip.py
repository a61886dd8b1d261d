"""Back up the store, wipe it, restore it: every collection, file and table row comes back exactly."""

import hashlib
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from truestyle.auditlog.models import AuditEntry
from truestyle.backups import archive
from truestyle.backups.models import BackupLog, RestoreLog
from truestyle.backups.services import backup_start, restore_apply
from truestyle.backups.tests.helpers import members, snapshot, store_load, store_wipe, without_restore_entry
from truestyle.catalog.models import Product, ProductImage
from truestyle.orders.models import Order


def test_backup_wipe_restore_gives_back_every_document_file_and_row(db):
    admin = store_load()
    backup = backup_start(actor=admin)  # tasks run inline in tests
    backup.refresh_from_db()
    assert (backup.status, backup.progress, backup.step, backup.error) == ("succeeded", 100, "Done", "")
    before = snapshot()

    # The log tells what the archive holds, and the stored archive is what the log says.
    data = archive.archive_storage().open(backup.archive).read()
    assert (backup.size_bytes, backup.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert backup.counts["mongo"] == {name: len(documents) for name, documents in before["mongo"].items()}
    assert backup.counts["gridfs"] == {"media": 2}  # the image and its thumbnail
    assert backup.counts["sql"] == {table: len(rows) for table, rows in before["sql"].items()}
    assert backup.counts["sql"]["contact_messages"] == 1 and backup.counts["sql"]["contact_replies"] == 1
    assert backup.counts["sql"]["audit_log"] == len(before["sql"]["audit_log"]) >= 2
    assert backup.duration_seconds > 0 and backup.actor_email == "admin@example.com"
    parts = members(data)
    names = [info.name for info, _ in parts]
    assert names[-1] == "manifest.json"
    manifest = json.loads(parts[-1][1])
    assert (manifest["format"], manifest["format_version"]) == ("truestyle-backup", 1)
    assert manifest["counts"] == backup.counts and manifest["app_version"]
    assert set(manifest["members"]) == set(names[:-1])
    assert all(manifest["members"][info.name] == {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
               for info, body in parts[:-1])
    assert not any(name.startswith(("mongo/backup_logs", "mongo/restore_logs", "mongo/django_migrations",
                                    "gridfs/backups/")) for name in names)

    store_wipe()
    assert (Product.objects.count(), Order.objects.count(), ProductImage.objects.count()) == (0, 0, 0)
    assert snapshot()["files"] == {"media": []} and AuditEntry.objects.count() == 0

    restore = restore_apply(actor=admin, source=backup)

    assert (restore.status, restore.progress, restore.validation_errors, restore.error) == ("succeeded", 100, [], "")
    assert restore.counts == backup.counts and restore.source == "backup" and restore.backup_id == str(backup.pk)
    after = snapshot()
    assert after["mongo"] == before["mongo"]
    assert after["files"] == before["files"]
    assert without_restore_entry(after["sql"]) == before["sql"]
    restored_entry = AuditEntry.objects.get(action="backup.restore")
    assert restored_entry.pk == max(row["id"] for row in before["sql"]["audit_log"]) + 1  # sequences reset
    assert restored_entry.object_id == str(restore.pk)
    # The logs were never part of it: both are still there.
    assert BackupLog.objects.filter(pk=backup.pk, status="succeeded").exists()
    assert RestoreLog.objects.count() == 1


def test_an_uploaded_archive_restores_the_same_way(db):
    admin = store_load()
    backup = backup_start(actor=admin)
    backup.refresh_from_db()
    before = snapshot()
    data = archive.archive_storage().open(backup.archive).read()
    store_wipe()

    restore = restore_apply(actor=admin, source=SimpleUploadedFile("store.tar.gz", data,
                                                                   content_type="application/gzip"))

    assert (restore.status, restore.source, restore.filename, restore.size_bytes) == (
        "succeeded", "upload", "store.tar.gz", len(data))
    after = snapshot()
    assert (after["mongo"], after["files"], without_restore_entry(after["sql"])) == (
        before["mongo"], before["files"], before["sql"])
