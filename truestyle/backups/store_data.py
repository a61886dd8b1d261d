"""What a backup holds, read from and written back to the store's databases.

MongoDB: every collection of the store database except
- `backup_logs` and `restore_logs` (the history of backups survives restores),
- `django_migrations` (which schema is installed belongs to the code, not the data; the archive
  records it in the manifest, and a restore needs the same migrations applied),
- GridFS buckets (`<bucket>.files` / `<bucket>.chunks`): their files are members of their own,
  and the bucket of archives is left out entirely,
- `system.*`.
PostgreSQL: every table of the SQL apps (truestyle.core.db_router.SQL_APPS).

Restoring replaces data, never the schema: a MongoDB collection is emptied and refilled (so its
indexes, made by migrations, stay), one collection after another; MongoDB cannot put a whole
database into one transaction, so a restore that fails part-way leaves the collections before
the failure restored and the rest as they were (the restore log names the step). The SQL tables
are emptied and refilled inside one transaction, before MongoDB is touched.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable

import bson
from bson import ObjectId
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from pymongo.errors import BulkWriteError

from truestyle.backups.archive import ARCHIVE_BUCKET
from truestyle.core.db_router import MONGO_DATABASE, SQL_APPS, SQL_DATABASE

LOG_COLLECTIONS = frozenset({"backup_logs", "restore_logs"})
EXCLUDED_COLLECTIONS = LOG_COLLECTIONS | {"django_migrations"}
INSERT_BATCH = 200
# Plain dicts and naive UTC dates: what canonical extended JSON writes and reads back unchanged.
_PLAIN = CodecOptions()


def mongo_database():
    return connections[MONGO_DATABASE].database


def mongo_collections() -> list[str]:
    """The collections a backup holds, sorted."""
    names = mongo_database().list_collection_names()
    return sorted(name for name in names if name not in EXCLUDED_COLLECTIONS and not name.startswith("system.")
                  and not name.endswith((".files", ".chunks")))


def gridfs_buckets() -> list[str]:
    names = set(mongo_database().list_collection_names())
    return sorted(name[: -len(".files")] for name in names
                  if name.endswith(".files") and name[: -len(".files")] != ARCHIVE_BUCKET)


def sql_models() -> list[type[models.Model]]:
    """The SQL apps' models, parents before the models that refer to them."""
    found = [model for label in sorted(SQL_APPS) for model in apps.get_app_config(label).get_models()]
    ordered: list = []

    def visit(model):
        if model in ordered:
            return
        for fk in model._meta.concrete_fields:
            target = getattr(fk, "related_model", None)
            if fk.is_relation and target in found and target is not model:
                visit(target)
        ordered.append(model)

    for model in found:
        visit(model)
    return ordered


def sql_columns() -> dict[str, list[str]]:
    return {model._meta.db_table: [f.attname for f in model._meta.concrete_fields] for model in sql_models()}


def applied_migrations() -> list[str]:
    """Every migration applied to either database, as "<alias>:<app>.<name>", sorted."""
    applied = []
    for alias in (MONGO_DATABASE, SQL_DATABASE):
        recorder = MigrationRecorder(connections[alias])
        applied += [f"{alias}:{app}.{name}" for app, name in recorder.applied_migrations()]
    return sorted(applied)


# -- reading ------------------------------------------------------------------------------------

def mongo_documents(collection: str) -> Iterable[dict]:
    return mongo_database().get_collection(collection, codec_options=_PLAIN).find({}).sort("_id", 1)


def gridfs_documents(bucket: str) -> list[dict]:
    """The files documents of a bucket (metadata only: the bytes are read one file at a time)."""
    files = mongo_database().get_collection(f"{bucket}.files", codec_options=_PLAIN)
    return list(files.find({}).sort("_id", 1))


class _RowEncoder(DjangoJSONEncoder):
    def default(self, o):
        if hasattr(o, "isoformat"):
            return o.isoformat()  # full precision, unlike DjangoJSONEncoder
        if isinstance(o, (bytes, memoryview)):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


def sql_rows(model) -> Iterable[str]:
    """The rows of a table as JSON lines, by primary key."""
    columns = [f.attname for f in model._meta.concrete_fields]
    for row in model._base_manager.using(SQL_DATABASE).order_by("pk").values_list(*columns).iterator(2000):
        yield json.dumps(dict(zip(columns, row, strict=True)), cls=_RowEncoder, ensure_ascii=False,
                         separators=(",", ":"))


# -- writing back -------------------------------------------------------------------------------

def sql_replace(tables: Iterable[tuple[str, Iterable[dict]]], on_row: Callable[[], None]) -> dict[str, int]:
    """Empty every SQL table and refill them from `tables` ((table, its records), ...), in one transaction.

    The SQL side is replaced as a whole (its tables refer to each other); an archive lists them all.
    """
    by_table = {model._meta.db_table: model for model in sql_models()}
    connection = connections[SQL_DATABASE]
    counts = {}
    with transaction.atomic(using=SQL_DATABASE):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in by_table)} RESTART IDENTITY")
            else:
                for table in reversed(list(by_table)):  # children before their parents
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        for table, records in tables:
            model = by_table[table]
            fields = {f.attname: f for f in model._meta.concrete_fields}
            counts[table] = 0
            for record in records:
                values = {name: value if isinstance(fields[name], models.JSONField) else fields[name].to_python(value)
                          for name, value in record.items()}
                # raw: no auto_now_add, no signals' side effects; the row comes back as it was.
                model(**values).save_base(raw=True, force_insert=True, using=SQL_DATABASE)
                counts[table] += 1
                on_row()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(by_table.values())):
                cursor.execute(statement)
    return counts


def mongo_replace(collection: str, documents: Iterable[dict], on_document: Callable[[], None]) -> int:
    """Empty a collection (its indexes stay) and insert `documents`, in batches."""
    target = mongo_database()[collection]
    target.delete_many({})
    batch, count = [], 0
    for document in documents:
        batch.append(document)
        if len(batch) >= INSERT_BATCH:
            count += _insert(target, batch)
            batch = []
        on_document()
    if batch:
        count += _insert(target, batch)
    return count


def _insert(target, batch: list[dict]) -> int:
    """Insert a batch into an emptied collection.

    pymongo retries a write whose answer it did not get; if the first attempt had been applied,
    the retry reports duplicate `_id`s. Those documents are there already: that is success, once
    each is checked to be exactly the one being restored. Any other error stops the restore.
    """
    try:
        target.insert_many(batch, ordered=False)
    except BulkWriteError as error:
        errors = error.details.get("writeErrors", [])
        if not errors or any(entry.get("code") != 11000 or set(entry.get("keyPattern") or {}) != {"_id"}
                             for entry in errors):
            raise
        raw = target.with_options(codec_options=CodecOptions(document_class=RawBSONDocument))
        for entry in errors:
            wanted = batch[entry["index"]]
            found = raw.find_one({"_id": wanted["_id"]})
            if found is None or found.raw != bson.encode(wanted):
                raise
    return len(batch)


def gridfs_empty(bucket: str) -> None:
    database = mongo_database()
    database[f"{bucket}.files"].delete_many({})
    database[f"{bucket}.chunks"].delete_many({})


def gridfs_put(bucket: str, document: dict, data) -> None:
    """Write one file back exactly: its chunks first, then its files document (so it is never half visible)."""
    database = mongo_database()
    size = document["chunkSize"]
    n = 0
    while piece := data.read(size):
        database[f"{bucket}.chunks"].insert_one({"_id": ObjectId(), "files_id": document["_id"], "n": n,
                                                 "data": piece})
        n += 1
    database[f"{bucket}.files"].insert_one(document)
