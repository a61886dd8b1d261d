"""While one session holds a transaction, other sessions wait instead of failing (ARCHITECTURE.md fact 6)."""

import threading
import time

import pytest
from pymongo.errors import OperationFailure, PyMongoError

from truestyle.core.mongo.gate import TransactionGate
from truestyle.testing.mongo_servers import client_for, embedded_server


def _read_in_thread(collection, results: dict) -> threading.Thread:
    def read():
        started = time.monotonic()
        try:
            results["docs"] = sorted(doc["_id"] for doc in collection.find())
        except PyMongoError as error:
            results["error"] = error
        results["waited"] = time.monotonic() - started

    thread = threading.Thread(target=read)
    thread.start()
    return thread


def test_a_reader_waits_for_an_open_transaction_and_then_sees_its_commit():
    with embedded_server() as port:
        client = client_for(port)
        collection = client.gate.items
        collection.insert_one({"_id": "before"})
        results: dict = {}

        with client.start_session() as session:
            session.start_transaction()
            collection.insert_one({"_id": "inside"}, session=session)
            reader = _read_in_thread(collection, results)
            time.sleep(0.5)
            still_waiting = reader.is_alive()
            session.commit_transaction()
        reader.join(10)
        client.close()

    assert still_waiting is True
    assert "error" not in results
    assert results["docs"] == ["before", "inside"]
    assert results["waited"] >= 0.5


class NoGate(TransactionGate):
    """Our server with the gate removed: what mongoeco alone does."""

    async def run(self, command_name, body, execute, **_):
        return await execute()


def test_without_the_gate_other_sessions_fail_at_once():
    with embedded_server(gate=NoGate()) as port:
        client = client_for(port)
        collection = client.gate.items
        collection.insert_one({"_id": "before"})
        with client.start_session() as session:
            session.start_transaction()
            collection.insert_one({"_id": "inside"}, session=session)
            started = time.monotonic()
            with pytest.raises(OperationFailure, match="active transaction bound to another session"):
                list(collection.find())
            failed_after = time.monotonic() - started
            session.abort_transaction()
        client.close()

    assert failed_after < 1


def test_a_waiter_gives_up_after_the_bound_with_a_clear_error():
    with embedded_server(gate=TransactionGate(wait_timeout=0.5, idle_limit=60)) as port:
        client = client_for(port)
        collection = client.gate.items
        collection.insert_one({"_id": "before"})
        results: dict = {}
        with client.start_session() as session:
            session.start_transaction()
            collection.insert_one({"_id": "inside"}, session=session)
            reader = _read_in_thread(collection, results)
            reader.join(10)
            session.abort_transaction()
        after = sorted(doc["_id"] for doc in collection.find())
        client.close()

    assert isinstance(results["error"], OperationFailure)
    assert results["error"].code == 50
    assert 0.4 <= results["waited"] < 5
    assert after == ["before"]


def test_a_second_transaction_waits_for_the_first_instead_of_conflicting():
    with embedded_server() as port:
        client = client_for(port)
        collection = client.gate.stock
        collection.insert_one({"_id": "sku-1", "stock": 1})
        outcome: dict = {}

        def second_buyer():
            with client.start_session() as session:
                with session.start_transaction():
                    result = collection.update_one({"_id": "sku-1", "stock": {"$gte": 1}},
                                                   {"$inc": {"stock": -1}}, session=session)
                    outcome["second_modified"] = result.modified_count

        with client.start_session() as session:
            session.start_transaction()
            first = collection.update_one({"_id": "sku-1", "stock": {"$gte": 1}}, {"$inc": {"stock": -1}},
                                          session=session)
            buyer = threading.Thread(target=second_buyer)
            buyer.start()
            time.sleep(0.3)
            session.commit_transaction()
        buyer.join(10)
        final = collection.find_one({"_id": "sku-1"})
        client.close()

    assert first.modified_count == 1
    assert outcome["second_modified"] == 0
    assert final["stock"] == 0


def test_an_abandoned_transaction_is_aborted_and_releases_the_server(monkeypatch):
    monkeypatch.setattr("truestyle.core.mongo.server.IDLE_CHECK_SECONDS", 0.2)
    with embedded_server(gate=TransactionGate(wait_timeout=10, idle_limit=0.5)) as port:
        client = client_for(port)
        collection = client.gate.items
        session = client.start_session()
        session.start_transaction()
        collection.insert_one({"_id": "abandoned"}, session=session)
        # The owner goes silent; a reader must get through once the idle limit passes.
        started = time.monotonic()
        docs = list(collection.find())
        waited = time.monotonic() - started
        client.close()

    assert docs == []
    assert 0.4 <= waited < 5
