"""Media in GridFS: the store's default file storage (ARCHITECTURE.md, "Databases").

Names. A stored file's name is its GridFS id, a fresh ObjectId, plus one
extension: `6650c1e2a4b3f2d1e0c9b8a7.jpg`. The storage makes the name up on
every save and keeps nothing of the name it was given but a hint for the
extension, because

- a client's filename never reaches a URL, a page or the database (it can
  carry personal data, path tricks or markup);
- the name alone finds the file (`_id` lookup, no index on `filename` needed),
  and the URL `/files/<name>` needs no extra table;
- ids are never reused, so a name always means the same bytes and the file
  view can tell browsers to cache it forever;
- the extension is for people and tools that save a file by its URL; it always
  agrees with the stored content type, which is what the file view sends.

The GridFS `filename` is the same full name, so a name is only found with its
own extension (`<id>.png` does not find `<id>.jpg`).

Each file's `metadata` holds `contentType` and `sha256` (the hex digest of the
bytes, computed while uploading): the file view's `Content-Type` and `ETag`.

Transactions. GridFS cannot take part in a MongoDB transaction (pymongo
refuses), and on the embedded server a command from another session waits
until the open transaction ends (fact 6), so a storage call from inside one
would wait for itself. Every call that touches the database therefore refuses
to run inside a MongoDB transaction on this thread (`GridFSInTransactionError`):
store the file before the transaction and delete it if the transaction fails,
or delete files in an `on_mongo_commit` callback.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin

from bson import ObjectId
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import connections
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from gridfs import GridFSBucket, GridOut
from gridfs.errors import NoFile

# `<24 hex digits>`, then an extension (two for `.tar.gz` and the like); the id alone also names the file.
STORED_NAME = re.compile(r"^(?P<id>[0-9a-f]{24})(?P<extension>(?:\.tar)?\.[a-z0-9]{1,10})?$")
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")
_COMPOUND_EXTENSIONS = frozenset({".tar.gz", ".tar.bz2", ".tar.xz"})
# mimetypes reports `.tar.gz` as an x-tar type with a gzip "encoding"; the bytes are gzip.
_COMPRESSION_TYPES = {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz"}
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
# mimetypes' first choice for some common types is an odd one (".jpe" on some systems).
_PREFERRED_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/gzip": ".gz",
    "application/json": ".json",
    "text/plain": ".txt",
    "text/csv": ".csv",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
HASH_CHUNK_BYTES = 256 * 1024


class GridFSInTransactionError(RuntimeError):
    """A GridFS call was made inside a MongoDB transaction, where it cannot work (see the module docstring)."""


def parse_stored_name(name: str) -> ObjectId | None:
    """The GridFS id a stored name stands for, or None if `name` is not one this storage makes."""
    match = STORED_NAME.match(name or "")
    return ObjectId(match["id"]) if match else None


def content_type_for(content: File, name: str) -> str:
    """The content type to store: the File's own `content_type` if it is a valid one, else guessed from `name`."""
    declared = (getattr(content, "content_type", None) or "").split(";")[0].strip().lower()
    if _MIME_TYPE.match(declared):
        return declared
    guessed, compression = mimetypes.guess_type(PurePosixPath(name or "").name.lower())
    if compression:
        return _COMPRESSION_TYPES.get(compression, DEFAULT_CONTENT_TYPE)
    return guessed or DEFAULT_CONTENT_TYPE


def extension_for(content_type: str, name: str) -> str:
    """One extension (with its dot) that agrees with `content_type`, or "" if none is known.

    The extension of `name` is used only when it means that same content type,
    so a stored name never claims to be something its content type is not.
    """
    suffixes = [suffix.lower() for suffix in PurePosixPath(name or "").suffixes]
    candidates = []
    if len(suffixes) >= 2 and "".join(suffixes[-2:]) in _COMPOUND_EXTENSIONS:
        candidates.append("".join(suffixes[-2:]))
    if suffixes:
        candidates.append(suffixes[-1])
    for candidate in candidates:
        well_formed = candidate in _COMPOUND_EXTENSIONS or _EXTENSION.match(candidate)
        if well_formed and content_type_for(File(None), f"x{candidate}") == content_type:
            return candidate
    preferred = _PREFERRED_EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ""
    return preferred if _EXTENSION.match(preferred) else ""


class GridFSFile(File):
    """A stored file opened for reading; reads come from GridFS chunk by chunk."""

    def __init__(self, grid_out: GridOut, name: str) -> None:
        super().__init__(grid_out, name)
        self.content_type = (grid_out.metadata or {}).get("contentType") or DEFAULT_CONTENT_TYPE
        self.sha256 = (grid_out.metadata or {}).get("sha256")

    @property
    def size(self) -> int:
        return self.file.length

    def readchunk(self) -> bytes:
        """The rest of the current GridFS chunk (up to 255 KiB); b"" at the end."""
        return self.file.readchunk()


@deconstructible(path="truestyle.core.storage.GridFSStorage")
class GridFSStorage(Storage):
    """Files in one GridFS bucket of a Django MongoDB database, served at `base_url` + name.

    `database_alias` names the connection in DATABASES (so tests use the test
    database), `bucket_name` the bucket (`<bucket>.files`, `<bucket>.chunks`).
    Stored files never change: saving always makes a new file with a new name.
    """

    def __init__(self, database_alias: str = "mongodb", bucket_name: str = "media", base_url: str | None = None):
        self.database_alias = database_alias
        self.bucket_name = bucket_name
        self._base_url = base_url

    # -- helpers ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        # Read at call time, so that override_settings(MEDIA_URL=...) is honoured.
        return self._base_url if self._base_url is not None else settings.MEDIA_URL

    def _connection(self):
        connection = connections[self.database_alias]
        if getattr(connection, "in_atomic_block_mongo", False) or getattr(connection, "session", None):
            raise GridFSInTransactionError(
                "GridFS cannot be used inside a MongoDB transaction: store files before the transaction "
                "starts and delete them after it commits (on_mongo_commit)."
            )
        return connection

    @property
    def database(self):
        return self._connection().database

    def bucket(self) -> GridFSBucket:
        return GridFSBucket(self.database, bucket_name=self.bucket_name)

    @property
    def files_collection(self):
        return self.database[f"{self.bucket_name}.files"]

    def _file_document(self, name: str) -> dict | None:
        file_id = parse_stored_name(name)
        if file_id is None:
            return None
        document = self.files_collection.find_one({"_id": file_id})
        if document is None or document.get("filename") != name:
            return None
        return document

    def _existing_document(self, name: str) -> dict:
        document = self._file_document(name)
        if document is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return document

    @staticmethod
    def _as_django_datetime(value: datetime) -> datetime:
        # pymongo hands back naive UTC; Django's storages answer aware UTC, or naive local time without USE_TZ.
        aware = value.replace(tzinfo=UTC) if timezone.is_naive(value) else value
        return aware if settings.USE_TZ else timezone.make_naive(aware, timezone.get_default_timezone())

    # -- Storage API -----------------------------------------------------------------------

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # _save makes a fresh, unique name anyway: asking the database whether the
        # client's name exists would cost a round trip and mean nothing.
        return name

    def _save(self, name: str, content: File) -> str:
        """Store `content` under a new name `<ObjectId><extension>` and return that name.

        The content type comes from `content.content_type` if set, else from
        `name`; the extension agrees with it. A failed upload leaves no chunks behind.
        """
        content_type = content_type_for(content, name)
        file_id = ObjectId()
        stored_name = f"{file_id}{extension_for(content_type, name)}"
        digest = hashlib.sha256()
        upload = self.bucket().open_upload_stream_with_id(
            file_id, stored_name, metadata={"contentType": content_type}
        )
        try:
            # Storage.save() has wrapped `content` in a File; chunks() starts from the beginning.
            for chunk in content.chunks(HASH_CHUNK_BYTES):
                if isinstance(chunk, str):
                    chunk = chunk.encode()
                digest.update(chunk)
                upload.write(chunk)
            # Written into the files document at close(), so the file is never visible without it.
            upload.metadata = {"contentType": content_type, "sha256": digest.hexdigest()}
            upload.close()
        except BaseException:
            upload.abort()
            raise
        return stored_name

    def _open(self, name: str, mode: str = "rb") -> GridFSFile:
        if any(flag in mode for flag in "wax+"):
            raise ValueError("Stored files never change: GridFS files can only be opened for reading.")
        file_id = parse_stored_name(name)
        if file_id is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        try:
            grid_out = self.bucket().open_download_stream(file_id)
        except NoFile:
            raise FileNotFoundError(f"No stored file named {name!r}.") from None
        if grid_out.filename != name:
            grid_out.close()
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return GridFSFile(grid_out, name)

    def delete(self, name: str) -> None:
        """Delete the file if it exists; deleting a missing or malformed name does nothing, as Django expects."""
        document = self._file_document(name)
        if document is None:
            return
        try:
            self.bucket().delete(document["_id"])
        except NoFile:  # deleted by someone else in between
            pass

    def exists(self, name: str) -> bool:
        return self._file_document(name) is not None

    def size(self, name: str) -> int:
        return self._existing_document(name)["length"]

    def url(self, name: str) -> str:
        return urljoin(self.base_url, filepath_to_uri(name).lstrip("/"))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        """The bucket is flat: "" lists every stored name (sorted); no other directory exists."""
        if path.strip("/") not in ("", "."):
            raise FileNotFoundError(f"No directory {path!r}: GridFS storage has no directories.")
        names = [document["filename"] for document in self.files_collection.find({}, {"filename": 1})]
        return [], sorted(names)

    def get_created_time(self, name: str) -> datetime:
        return self._as_django_datetime(self._existing_document(name)["uploadDate"])

    def get_modified_time(self, name: str) -> datetime:
        # Stored files are never modified: they change only by being replaced under a new name.
        return self.get_created_time(name)

    def content_type(self, name: str) -> str:
        """The content type stored with the file."""
        return (self._existing_document(name).get("metadata") or {}).get("contentType") or DEFAULT_CONTENT_TYPE
