"""Private embedded servers for tests that need their own (gate timing, restarts, a bare mongoeco)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pymongo
from mongoeco.engines.sqlite import SQLiteEngine
from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

from truestyle.core.mongo.gate import TransactionGate
from truestyle.core.mongo.server import EmbeddedMongoServer, mongodb_uri


@contextlib.contextmanager
def running_server(server_factory) -> Iterator[int]:
    """Run a wire server on its own event loop in a thread; yield its port."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict = {}

    async def main():
        server = server_factory()
        address = await server.start()
        holder["server"], holder["port"] = server, address.port
        holder["stop"] = asyncio.Event()
        ready.set()
        await holder["stop"].wait()
        await server.close()

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    if not ready.wait(15):
        raise RuntimeError("test server did not start")
    try:
        yield holder["port"]
    finally:
        loop.call_soon_threadsafe(holder["stop"].set)
        thread.join(15)
        loop.close()


@contextlib.contextmanager
def embedded_server(*, data_dir: Path | None = None, gate: TransactionGate | None = None,
                    busy_timeout_ms: int = 5000) -> Iterator[int]:
    with running_server(lambda: EmbeddedMongoServer(data_dir=data_dir, gate=gate,
                                                    busy_timeout_ms=busy_timeout_ms)) as port:
        yield port


@contextlib.contextmanager
def bare_mongoeco_server() -> Iterator[int]:
    """mongoeco's wire server without our compatibility layer."""
    with running_server(lambda: AsyncMongoEcoProxyServer(engine=SQLiteEngine(":memory:"))) as port:
        yield port


def client_for(port: int, *, replica_set: bool = True, **options) -> pymongo.MongoClient:
    if replica_set:
        return pymongo.MongoClient(mongodb_uri("127.0.0.1", port), **options)
    return pymongo.MongoClient("127.0.0.1", port, directConnection=True, serverSelectionTimeoutMS=5000, **options)
