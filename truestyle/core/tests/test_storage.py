"""GridFSStorage against the real test database: names, round trips, delete, exists, metadata, transactions."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django_mongodb_backend.transaction import atomic

from truestyle.core.storage import GridFSInTransactionError, GridFSStorage, parse_stored_name

STORED_NAME = re.compile(r"^[0-9a-f]{24}\.[a-z0-9.]+$")


def _media_counts() -> tuple[int, int]:
    database = connections["mongodb"].database
    return database["media.files"].count_documents({}), database["media.chunks"].count_documents({})


def test_the_default_storage_is_gridfs_on_the_mongodb_connection():
    storage = storages["default"]

    assert isinstance(storage, GridFSStorage)
    assert (storage.database_alias, storage.bucket_name) == ("mongodb", "media")


def test_the_storage_deconstructs_to_its_import_path_and_options():
    assert GridFSStorage(bucket_name="backups").deconstruct() == (
        "truestyle.core.storage.GridFSStorage", (), {"bucket_name": "backups"}
    )


def test_save_names_the_file_by_a_new_object_id_and_never_by_the_clients_name(db):
    name = default_storage.save("Asha's passport scan.JPG", ContentFile(b"bytes", name="x"))

    assert STORED_NAME.match(name)
    assert name.endswith(".jpg")
    assert "passport" not in name
    document = connections["mongodb"].database["media.files"].find_one({"_id": ObjectId(name[:24])})
    assert document["filename"] == name


def test_two_saves_under_the_same_name_make_two_files(db):
    first = default_storage.save("tee.png", ContentFile(b"one"))
    second = default_storage.save("tee.png", ContentFile(b"two"))

    assert first != second
    assert _media_counts() == (2, 2)


def test_a_three_megabyte_file_round_trips_byte_for_byte(db):
    payload = os.urandom(3 * 1024 * 1024 + 17)

    name = default_storage.save("archive.bin", ContentFile(payload))

    with default_storage.open(name) as stored:
        assert stored.read() == payload
        assert stored.size == len(payload)
        assert stored.content_type == "application/octet-stream"
        assert stored.sha256 == hashlib.sha256(payload).hexdigest()
    assert default_storage.size(name) == 3 * 1024 * 1024 + 17
    # 255 KiB chunks: 12 full ones and a last partial one.
    assert _media_counts() == (1, 13)


def test_chunks_of_an_opened_file_give_back_the_bytes(db):
    payload = b"0123456789" * 30_000
    name = default_storage.save("data.bin", ContentFile(payload))

    stored = default_storage.open(name)

    assert b"".join(stored.chunks(chunk_size=65_536)) == payload
    stored.close()


def test_the_content_type_comes_from_the_file_when_it_has_one(db):
    upload = SimpleUploadedFile("photo", b"\xff\xd8\xff...", content_type="image/jpeg")

    name = default_storage.save("photo", upload)

    assert name.endswith(".jpg")
    assert default_storage.content_type(name) == "image/jpeg"


def test_the_content_type_is_guessed_from_the_name_otherwise(db):
    name = default_storage.save("backup-2026-01-01.tar.gz", ContentFile(b"\x1f\x8b..."))

    assert name.endswith(".tar.gz")
    assert default_storage.content_type(name) == "application/gzip"


def test_a_name_extension_that_disagrees_with_the_content_type_is_replaced(db):
    content = ContentFile(b"\x89PNG...")
    content.content_type = "image/png"

    name = default_storage.save("trick.html", content)

    assert name.endswith(".png")
    assert default_storage.content_type(name) == "image/png"


def test_an_unknown_type_is_stored_as_octet_stream_named_bin(db):
    name = default_storage.save("blob", ContentFile(b"?"))

    assert re.fullmatch(r"[0-9a-f]{24}\.bin", name)
    assert default_storage.content_type(name) == "application/octet-stream"


def test_the_sha256_of_the_bytes_is_stored_in_the_metadata(db):
    name = default_storage.save("a.txt", ContentFile(b"hello"))

    document = connections["mongodb"].database["media.files"].find_one({"_id": ObjectId(name[:24])})

    assert document["metadata"] == {
        "contentType": "text/plain",
        "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    }
    assert document["length"] == 5


def test_a_plain_python_file_object_can_be_saved(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"plain file")

    with path.open("rb") as handle:
        name = default_storage.save("notes.txt", File(handle))

    assert default_storage.open(name).read() == b"plain file"


def test_exists_is_true_only_for_the_exact_stored_name(db):
    name = default_storage.save("a.txt", ContentFile(b"x"))
    file_id = name[:24]

    assert default_storage.exists(name) is True
    assert default_storage.exists(f"{file_id}.png") is False
    assert default_storage.exists(str(ObjectId()) + ".txt") is False
    assert default_storage.exists("not-an-id.txt") is False
    assert default_storage.exists("") is False


def test_delete_removes_the_file_and_its_chunks(db):
    name = default_storage.save("a.bin", ContentFile(b"x" * 600_000))
    assert _media_counts() == (1, 3)

    default_storage.delete(name)

    assert default_storage.exists(name) is False
    assert _media_counts() == (0, 0)


def test_deleting_a_missing_or_malformed_name_does_nothing(db):
    kept = default_storage.save("a.txt", ContentFile(b"x"))

    default_storage.delete(str(ObjectId()) + ".txt")
    default_storage.delete("../etc/passwd")
    default_storage.delete(f"{kept[:24]}.png")  # right id, wrong name

    assert default_storage.exists(kept) is True
    assert _media_counts() == (1, 1)


def test_opening_a_missing_file_raises_file_not_found(db):
    with pytest.raises(FileNotFoundError):
        default_storage.open(str(ObjectId()) + ".jpg")
    with pytest.raises(FileNotFoundError):
        default_storage.open("photo.jpg")


def test_files_open_only_for_reading(db):
    name = default_storage.save("a.txt", ContentFile(b"x"))

    with pytest.raises(ValueError, match="only be opened for reading"):
        default_storage.open(name, "wb")


def test_size_of_a_missing_file_raises_file_not_found(db):
    with pytest.raises(FileNotFoundError):
        default_storage.size(str(ObjectId()) + ".jpg")


def test_url_is_the_file_view_path():
    assert default_storage.url("6650c1e2a4b3f2d1e0c9b8a7.jpg") == "/files/6650c1e2a4b3f2d1e0c9b8a7.jpg"


def test_created_and_modified_times_are_the_upload_time_in_utc(db):
    before = datetime.now(UTC) - timedelta(seconds=1)
    name = default_storage.save("a.txt", ContentFile(b"x"))
    after = datetime.now(UTC) + timedelta(seconds=1)

    created = default_storage.get_created_time(name)

    assert created.tzinfo == UTC
    assert before <= created <= after
    assert default_storage.get_modified_time(name) == created


def test_listdir_lists_every_stored_name_and_no_directories(db):
    first = default_storage.save("a.txt", ContentFile(b"1"))
    second = default_storage.save("b.txt", ContentFile(b"2"))

    assert default_storage.listdir("") == ([], sorted([first, second]))
    with pytest.raises(FileNotFoundError):
        default_storage.listdir("products")


def test_a_failed_upload_leaves_no_chunks_behind(db):
    class BrokenFile(File):
        def chunks(self, chunk_size=None):
            yield b"x" * 300_000  # more than one GridFS chunk
            raise OSError("client went away")

    with pytest.raises(OSError, match="client went away"):
        default_storage.save("a.bin", BrokenFile(None, name="a.bin"))

    assert _media_counts() == (0, 0)


def test_storage_calls_inside_a_mongodb_transaction_are_refused_and_write_nothing(db):
    stored = default_storage.save("a.txt", ContentFile(b"x"))

    with pytest.raises(GridFSInTransactionError, match="inside a MongoDB transaction"), atomic(using="mongodb"):
        default_storage.save("b.txt", ContentFile(b"y"))
    with pytest.raises(GridFSInTransactionError), atomic(using="mongodb"):
        default_storage.delete(stored)

    assert default_storage.exists(stored) is True
    assert _media_counts() == (1, 1)


def test_another_bucket_keeps_its_files_apart(db):
    backups = GridFSStorage(bucket_name="backups")

    name = backups.save("db.tar.gz", ContentFile(b"archive"))

    assert backups.exists(name) is True
    assert default_storage.exists(name) is False
    assert _media_counts() == (0, 0)


def test_parse_stored_name_accepts_only_names_the_storage_makes():
    assert parse_stored_name("6650c1e2a4b3f2d1e0c9b8a7.jpg") == ObjectId("6650c1e2a4b3f2d1e0c9b8a7")
    assert parse_stored_name("6650c1e2a4b3f2d1e0c9b8a7") == ObjectId("6650c1e2a4b3f2d1e0c9b8a7")
    assert parse_stored_name("6650c1e2a4b3f2d1e0c9b8a7.tar.gz") == ObjectId("6650c1e2a4b3f2d1e0c9b8a7")
    assert parse_stored_name("6650C1E2A4B3F2D1E0C9B8A7.jpg") is None
    assert parse_stored_name("6650c1e2a4b3f2d1e0c9b8a.jpg") is None
    assert parse_stored_name("6650c1e2a4b3f2d1e0c9b8a7.jpg/..") is None
    assert parse_stored_name("photo.jpg") is None
