"""The raw-driver floors: what the same reads and writes cost through pymongo alone, on the same
server, client and dataset. Each store endpoint is reported as a multiple of its floor.

- listing: the 24 newest active products, the documents a listing page starts from;
- product: one product by its slug;
- place: the guarded stock decrement and the order insert in one transaction, the least an order
  placement must write. It writes to its own copy of the variants (same documents, same indexes)
  and its own orders collection, never to the store's: an interrupted run cannot leave a stock
  count that its ledger does not explain.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from bson import Decimal128, ObjectId
from django.db import connections


def _database():
    connection = connections["mongodb"]
    connection.ensure_connection()
    return connection.connection, connection.database


def listing_floor(facts) -> tuple[Callable[[], object], Callable[[], None]]:
    _client, db = _database()

    def read():
        return list(db.products.find({"is_active": True}).sort([("created_at", -1)]).limit(24))

    return read, lambda: None


def product_floor(facts) -> tuple[Callable[[], object], Callable[[], None]]:
    _client, db = _database()
    slugs = itertools.cycle(facts.slugs)
    return (lambda: db.products.find_one({"slug": next(slugs)})), (lambda: None)


FLOOR_VARIANTS = "bench_floor_variants"
FLOOR_ORDERS = "bench_floor_orders"


def _variants_copy(db):
    """The floor's copy of the variants collection, made once per dataset (and again if it drifted)."""
    copy = db[FLOOR_VARIANTS]
    if copy.estimated_document_count() != db.variants.estimated_document_count():
        copy.drop()
        for name, spec in db.variants.index_information().items():
            if name != "_id_":
                options = {key: spec[key] for key in ("unique", "partialFilterExpression", "sparse") if key in spec}
                copy.create_index(spec["key"], name=name, **options)
        batch = []
        for document in db.variants.find():
            batch.append(document)
            if len(batch) == 500:
                copy.insert_many(batch)
                batch = []
        if batch:
            copy.insert_many(batch)
    return copy


def place_floor(facts) -> tuple[Callable[[], object], Callable[[], None]]:
    client, db = _database()
    variants_copy = _variants_copy(db)
    variants = itertools.cycle(ObjectId(pk) for pk in facts.variant_ids)
    user_id = ObjectId(str(facts.shoppers[0].pk))

    def place():
        variant_id = next(variants)
        with client.start_session() as session, session.start_transaction():
            taken = variants_copy.update_one({"_id": variant_id, "stock": {"$gte": 1}}, {"$inc": {"stock": -1}},
                                             session=session)
            if taken.modified_count != 1:
                raise RuntimeError("the floor's variant ran out of stock")
            db[FLOOR_ORDERS].insert_one({
                "number": f"FLOOR-{uuid.uuid4().hex[:12]}", "user_id": user_id,
                "idempotency_key": uuid.uuid4().hex, "status": "placed", "total": Decimal128(Decimal("999.00")),
                "placed_at": datetime.now(UTC)}, session=session)

    return place, lambda: None


FLOORS = {"listing": listing_floor, "product": product_floor, "place": place_floor}
