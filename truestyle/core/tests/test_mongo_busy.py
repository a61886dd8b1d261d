"""A locked SQLite file makes the embedded server wait and run the command again, not fail.

mongoeco keeps several SQLite connections (main, dedicated readers, the change
outbox); when two collide SQLite answers "database is locked". MongoDB would
have waited, so the server retries a command outside a transaction and, inside
one, asks the client to run the transaction again.
"""

import sqlite3
import threading
import time

import pytest
from pymongo.errors import OperationFailure

from truestyle.core.mongo.server import DATABASE_FILE
from truestyle.testing.mongo_servers import client_for, embedded_server

# Short enough that the lock below outlives SQLite's own waiting.
BUSY_TIMEOUT_MS = 100
LOCK_SECONDS = 0.8


def hold_write_lock(path, seconds, locked: threading.Event):
    connection = sqlite3.connect(path, timeout=10)
    connection.execute("BEGIN EXCLUSIVE")
    locked.set()
    time.sleep(seconds)
    connection.rollback()
    connection.close()


@pytest.fixture
def busy_server(tmp_path):
    with embedded_server(data_dir=tmp_path, busy_timeout_ms=BUSY_TIMEOUT_MS) as port:
        client = client_for(port)
        client.shop.items.insert_one({"_id": "seed"})
        yield client, tmp_path / DATABASE_FILE
        client.close()


def locked_for(path, seconds):
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, seconds, locked))
    holder.start()
    assert locked.wait(5)
    return holder


def test_a_write_outside_a_transaction_waits_for_the_lock_and_lands_once(busy_server):
    client, path = busy_server
    holder = locked_for(path, LOCK_SECONDS)

    started = time.monotonic()
    client.shop.items.insert_one({"_id": "after-lock", "qty": 1})
    waited = time.monotonic() - started
    holder.join()

    assert waited >= LOCK_SECONDS * 0.5
    assert list(client.shop.items.find({}, sort=[("_id", 1)])) == [{"_id": "after-lock", "qty": 1}, {"_id": "seed"}]


def test_a_write_inside_a_transaction_is_refused_as_transient_and_nothing_is_kept(busy_server):
    client, path = busy_server
    with client.start_session() as session:
        session.start_transaction()
        holder = locked_for(path, LOCK_SECONDS)
        with pytest.raises(OperationFailure) as refused:
            client.shop.items.insert_one({"_id": "in-txn"}, session=session)
        holder.join()
        with pytest.raises(OperationFailure) as commit:
            session.commit_transaction()

    assert refused.value.has_error_label("TransientTransactionError")
    assert commit.value.code == 251
    assert [doc["_id"] for doc in client.shop.items.find({})] == ["seed"]
