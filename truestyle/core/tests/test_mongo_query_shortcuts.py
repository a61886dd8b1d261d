"""Faster plans on the embedded server give MongoDB's answers: `$in` and equality from an index
(truestyle/core/mongo/membership.py) and a `$match` moved before joins (compat.match_before_lookups)."""

import pytest
from bson import Int64, ObjectId

from truestyle.core.mongo.compat import match_before_lookups, rewrite_query
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


def test_equality_on_an_indexed_id_field_returns_exactly_its_documents_also_with_other_conditions(shop):
    database, products = shop

    found = sorted(d["sku"] for d in database.variants.find({"product_id": products[4]}, {"_id": 0, "sku": 1}))
    with_size = database.variants.count_documents({"product_id": products[4], "size": "M"})
    unknown = database.variants.count_documents({"product_id": ObjectId()})

    assert found == sorted(f"V{i}" for i in range(300) if i % 30 == 4)
    assert (with_size, unknown) == (len([i for i in range(300) if i % 30 == 4 and "SML"[i % 3] == "M"]), 0)


def test_equality_on_an_indexed_string_field_and_on_an_array_stored_there(shop):
    database, products = shop
    database.variants.create_index("sku")
    by_sku = [d["product_id"] for d in database.variants.find({"sku": "V37"})]
    database.variants.insert_one({"product_id": [products[0], products[1]], "sku": "BUNDLE"})
    try:
        holding = database.variants.count_documents({"product_id": products[1]})
    finally:
        database.variants.delete_one({"sku": "BUNDLE"})

    assert by_sku == [products[7]]
    assert holding == 11  # ten of its own and the bundle that lists it


def test_reads_and_guarded_updates_by_id_find_exactly_their_documents(shop):
    database, products = shop
    ids = [d["_id"] for d in database.variants.find({"sku": {"$in": ["V1", "V2", "V3"]}})]
    expression = {"$expr": {"$in": ["$_id", ids[:2] + [ObjectId()]]}}

    by_id = [d["sku"] for d in database.variants.find({"_id": ids[0]})]
    by_expression = sorted(d["sku"] for d in database.variants.aggregate([{"$match": expression}]))
    by_in = database.variants.count_documents({"_id": {"$in": ids + ["a-string-id"]}})
    database.variants.update_one({"_id": ids[2]}, {"$set": {"stock": 1}})
    guard = {"$and": [{"_id": ids[2]}, {"stock": {"$gte": 1}}]}
    taken = database.variants.update_many(guard, [{"$set": {"stock": {"$add": ["$stock", -1]}}}]).modified_count
    refused = database.variants.update_many(guard, [{"$set": {"stock": {"$add": ["$stock", -1]}}}]).modified_count

    assert by_id == ["V1"]
    assert by_expression == ["V1", "V2"]
    assert by_in == 3
    assert (taken, refused, database.variants.find_one({"_id": ids[2]})["stock"]) == (1, 0, 0)


def test_id_membership_and_and_clauses_are_rewritten_only_when_the_meaning_is_kept():
    a, b = ObjectId(), ObjectId()

    assert rewrite_query({"$expr": {"$in": ["$_id", (a, b)]}}) == {"_id": {"$in": [a, b]}}
    assert rewrite_query({"$and": [{"_id": a}, {"stock": {"$gte": 2}}]}) == {"_id": a, "stock": {"$gte": 2}}
    kept = [
        {"$expr": {"$in": ["$product_id", [a]]}},          # may be an array: the operator would match elements
        {"$expr": {"$in": ["$_id", ["$other_id"]]}},        # a field path, not a value
        {"$expr": {"$in": ["$_id", "$ids"]}},
        {"$and": [{"size": "S"}, {"size": {"$ne": "M"}}]},  # one field twice
        {"$and": [{"_id": a}, {"$or": [{"size": "S"}, {"size": "M"}]}]},
    ]
    for query in kept:
        assert rewrite_query(query) == query


def test_comparisons_with_int64_operands_match_by_value_also_when_the_id_is_fixed(shop):
    database, products = shop
    database.variants.update_many({"product_id": products[5]}, {"$set": {"stock": Int64(3)}})
    database.variants.update_one({"sku": "V5"}, {"$set": {"stock": Int64(7)}})
    v5, v35 = (database.variants.find_one({"sku": sku})["_id"] for sku in ("V5", "V35"))

    at_least_five = [d["sku"] for d in database.variants.find({"product_id": products[5], "stock": {"$gte": Int64(5)}})]
    by_id = [d["sku"] for d in database.variants.find({"_id": v5, "stock": {"$gte": Int64(5)}})]
    by_id_refused = database.variants.count_documents({"_id": v35, "stock": {"$gte": Int64(5)}})
    by_ids = sorted(d["sku"] for d in database.variants.find({"_id": {"$in": [v5, v35]}, "stock": {"$lt": Int64(4)}}))
    guard = {"$and": [{"_id": v35}, {"stock": {"$gte": Int64(3)}}]}
    taken = [database.variants.update_many(guard, [{"$set": {"stock": {"$add": ["$stock", Int64(-3)]}}}]).modified_count
             for _ in range(2)]

    assert (at_least_five, by_id, by_id_refused, by_ids) == (["V5"], ["V5"], 0, ["V35"])
    assert (taken, database.variants.find_one({"_id": v35})["stock"]) == ([1, 0], 0)


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
