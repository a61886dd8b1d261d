"""The raw-driver floors: what the same reads and writes cost through pymongo alone, on the same
server, client and dataset. Each store endpoint is reported as a multiple of its floor.

- listing: the 24 newest active products, the documents a listing page starts from;
- product: one product by its slug;
- place: the guarded stock decrement and the order insert in one transaction, the least an order
  placement must write. The orders written here are deleted and the stock given back afterwards.
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


def place_floor(facts) -> tuple[Callable[[], object], Callable[[], None]]:
    client, db = _database()
    variants = itertools.cycle(ObjectId(pk) for pk in facts.variant_ids)
    user_id = ObjectId(str(facts.shoppers[0].pk))
    placed: list[tuple[ObjectId, ObjectId]] = []

    def place():
        variant_id = next(variants)
        with client.start_session() as session, session.start_transaction():
            taken = db.variants.update_one({"_id": variant_id, "stock": {"$gte": 1}}, {"$inc": {"stock": -1}},
                                           session=session)
            if taken.modified_count != 1:
                raise RuntimeError("the floor's variant ran out of stock")
            order_id = db.orders.insert_one({
                "number": f"FLOOR-{uuid.uuid4().hex[:12]}", "user_id": user_id,
                "idempotency_key": uuid.uuid4().hex, "status": "placed", "total": Decimal128(Decimal("999.00")),
                "placed_at": datetime.now(UTC)}, session=session).inserted_id
        placed.append((order_id, variant_id))

    def undo():
        for order_id, variant_id in placed:
            db.orders.delete_one({"_id": order_id})
            db.variants.update_one({"_id": variant_id}, {"$inc": {"stock": 1}})
        placed.clear()

    return place, undo


FLOORS = {"listing": listing_floor, "product": product_floor, "place": place_floor}
