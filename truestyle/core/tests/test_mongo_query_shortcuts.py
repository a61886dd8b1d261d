"""Faster plans on the embedded server give MongoDB's answers: `$in` from an index
(truestyle/core/mongo/membership.py) and a `$match` moved before joins (compat.match_before_lookups)."""

import pytest
from bson import ObjectId

from truestyle.core.mongo.compat import match_before_lookups
from truestyle.testing.mongo_servers import client_for, embedded_server

LOOKUP = {"$lookup": {"from": "products", "localField": "product_id", "foreignField": "_id", "as": "products"}}
UNWIND = {"$unwind": "$products"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    with embedded_server(data_dir=tmp_path_factory.mktemp("shortcuts")) as port:
        client = client_for(port)
        database = client.shop
        products = [ObjectId() for _ in range(30)]
        database.products.insert_many([{"_id": pk, "name": f"P{i}", "active": i % 2 == 0}
                                       for i, pk in enumerate(products)])
        database.variants.create_index("product_id")
        database.variants.insert_many([{"product_id": products[i % 30], "sku": f"V{i}", "size": "SML"[i % 3]}
                                       for i in range(300)])
        yield database, products
        client.close()


def test_in_over_an_indexed_field_returns_exactly_the_matching_documents(shop):
    database, products = shop
    wanted = products[3:23]

    found = list(database.variants.find({"product_id": {"$in": wanted}}, {"_id": 0, "sku": 1}))

    assert sorted(d["sku"] for d in found) == sorted(f"V{i}" for i in range(300) if i % 30 in range(3, 23))


def test_in_combined_with_other_conditions_and_with_values_of_two_types(shop):
    database, products = shop

    small = database.variants.count_documents({"product_id": {"$in": products[:5]}, "size": "S"})
    mixed = database.variants.count_documents({"product_id": {"$in": [products[0], "not-an-id"]}})

    assert (small, mixed) == (len([i for i in range(300) if i % 30 < 5 and i % 3 == 0]), 10)


def test_once_an_array_is_stored_in_the_field_it_is_matched_by_its_elements(shop):
    database, products = shop
    database.variants.insert_one({"product_id": [products[0], products[1]], "sku": "BUNDLE"})
    try:
        found = database.variants.count_documents({"product_id": {"$in": [products[1]]}})
    finally:
        database.variants.delete_one({"sku": "BUNDLE"})

    assert found == 11


def test_a_joined_read_by_id_finds_the_one_document_with_its_join(shop):
    database, products = shop
    variant = database.variants.find_one({"sku": "V7"})

    rows = list(database.variants.aggregate([LOOKUP, UNWIND, {"$match": {"_id": variant["_id"]}},
                                             {"$project": {"sku": 1, "name": "$products.name"}}]))

    assert [(row["sku"], row["name"]) for row in rows] == [("V7", "P7")]


def test_a_match_on_local_fields_moves_in_front_of_the_joins():
    match = {"$match": {"_id": 1, "$expr": {"$gt": ["$stock", 0]}}}

    assert match_before_lookups([LOOKUP, UNWIND, match, {"$limit": 1}]) == [match, LOOKUP, UNWIND, {"$limit": 1}]


@pytest.mark.parametrize("match", [
    {"products.active": True},
    {"$or": [{"sku": "V1"}, {"products.name": "P1"}]},
    {"$expr": {"$eq": ["$products.name", "P1"]}},
    {"$expr": {"$eq": ["$$ROOT.products.name", "P1"]}},
    {"$text": {"$search": "shirt"}},
])
def test_a_match_that_reads_joined_fields_or_cannot_be_read_stays_where_it_is(match):
    pipeline = [LOOKUP, UNWIND, {"$match": match}]

    assert match_before_lookups(pipeline) == pipeline


def test_a_match_on_joined_fields_still_filters_by_them(shop):
    database, _ = shop

    skus = {row["sku"] for row in database.variants.aggregate([LOOKUP, UNWIND, {"$match": {"products.active": True}}])}

    assert skus == {f"V{i}" for i in range(300) if (i % 30) % 2 == 0}
