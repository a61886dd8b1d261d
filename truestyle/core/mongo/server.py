"""The embedded MongoDB-compatible server: mongoeco's wire server plus our compatibility layer.

Used by `manage.py mongoserver`, by `make run` and by the test suite when no
`MONGODB_URI` names a real MongoDB. It persists to SQLite files under a data
directory and presents itself as a one-member replica set so that
transactions work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import Any

from mongoeco.engines.sqlite import SQLiteEngine
from mongoeco.wire._executor_support import build_error_document
from mongoeco.wire.executor import WireCommandExecutor
from mongoeco.wire.protocol import OP_MSG, decode_op_msg, encode_op_msg_response
from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

from truestyle.core.mongo.compat import normalize_command, replica_set_hello_fields
from truestyle.core.mongo.membership import IdNarrowedFallback, IndexedMembership
from truestyle.core.mongo.unique_checks import IndexedUniqueChecks
from truestyle.core.mongo.gate import GateTimeout, TransactionGate, session_key

logger = logging.getLogger(__name__)

DEFAULT_REPLICA_SET = "truestyle"
DATABASE_FILE = "mongo.sqlite3"
IDLE_CHECK_SECONDS = 5.0


WRITE_COMMANDS = frozenset({"insert", "update", "delete", "findAndModify"})

# SQLite answers "database is locked" when two of mongoeco's own connections
# (the main one, a dedicated reader, the change-outbox one) collide, sometimes
# at once, without waiting for its busy timeout (a read snapshot that cannot
# be upgraded to a write). SQLite rolled the statement back, so the command
# can run again; MongoDB itself would simply have waited.
SQLITE_BUSY_MESSAGE = "database is locked"
BUSY_RETRY_DELAYS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def transaction_key(body: dict) -> tuple[bytes, str] | None:
    """(session, transaction number) of a command that belongs to a multi-document transaction."""
    if body.get("autocommit") is not False or "txnNumber" not in body:
        return None
    key = session_key(body)
    # txnNumber arrives as mongoeco's own Int64 wrapper: compare its text form.
    return (key, str(body["txnNumber"])) if key is not None else None


def is_sqlite_busy(result: dict) -> bool:
    return not result.get("ok") and SQLITE_BUSY_MESSAGE in str(result.get("errmsg", ""))


def no_such_transaction_error() -> dict:
    return {"ok": 0.0, "code": 251, "codeName": "NoSuchTransaction",
            "errmsg": "Transaction was aborted (embedded MongoDB)", "errorLabels": ["TransientTransactionError"]}


class RecentSet:
    """A set that forgets its oldest members past `limit` (aborted transactions are short-lived facts)."""

    def __init__(self, *, limit: int) -> None:
        self._items: dict = {}
        self._limit = limit

    def remember(self, item) -> None:
        self._items[item] = None
        while len(self._items) > self._limit:
            self._items.pop(next(iter(self._items)))

    def __contains__(self, item) -> bool:
        return item in self._items


class CompatibleCommandExecutor(WireCommandExecutor):
    """mongoeco's command executor with our adaptations around every command."""

    def __init__(self, *args: Any, replica_set: str, gate: TransactionGate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replica_set = replica_set
        self.advertised_address = ""
        self.gate = gate
        self.aborted_transactions = RecentSet(limit=10_000)

    def _build_request_context(self, body, **kwargs):
        return super()._build_request_context(normalize_command(body), **kwargs)

    async def execute_prepared(self, context):
        transaction = transaction_key(context.raw_body)
        if transaction is not None and transaction in self.aborted_transactions:
            # MongoDB: once aborted, the transaction is gone; the client must start it again.
            if context.command_name == "abortTransaction":
                return {"ok": 1.0}
            return no_such_transaction_error()
        result = await self._execute_once(context)
        if is_sqlite_busy(result):
            if transaction is None:
                result = await self._retry_while_busy(context, result)
            else:
                # Inside a transaction the earlier writes may be gone with the
                # rolled-back statement: abort it and let the client run it
                # again, as MongoDB asks it to after a write conflict.
                await self._abort(context.raw_body, context.connection)
                self.aborted_transactions.remember(transaction)
                return {**result, "code": 112, "codeName": "WriteConflict",
                        "errorLabels": ["TransientTransactionError"]}
        if transaction is not None and context.command_name == "abortTransaction":
            self.aborted_transactions.remember(transaction)
        if (transaction is not None and context.command_name in WRITE_COMMANDS
                and (result.get("writeErrors") or not result.get("ok"))):
            # MongoDB aborts a transaction on a write error; mongoeco would keep it
            # open and commit the writes made before the failure.
            await self._abort(context.raw_body, context.connection)
            self.aborted_transactions.remember(transaction)
        if context.command_name in {"hello", "isMaster", "ismaster"} and result.get("ok"):
            result = {**result, **replica_set_hello_fields(replica_set=self.replica_set, address=self.advertised_address)}
        return result

    async def _execute_once(self, context) -> dict:
        try:
            return await super().execute_prepared(context)
        except Exception as error:
            if SQLITE_BUSY_MESSAGE not in str(error):
                raise
            return build_error_document(error)

    async def _retry_while_busy(self, context, result: dict) -> dict:
        for delay in BUSY_RETRY_DELAYS:
            logger.info("embedded MongoDB: %s busy, running it again in %ss", context.command_name, delay)
            await asyncio.sleep(delay)
            result = await self._execute_once(context)
            if not is_sqlite_busy(result):
                return result
        return result

    async def _abort(self, body: dict, connection) -> None:
        abort = {"abortTransaction": 1, "$db": "admin", "autocommit": False}
        for field in ("lsid", "txnNumber"):
            if field in body:
                abort[field] = body[field]
        with contextlib.suppress(Exception):
            await super().execute_prepared(self._build_request_context(abort, connection=connection))

    async def abort_idle_transaction(self, connection) -> None:
        idle = self.gate.idle_owner()
        if idle is None:
            return
        logger.warning("aborting a transaction idle for more than %ss", self.gate.idle_limit)
        await self._abort_owner(*idle, connection=connection)

    async def abort_transaction_of_closed_connection(self, client_connection, *, connection) -> None:
        """Abort the open transaction whose latest command came through `client_connection`, now closed.

        The client cannot finish it there (a driver whose connection dropped mid-transaction starts
        the transaction again), and until the idle limit every other session would wait for it.
        """
        orphan = self.gate.owner_on_connection(client_connection)
        if orphan is None:
            return
        logger.warning("aborting a transaction whose client connection closed")
        await self._abort_owner(*orphan, connection=connection)

    async def _abort_owner(self, key: bytes, body: dict, *, connection) -> None:
        abort = {"abortTransaction": 1, "$db": "admin", "autocommit": False}
        for field in ("lsid", "txnNumber"):
            if field in body:
                abort[field] = body[field]
        with contextlib.suppress(Exception):
            context = self._build_request_context(abort, connection=connection)
            await super().execute_prepared(context)
        transaction = transaction_key(body)
        if transaction is not None:
            # Its owner's later commit must fail, not report success for writes that are gone.
            self.aborted_transactions.remember(transaction)
        await self.gate.release(key)


class StoreSQLiteEngine(IndexedUniqueChecks, IndexedMembership, IdNarrowedFallback, SQLiteEngine):
    """mongoeco's SQLite engine with a busy timeout we choose (Python's default is 5 s), unique checks
    that use the indexes (unique_checks.py), `$in` and equality answered from an index and reads that
    fix `_id` loading only those documents (membership.py)."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 5000) -> None:
        self.busy_timeout_ms = busy_timeout_ms
        super().__init__(path)

    def _create_sqlite_connection(self):
        connection = super()._create_sqlite_connection()
        connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        return connection


class EmbeddedMongoServer(AsyncMongoEcoProxyServer):
    def __init__(
        self,
        *,
        data_dir: Path | None,
        host: str = "127.0.0.1",
        port: int = 0,
        replica_set: str = DEFAULT_REPLICA_SET,
        advertise_host: str | None = None,
        gate: TransactionGate | None = None,
        busy_timeout_ms: int = 5000,
    ) -> None:
        if data_dir is None:
            path = ":memory:"
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            path = str(data_dir / DATABASE_FILE)
        super().__init__(engine=StoreSQLiteEngine(path, busy_timeout_ms=busy_timeout_ms), host=host, port=port)
        self._advertise_host = advertise_host or host
        self._executor = CompatibleCommandExecutor(
            self._client,
            self._cursor_store,
            self._session_store,
            surface=self._surface,
            auth=self._auth,
            replica_set=replica_set,
            gate=gate or TransactionGate(),
        )
        self._reaper: asyncio.Task | None = None
        # The server's own commands (aborts it decides on) run as this connection.
        self._internal_connection = self._connections.create(("embedded-internal", 0))

    @property
    def executor(self) -> CompatibleCommandExecutor:
        return self._executor

    async def start(self):
        address = await super().start()
        self._executor.advertised_address = f"{self._advertise_host}:{address.port}"
        if self._reaper is None:
            self._reaper = asyncio.create_task(self._reap_idle_transactions())
        return address

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
            self._reaper = None
        await super().close()

    async def _dispatch_wire_request(self, header, payload: bytes, *, connection) -> bytes | None:
        # The gate must wrap the whole request: mongoeco binds a session's
        # transaction to the engine while it builds the request context,
        # before the command itself runs.
        body = _peek_command_body(header, payload)
        if body is None:
            return await super()._dispatch_wire_request(header, payload, connection=connection)
        try:
            return await self._executor.gate.run(
                next(iter(body), ""), body,
                lambda: super(EmbeddedMongoServer, self)._dispatch_wire_request(header, payload, connection=connection),
                connection=(connection.peer_host, connection.peer_port),
            )
        except GateTimeout as timeout:
            return encode_op_msg_response(timeout.as_error_document(), request_id=next(self._request_ids),
                                          response_to=header.request_id)

    async def _handle_connection(self, reader, writer) -> None:
        peer = writer.get_extra_info("peername")
        try:
            await super()._handle_connection(reader, writer)
        finally:
            # Not while shutting down: the engine is going away with every transaction.
            if self._server is not None and isinstance(peer, tuple) and len(peer) >= 2:
                await self._executor.abort_transaction_of_closed_connection(
                    (peer[0], peer[1]), connection=self._internal_connection)

    async def _reap_idle_transactions(self) -> None:
        while True:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            await self._executor.abort_idle_transaction(self._internal_connection)


def _peek_command_body(header, payload: bytes) -> dict | None:
    """The command document of an OP_MSG, or None (legacy handshakes, undecodable input)."""
    if header.op_code != OP_MSG:
        return None
    try:
        return decode_op_msg(header, payload).body
    except Exception:  # the proxy itself answers malformed input with a protocol error
        return None


async def serve(*, host: str, port: int, data_dir: Path | None, replica_set: str = DEFAULT_REPLICA_SET,
                advertise_host: str | None = None, ready: Any = None) -> None:
    """Run the server until SIGINT/SIGTERM; `ready(address)` is called once it listens."""
    server = EmbeddedMongoServer(
        data_dir=data_dir, host=host, port=port, replica_set=replica_set, advertise_host=advertise_host
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    address = await server.start()
    try:
        if ready is not None:
            ready(address)
        await stop.wait()
    finally:
        await server.close()


def mongodb_uri(host: str, port: int, replica_set: str = DEFAULT_REPLICA_SET) -> str:
    return f"mongodb://{host}:{port}/?replicaSet={replica_set}&serverSelectionTimeoutMS=5000"
