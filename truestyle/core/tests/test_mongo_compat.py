"""The compatibility layer makes the embedded server answer as MongoDB does (ARCHITECTURE.md facts 1-5).

Each fact has two kinds of test: one against our embedded server that fails
without the adaptation, and one against a bare mongoeco server that shows the
adaptation is still needed (when a mongoeco release fixes a gap, that test
fails and the adaptation can be dropped).
"""

from datetime import UTC, datetime

import pymongo
import pytest
from pymongo.errors import OperationFailure

from truestyle.core.mongo.compat import normalize_command, rewrite_expression, rewrite_projection
from truestyle.testing.mongo_servers import bare_mongoeco_server, client_for, embedded_server


@pytest.fixture(scope="module")
def compat_client():
    with embedded_server() as port:
        client = client_for(port)
        yield client
        client.close()


@pytest.fixture(scope="module")
def bare_client():
    with bare_mongoeco_server() as port:
        client = client_for(port, replica_set=False)
        yield client
        client.close()


@pytest.fixture
def people(compat_client):
    collection = compat_client.compat_tests.people
    collection.delete_many({})
    collection.insert_many([
        {"_id": 1, "name": "Asha", "size": "M", "brand": {"name": "Loom", "country": "IN"}},
        {"_id": 2, "name": "Ravi", "size": "L", "brand": {"name": "Weave", "country": "IN"}},
    ])
    return collection


# Fact 1: lowercase buildinfo ------------------------------------------------------

def test_server_info_answers_with_a_version(compat_client):
    info = compat_client.server_info()

    assert info["ok"] == 1.0
    assert info["versionArray"][0] >= 7


def test_bare_mongoeco_still_refuses_lowercase_buildinfo(bare_client):
    with pytest.raises(OperationFailure, match="buildinfo"):
        bare_client.admin.command("buildinfo")


def test_normalize_command_renames_buildinfo_and_keeps_other_fields_in_order():
    assert list(normalize_command({"buildinfo": 1, "$db": "admin"}).items()) == [("buildInfo", 1), ("$db", "admin")]


# Fact 2: the $not expression ------------------------------------------------------

def test_not_expression_in_projection_and_expr(people):
    projected = list(people.aggregate([
        {"$project": {"is_not_m": {"$not": [{"$eq": ["$size", "M"]}]}}},
        {"$sort": {"_id": 1}},
    ]))
    matched = list(people.find({"$expr": {"$not": {"$eq": ["$size", "M"]}}}, {"name": 1}))

    assert projected == [{"_id": 1, "is_not_m": False}, {"_id": 2, "is_not_m": True}]
    assert matched == [{"_id": 2, "name": "Ravi"}]


def test_query_operator_not_is_left_alone(people):
    assert [doc["_id"] for doc in people.find({"size": {"$not": {"$eq": "M"}}})] == [2]


def test_bare_mongoeco_still_lacks_the_not_expression(bare_client):
    bare_client.compat.people.insert_one({"size": "M"})
    with pytest.raises(OperationFailure, match=r"\$not"):
        list(bare_client.compat.people.aggregate([{"$project": {"x": {"$not": [True]}}}]))


def test_rewrite_expression_reaches_nested_lookup_pipelines():
    command = {
        "aggregate": "product",
        "pipeline": [{"$lookup": {"from": "brand", "let": {"b": "$brand_id"},
                                  "pipeline": [{"$match": {"$expr": {"$not": {"$eq": ["$_id", "$$b"]}}}}],
                                  "as": "brand"}}],
    }

    rewritten = normalize_command(command)

    inner = rewritten["pipeline"][0]["$lookup"]["pipeline"][0]["$match"]["$expr"]
    assert inner == {"$cond": [{"$eq": ["$_id", "$$b"]}, False, True]}
    assert command["pipeline"][0]["$lookup"]["pipeline"][0]["$match"]["$expr"] == {"$not": {"$eq": ["$_id", "$$b"]}}


def test_literal_not_is_kept_literal():
    assert rewrite_expression({"$literal": {"$not": 1}}) == {"$literal": {"$not": 1}}


# Fact 3: nested projections -------------------------------------------------------------

def test_nested_projection_returns_the_values(people):
    rows = list(people.aggregate([{"$project": {"_id": 0, "brand": {"name": 1}}}, {"$sort": {"brand.name": 1}}]))

    assert rows == [{"brand": {"name": "Loom"}}, {"brand": {"name": "Weave"}}]


def test_bare_mongoeco_still_takes_nested_projection_as_literal(bare_client):
    bare_client.compat.brands.insert_one({"brand": {"name": "Loom"}})
    rows = list(bare_client.compat.brands.aggregate([{"$project": {"_id": 0, "brand": {"name": 1}}}]))

    assert rows != [{"brand": {"name": "Loom"}}]


def test_rewrite_projection_flattens_only_plain_documents():
    assert rewrite_projection({"a": {"b": 1, "c": {"d": "$x"}}, "e": {"$add": [1, 2]}}) == {
        "a.b": 1, "a.c.d": "$x", "e": {"$add": [1, 2]},
    }


# Fact 4: $dateTrunc with a time zone ---------------------------------------------------------

@pytest.fixture
def moments(compat_client):
    collection = compat_client.compat_tests.moments
    collection.delete_many({})
    collection.insert_many([
        {"_id": 1, "at": datetime(2026, 11, 24, 18, 29, tzinfo=UTC)},  # 23:59 on the 24th in Kolkata
        {"_id": 2, "at": datetime(2026, 11, 24, 18, 30, tzinfo=UTC)},  # 00:00 on the 25th in Kolkata
        {"_id": 3, "at": None},
    ])
    return collection


@pytest.mark.parametrize(
    ("unit", "extra", "expected"),
    [
        ("day", {}, [datetime(2026, 11, 23, 18, 30), datetime(2026, 11, 24, 18, 30), None]),
        ("month", {}, [datetime(2026, 10, 31, 18, 30), datetime(2026, 10, 31, 18, 30), None]),
        ("year", {}, [datetime(2025, 12, 31, 18, 30), datetime(2025, 12, 31, 18, 30), None]),
        ("quarter", {}, [datetime(2026, 9, 30, 18, 30), datetime(2026, 9, 30, 18, 30), None]),
        ("hour", {}, [datetime(2026, 11, 24, 17, 30), datetime(2026, 11, 24, 18, 30), None]),
        # 2026-11-24 is a Tuesday: weeks start on Monday the 23rd (Kolkata).
        ("week", {"startOfWeek": "monday"}, [datetime(2026, 11, 22, 18, 30), datetime(2026, 11, 22, 18, 30), None]),
    ],
)
def test_date_trunc_honours_the_time_zone(moments, unit, extra, expected):
    rows = list(moments.aggregate([
        {"$project": {"t": {"$dateTrunc": {"date": "$at", "unit": unit, "timezone": "Asia/Kolkata", **extra}}}},
        {"$sort": {"_id": 1}},
    ]))

    assert [row["t"] for row in rows] == expected


def test_bare_mongoeco_still_refuses_date_trunc_time_zones(bare_client):
    bare_client.compat.moments.insert_one({"at": datetime(2026, 11, 24, tzinfo=UTC)})
    with pytest.raises(OperationFailure, match="timezone"):
        list(bare_client.compat.moments.aggregate([
            {"$project": {"t": {"$dateTrunc": {"date": "$at", "unit": "day", "timezone": "Asia/Kolkata"}}}}
        ]))


def test_date_trunc_with_bin_size_is_passed_through_unchanged():
    expression = {"$dateTrunc": {"date": "$at", "unit": "day", "binSize": 7, "timezone": "Asia/Kolkata"}}

    assert rewrite_expression(expression) == expression


# Fact 5: a replica set, so transactions work ------------------------------------------------------

def test_handshake_presents_a_one_member_replica_set(compat_client):
    hello = compat_client.admin.command("hello")

    assert hello["setName"] == "truestyle"
    assert hello["hosts"] == [hello["me"]] == [hello["primary"]]
    assert hello["isWritablePrimary"] is True


def test_transactions_commit_and_roll_back(compat_client):
    collection = compat_client.compat_tests.orders
    collection.delete_many({})

    with compat_client.start_session() as session:
        with session.start_transaction():
            collection.insert_one({"_id": "committed"}, session=session)
    with compat_client.start_session() as session:
        session.start_transaction()
        collection.insert_one({"_id": "rolled-back"}, session=session)
        session.abort_transaction()

    assert [doc["_id"] for doc in collection.find()] == ["committed"]


def test_bare_mongoeco_presents_no_replica_set(bare_client):
    assert "setName" not in bare_client.admin.command("hello")


def test_the_django_backend_sees_transaction_support(db):
    from django.db import connections

    assert connections["mongodb"].features._supports_transactions is True


def test_pymongo_client_with_replica_set_name_selects_the_primary():
    with embedded_server() as port:
        client = pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?replicaSet=truestyle", serverSelectionTimeoutMS=3000)
        try:
            assert client.admin.command("ping")["ok"] == 1.0
            assert client.primary == ("127.0.0.1", port)
        finally:
            client.close()


# $push/$addToSet skip $$REMOVE (found by the ORM conformance module: Sum over no rows) -----------

def test_push_skips_removed_values(compat_client):
    collection = compat_client.compat_tests.stock
    collection.delete_many({})
    collection.insert_many([{"size": "M", "stock": 3}, {"size": "L", "stock": 2}])

    rows = list(collection.aggregate([{"$group": {"_id": None, "xxl": {"$push": {
        "$switch": {"branches": [{"case": {"$eq": ["$size", "XXL"]}, "then": "$stock"}], "default": "$$REMOVE"}}}}}]))

    assert rows == [{"_id": None, "xxl": []}]


def test_bare_mongoeco_still_pushes_null_for_removed_values(bare_client):
    bare_client.compat.stock.insert_one({"size": "M"})
    rows = list(bare_client.compat.stock.aggregate([{"$group": {"_id": None, "x": {"$push": "$$REMOVE"}}}]))

    assert rows == [{"_id": None, "x": [None]}]


# A failed write aborts the transaction; a commit after an abort fails -----------------------------

def test_a_write_error_aborts_the_transaction(compat_client):
    collection = compat_client.compat_tests.unique_items
    collection.delete_many({})
    collection.insert_one({"_id": "taken"})

    with compat_client.start_session() as session:
        session.start_transaction()
        collection.insert_one({"_id": "first"}, session=session)
        with pytest.raises(pymongo.errors.DuplicateKeyError):
            collection.insert_one({"_id": "taken"}, session=session)
        with pytest.raises(OperationFailure) as commit:
            session.commit_transaction()

    assert commit.value.code == 251
    assert commit.value.has_error_label("TransientTransactionError")
    assert sorted(doc["_id"] for doc in collection.find()) == ["taken"]
