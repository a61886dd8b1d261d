"""A damaged, foreign or mismatched archive is refused with its problems, and the store is left exactly as it was."""

import io
import json
import tarfile
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.auditlog.services import audit_record
from truestyle.backups import archive
from truestyle.backups.models import BackupLog, RestoreLog
from truestyle.backups.services import backup_start, restore_apply, restore_confirm, restore_prepare, restore_validate
from truestyle.backups.tests.helpers import members, repack, snapshot
from truestyle.contact.models import ContactMessage
from truestyle.core.errors import Conflict


def _store_and_archive():
    admin = user_create(email="admin@example.com")
    ContactMessage.objects.create(name="Ravi", email="ravi@example.com", subject="Sizes", message="Which size?")
    audit_record(actor=admin, action="test.loaded")
    default_storage.save("note.txt", ContentFile(b"hello", name="note.txt"))
    backup = backup_start(actor=admin)
    backup.refresh_from_db()
    assert backup.status == "succeeded"
    return admin, archive.archive_storage().open(backup.archive).read()


def _first_member(parts, prefix):
    return next(i for i, (info, body) in enumerate(parts) if info.name.startswith(prefix) and body)


def _with_manifest(parts, change):
    manifest = json.loads(parts[-1][1])
    change(manifest)
    return repack([*parts[:-1], (parts[-1][0], json.dumps(manifest).encode())])


def _flipped_member(parts):
    index = _first_member(parts, "mongo/")
    body = bytearray(parts[index][1])
    body[10] ^= 0x01
    return repack([*parts[:index], (parts[index][0], bytes(body)), *parts[index + 1:]]), parts[index][0].name


def _foreign_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("notes/readme.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        archive_file.writestr("photos/summer.jpg", b"\xff\xd8\xff not really")
    return buffer.getvalue()


NOT_READABLE = "This is not a TrueStyle backup archive (not a readable tar.gz file)."
CASES = {
    "a flipped byte in a member": lambda data, parts: (
        _flipped_member(parts)[0], [f"{_flipped_member(parts)[1]}: checksum mismatch (the member is damaged or was changed)."]),
    "a wrong checksum in the manifest": lambda data, parts: (
        _with_manifest(parts, lambda m: m["members"][parts[0][0].name].update(sha256="0" * 64)),
        [f"{parts[0][0].name}: checksum mismatch (the member is damaged or was changed)."]),
    "a member not in the manifest": lambda data, parts: (
        repack([*parts[:_first_member(parts, "mongo/")],
                (tarfile.TarInfo("mongo/extra_things.jsonl"), b'{"_id": {"$numberInt": "1"}}\n'),
                *parts[_first_member(parts, "mongo/"):]]),
        ["mongo/extra_things.jsonl: not listed in the manifest."]),
    "a log collection in the archive": lambda data, parts: (
        repack([*parts[:_first_member(parts, "mongo/")], (tarfile.TarInfo("mongo/backup_logs.jsonl"), b""),
                *parts[_first_member(parts, "mongo/"):]]),
        ["mongo/backup_logs.jsonl: this collection is never restored."]),
    "an unsupported format version": lambda data, parts: (
        _with_manifest(parts, lambda m: m.update(format_version=99)),
        ["Unsupported format version 99 (this store reads version 1)."]),
    "another schema version": lambda data, parts: (
        _with_manifest(parts, lambda m: m.update(migrations=m["migrations"][1:])),
        ["The archive was made by another version of the store's database schema (0 migration(s) not applied "
         "here, 1 applied here but not in the archive)."]),
    "no manifest": lambda data, parts: (
        repack(parts[:-1]), ["The archive has no manifest.json: it is not a TrueStyle backup archive."]),
    "a foreign tar.gz": lambda data, parts: (
        _foreign_tar(), ["The archive has no manifest.json: it is not a TrueStyle backup archive."]),
    "a zip of photos": lambda data, parts: (_zip(), [NOT_READABLE]),
    "not an archive at all": lambda data, parts: (b"name,price\nKurta,1899\n", [NOT_READABLE]),
    "a cut-off archive": lambda data, parts: (data[: len(data) // 2], [NOT_READABLE]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_archive_is_refused_and_nothing_changes(db, case):
    admin, data = _store_and_archive()
    assert restore_validate(io.BytesIO(data)) == []
    bad, expected = CASES[case](data, members(data))
    before = snapshot()

    restore = restore_apply(actor=admin, source=SimpleUploadedFile("store.tar.gz", bad))

    assert (restore.status, restore.validation_errors) == ("refused", expected)
    assert restore_validate(io.BytesIO(bad)) == expected
    after = snapshot()
    assert (after["mongo"], after["files"]) == (before["mongo"], before["files"])
    refusals = [row for row in after["sql"]["audit_log"] if row["action"] == "backup.restore_refused"]
    assert [row["object_id"] for row in refusals] == [str(restore.pk)]  # the refusal is recorded, nothing else
    assert {**after["sql"], "audit_log": [row for row in after["sql"]["audit_log"] if row not in refusals]} == \
        before["sql"]


def test_a_flipped_byte_in_the_compressed_file_is_refused(db):
    admin, data = _store_and_archive()
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    before = snapshot()

    restore = restore_apply(actor=admin, source=SimpleUploadedFile("store.tar.gz", bytes(damaged)))

    assert restore.status == "refused" and restore.validation_errors
    assert snapshot()["mongo"] == before["mongo"] and ContactMessage.objects.count() == 1


def test_a_restore_waits_for_confirmation_and_is_confirmed_once(db):
    admin, data = _store_and_archive()
    ContactMessage.objects.create(name="Later", email="later@example.com", subject="After", message="Made later.")

    restore = restore_prepare(actor=admin, upload=SimpleUploadedFile("store.tar.gz", data))

    assert (restore.status, restore.validation_errors, restore.counts["sql"]["contact_messages"]) == ("awaiting", [], 1)
    assert ContactMessage.objects.count() == 2  # nothing happens before a person confirms
    restore = restore_confirm(actor=admin, restore_id=restore.pk)  # runs inline in tests
    assert (restore.status, restore.progress) == ("succeeded", 100)
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Ravi"]
    with pytest.raises(Conflict, match="not waiting for confirmation"):
        restore_confirm(actor=admin, restore_id=restore.pk)
    assert AuditEntry.objects.filter(action="backup.restore").count() == 1


def test_a_refused_restore_cannot_be_confirmed(db):
    admin, _ = _store_and_archive()
    restore = restore_prepare(actor=admin, upload=SimpleUploadedFile("store.tar.gz", _zip()))
    with pytest.raises(Conflict):
        restore_confirm(actor=admin, restore_id=restore.pk)
    assert RestoreLog.objects.get(pk=restore.pk).status == "refused"


def test_no_backup_and_no_second_restore_while_a_restore_runs(db):
    admin, data = _store_and_archive()
    waiting = restore_prepare(actor=admin, upload=SimpleUploadedFile("store.tar.gz", data))
    RestoreLog.objects.create(source="upload", archive="0" * 24 + ".tar.gz", status="running")

    with pytest.raises(Conflict, match="A restore is running"):
        backup_start(actor=admin)
    with pytest.raises(Conflict, match="A backup or another restore is running"):
        restore_confirm(actor=admin, restore_id=waiting.pk)
    assert BackupLog.objects.count() == 1 and RestoreLog.objects.get(pk=waiting.pk).status == "awaiting"


def test_a_record_whose_object_id_was_damaged_is_a_problem_not_a_crash():
    from truestyle.backups.archive import _record_problem

    problem = _record_problem("mongo/orders.jsonl", b'{"_id": {"$oid": "6b140ac156ea5c8f7f44dfd"}}', 7, None)

    assert problem.startswith("mongo/orders.jsonl, line 7: not a valid record ('6b140ac156ea5c8f7f44dfd' is not")
