"""The embedded server's unique checks answered from indexes (truestyle/core/mongo/unique_checks.py)
refuse exactly the duplicates MongoDB refuses, and accept everything else."""

import pytest
from bson import Int64, ObjectId
from pymongo.errors import BulkWriteError, DuplicateKeyError

from truestyle.testing.mongo_servers import client_for, embedded_server


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with embedded_server(data_dir=tmp_path_factory.mktemp("unique")) as port:
        client = client_for(port)
        yield client
        client.close()


@pytest.fixture
def variants(client, request):
    """Like the store's variants: a foreign key with its own index, first in a compound unique key."""
    collection = client.shop[f"variants_{request.node.name[-40:]}"]
    collection.create_index("colourway_id")
    collection.create_index([("colourway_id", 1), ("size", 1)], unique=True)
    collection.insert_many([{"colourway_id": ObjectId(), "size": size} for size in ("S", "M", "L")])
    yield collection
    collection.drop()


def test_a_repeated_objectid_is_refused_and_the_first_document_kept(client):
    items = client.shop.ids
    known = ObjectId()
    items.insert_one({"_id": known, "name": "first"})

    with pytest.raises(DuplicateKeyError):
        items.insert_one({"_id": known, "name": "second"})

    assert list(items.find({"_id": known})) == [{"_id": known, "name": "first"}]


def test_numeric_ids_equal_across_types_are_still_refused(client):
    items = client.shop.numbers
    items.insert_one({"_id": 1, "name": "int"})

    for same in (1.0, Int64(1)):
        with pytest.raises(DuplicateKeyError):
            items.insert_one({"_id": same, "name": "again"})

    assert items.count_documents({}) == 1


def test_a_compound_duplicate_is_refused_and_another_size_of_the_same_colourway_accepted(variants):
    colourway = ObjectId()
    variants.insert_one({"colourway_id": colourway, "size": "M", "sku": "A"})

    with pytest.raises(DuplicateKeyError) as refused:
        variants.insert_one({"colourway_id": colourway, "size": "M", "sku": "B"})
    variants.insert_one({"colourway_id": colourway, "size": "L", "sku": "C"})

    assert refused.value.details["keyValue"] == {"colourway_id": colourway, "size": "M"}
    assert sorted(d["sku"] for d in variants.find({"colourway_id": colourway})) == ["A", "C"]


def test_a_duplicate_inside_one_batch_is_refused_in_its_transaction_and_nothing_is_kept(client, variants):
    colourway = ObjectId()
    batch = [{"colourway_id": colourway, "size": size} for size in ("S", "M", "S")]

    with client.start_session() as session, pytest.raises(BulkWriteError):
        with session.start_transaction():
            variants.insert_many(batch, session=session)

    assert variants.count_documents({"colourway_id": colourway}) == 0


def test_an_update_that_would_repeat_a_compound_key_is_refused_and_changes_nothing(variants):
    colourway = ObjectId()
    variants.insert_many([{"colourway_id": colourway, "size": "S"}, {"colourway_id": colourway, "size": "M"}])

    with pytest.raises(DuplicateKeyError):
        variants.update_one({"colourway_id": colourway, "size": "M"}, {"$set": {"size": "S"}})
    variants.update_one({"colourway_id": colourway, "size": "M"}, {"$set": {"size": "XL"}})

    assert sorted(d["size"] for d in variants.find({"colourway_id": colourway})) == ["S", "XL"]


def test_a_missing_first_field_counts_as_null_once_as_in_mongodb(variants):
    variants.insert_one({"size": "M"})

    with pytest.raises(DuplicateKeyError):
        variants.insert_one({"size": "M"})
    variants.insert_one({"size": "L"})

    assert variants.count_documents({"colourway_id": {"$exists": False}}) == 2


def test_without_an_index_on_the_first_field_duplicates_are_still_refused(client):
    callbacks = client.shop.callbacks
    callbacks.create_index([("gateway", 1), ("event_id", 1)], unique=True)
    callbacks.insert_one({"gateway": "sandbox", "event_id": "evt_1"})

    with pytest.raises(DuplicateKeyError):
        callbacks.insert_one({"gateway": "sandbox", "event_id": "evt_1"})
    callbacks.insert_one({"gateway": "upi", "event_id": "evt_1"})

    assert callbacks.count_documents({}) == 2


def test_reads_after_writes_see_decimals_and_bytes_that_arrive_in_a_field_of_plain_values(client):
    """The "no tagged values here" facts kept across writes are dropped by a write that tags one."""
    from bson import Binary, Decimal128

    prices = client.shop.prices
    prices.insert_many([{"sku": f"P{i}", "price": i, "code": "x"} for i in range(10)])
    before = prices.count_documents({"price": {"$gte": 5}})
    prices.update_one({"sku": "P1"}, {"$set": {"price": 2}})  # plain values: the facts are kept
    kept = prices.count_documents({"price": {"$gte": 5}})
    prices.insert_one({"sku": "D", "price": Decimal128("7.5"), "code": "x"})
    with_decimal = sorted(d["sku"] for d in prices.find({"price": {"$gte": 7}}))
    prices.update_one({"sku": "P2"}, {"$set": {"price": Decimal128("9.25")}})
    updated = sorted(d["sku"] for d in prices.find({"price": {"$gt": 9}}))
    prices.update_one({"sku": "P3"}, {"$set": {"code": Binary(b"\x01")}})
    by_bytes = [d["sku"] for d in prices.find({"code": Binary(b"\x01")})]

    assert (before, kept) == (5, 5)
    assert with_decimal == ["D", "P7", "P8", "P9"]
    assert updated == ["P2"]
    assert by_bytes == ["P3"]
