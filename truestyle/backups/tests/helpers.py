"""Test data and exact snapshots of the store for the backup tests."""

from __future__ import annotations

import io
import tarfile
from decimal import Decimal

import bson
from bson.codec_options import CodecOptions
from bson.son import SON
from bson.raw_bson import RawBSONDocument
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from gridfs import GridFSBucket
from PIL import Image

from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.auditlog.services import audit_record
from truestyle.backups import store_data
from truestyle.catalog.services.images import product_image_add
from truestyle.contact.models import ContactMessage, ContactReply
from truestyle.core.db_router import SQL_DATABASE
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant

RAW = CodecOptions(document_class=RawBSONDocument)


def administrator_create(email: str = "admin@example.com"):
    from django.contrib.auth.models import Group

    admin = user_create(email=email, name="Meera Admin")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    return admin


def jpeg(colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 500), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("front.jpg", buffer.getvalue(), content_type="image/jpeg")


def store_load():
    """Users, a product with a GridFS image (and its thumbnail), an order, a contact message and audit rows."""
    admin = administrator_create()
    customer, address = customer_create(email="asha@example.com")
    variant = stocked_variant(name="Linen Kurta", price="1899.50", stock=7)
    product_image_add(actor=admin, product=variant.product, upload=jpeg(), alt_text="Front view")
    order = place(user=customer, address=address, lines=[line(variant, 2)])
    message = ContactMessage.objects.create(name="Ravi", email="ravi@example.com", subject="Sizes",
                                            message="Which size fits a 40 inch chest? ₹ and ü survive.")
    ContactReply.objects.create(message=message, body="Size L.", sent_by_id=str(admin.pk), sent_by_email=admin.email)
    audit_record(actor=admin, action="test.loaded", object_type="order", object_id=str(order.pk),
                 before={"total": "0"}, after={"total": str(order.total), "lines": [1, 2.5, None]}, ip="10.0.0.7")
    assert order.total > Decimal("0")
    return admin


def _exact(document: RawBSONDocument) -> bytes:
    """A document's BSON bytes (so field order and int32/int64/double/Decimal128 types count), `_id` first.

    MongoDB stores `_id` first on insert, as a restore inserts; the embedded test server puts it
    last in a document made by an upsert. Every other field keeps its place.
    """
    fields = bson.decode(document.raw, codec_options=CodecOptions(document_class=SON))
    ordered = SON([("_id", fields.pop("_id"))])
    ordered.update(fields)
    return bson.encode(ordered)


def snapshot() -> dict:
    """Every backed-up collection (exact BSON, see _exact), every file (document and bytes) and table row."""
    database = store_data.mongo_database()
    mongo = {name: [_exact(document) for document in
                    database.get_collection(name, codec_options=RAW).find().sort("_id", 1)]
             for name in store_data.mongo_collections()}
    files = {}
    for bucket in store_data.gridfs_buckets():
        grid = GridFSBucket(database, bucket_name=bucket)
        files[bucket] = [(document.raw, grid.open_download_stream(document["_id"]).read())
                         for document in database.get_collection(f"{bucket}.files", codec_options=RAW)
                         .find().sort("_id", 1)]
    sql = {model._meta.db_table: list(model._base_manager.using(SQL_DATABASE).order_by("pk").values())
           for model in store_data.sql_models()}
    return {"mongo": mongo, "files": files, "sql": sql}


def store_wipe() -> None:
    """Empty every business collection and bucket and truncate the SQL tables.

    Collections are emptied rather than dropped: their indexes come from migrations, and the rest
    of the test run relies on them (unique constraints).
    """
    database = store_data.mongo_database()
    for name in store_data.mongo_collections():
        database[name].delete_many({})
    for bucket in store_data.gridfs_buckets():
        store_data.gridfs_empty(bucket)
    connection = connections[SQL_DATABASE]
    tables = ", ".join(model._meta.db_table for model in store_data.sql_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")


def without_restore_entry(sql: dict) -> dict:
    """The SQL snapshot minus the audit entry a restore writes after itself."""
    entries = [row for row in sql["audit_log"] if row["action"] != "backup.restore"]
    return {**sql, "audit_log": entries}


def members(data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return [(info, tar.extractfile(info).read()) for info in tar.getmembers()]


def repack(parts: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, data in parts:
            copy = tarfile.TarInfo(info.name)
            copy.size, copy.mtime, copy.mode = len(data), info.mtime, info.mode
            tar.addfile(copy, io.BytesIO(data))
    return buffer.getvalue()


def audit_count() -> int:
    return AuditEntry.objects.count()
