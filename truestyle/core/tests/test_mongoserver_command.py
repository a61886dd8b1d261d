"""`manage.py mongoserver` runs the embedded server in the foreground, and its data survives a restart."""

import pymongo

from truestyle.core.mongo.process import free_port, start_embedded_mongo, stop_process
from truestyle.core.mongo.server import mongodb_uri


def _write_and_read(port: int, document: dict | None):
    client = pymongo.MongoClient(mongodb_uri("127.0.0.1", port))
    try:
        if document is not None:
            with client.start_session() as session, session.start_transaction():
                client.store.orders.insert_one(document, session=session)
        return list(client.store.orders.find({}, {"_id": 1, "total": 1}))
    finally:
        client.close()


def test_data_survives_a_restart_of_the_server(tmp_path):
    port = free_port()
    data_dir = tmp_path / "mongo"
    log = tmp_path / "server.log"

    server = start_embedded_mongo(port=port, data_dir=str(data_dir), log_path=log)
    try:
        before = _write_and_read(port, {"_id": "order-1", "total": "1499.00"})
    finally:
        stop_process(server)
    server = start_embedded_mongo(port=port, data_dir=str(data_dir), log_path=log)
    try:
        after = _write_and_read(port, None)
    finally:
        stop_process(server)

    assert before == after == [{"_id": "order-1", "total": "1499.00"}]
    assert (data_dir / "mongo.sqlite3").exists()
    assert f"embedded MongoDB listening on 127.0.0.1:{port}" in log.read_text()


def test_stopping_the_server_exits_cleanly(tmp_path):
    port = free_port()
    server = start_embedded_mongo(port=port, data_dir=":memory:")

    stop_process(server)

    assert server.returncode == 0
