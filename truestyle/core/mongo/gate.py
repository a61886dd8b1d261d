"""One transaction at a time on the embedded server, with other sessions waiting (fact 6).

mongoeco's SQLite engine has one connection and one transaction owner: while
one session is inside a transaction, every other session's command fails at
once ("SQLiteEngine has an active transaction bound to another session").
MongoDB would let the others go on. This gate makes them wait instead:

- a transaction starts only when no other session has a command in flight;
- while it is open, other sessions' commands wait (bounded by `wait_timeout`);
- commit, abort or endSessions of the owner releases it; an owner idle longer
  than `idle_limit` is aborted, as MongoDB's transactionLifetimeLimitSeconds does;
  so is an owner whose client connection closed (`owner_on_connection`): a client
  cut off mid-transaction can never finish it there, and on this server an open
  transaction stops everyone, not only writers of the same documents.

A waiter that times out gets a MongoDB-shaped error; one that wanted to start a
transaction gets the `TransientTransactionError` label so callers retry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

# Commands that never touch the storage engine: answering them while a
# transaction is open keeps pymongo's monitoring and handshakes alive.
UNGATED_COMMANDS = frozenset(
    {
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "saslStart", "saslContinue",
        "getParameter", "hostInfo", "whatsmyuri", "connectionStatus", "getLog", "getCmdLineOpts",
        "killCursors",
    }
)
TRANSACTION_END_COMMANDS = frozenset({"commitTransaction", "abortTransaction"})


class GateTimeout(Exception):
    """A command waited longer than the gate allows."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient

    def as_error_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"ok": 0.0, "errmsg": str(self), "code": 50, "codeName": "MaxTimeMSExpired"}
        if self.transient:
            document.update(code=112, codeName="WriteConflict", errorLabels=["TransientTransactionError"])
        return document


def session_key(body: dict[str, Any]) -> bytes | None:
    lsid = body.get("lsid")
    if isinstance(lsid, dict) and lsid.get("id") is not None:
        identifier = lsid["id"]
        return bytes(getattr(identifier, "bytes", identifier))
    return None


class TransactionGate:
    def __init__(self, *, wait_timeout: float = 20.0, idle_limit: float = 60.0) -> None:
        self.wait_timeout = wait_timeout
        self.idle_limit = idle_limit
        self._condition = asyncio.Condition()
        self._owner: bytes | None = None
        self._owner_body: dict[str, Any] | None = None
        self._owner_last_seen = 0.0
        # The client connection that carried the owner's latest command.
        self._owner_connection: object | None = None
        self._in_flight = 0
        self._starters_waiting = 0

    @property
    def owner(self) -> bytes | None:
        return self._owner

    def idle_owner(self) -> tuple[bytes, dict[str, Any]] | None:
        """The owner and its last command if it has been idle past the limit."""
        if self._owner is not None and self._owner_body is not None and self._in_flight == 0:
            if time.monotonic() - self._owner_last_seen > self.idle_limit:
                return self._owner, self._owner_body
        return None

    def owner_on_connection(self, connection: object) -> tuple[bytes, dict[str, Any]] | None:
        """The owner and its last command if that command came through `connection`."""
        if self._owner is not None and self._owner_body is not None and self._owner_connection == connection:
            return self._owner, self._owner_body
        return None

    async def run(self, command_name: str, body: dict[str, Any], execute: Callable[[], Awaitable[dict]], *,
                  connection: object | None = None) -> dict:
        """Run `execute()` for this command once the gate lets it through.

        `connection` names the client connection the command came through (any hashable value).
        """
        if command_name in UNGATED_COMMANDS:
            return await execute()
        key = session_key(body)
        if command_name == "endSessions":
            return await self._end_sessions(body, execute)
        if key is not None and key == self._owner:
            return await self._run_as_owner(command_name, key, body, execute, connection)
        if body.get("startTransaction") is True and key is not None:
            await self._acquire_ownership(key)
            return await self._run_as_owner(command_name, key, body, execute, connection)
        await self._enter_as_guest()
        try:
            return await execute()
        finally:
            async with self._condition:
                self._in_flight -= 1
                self._condition.notify_all()

    async def _run_as_owner(self, command_name, key, body, execute, connection):
        self._owner_last_seen = time.monotonic()
        self._owner_body = body
        self._owner_connection = connection
        try:
            return await execute()
        finally:
            self._owner_last_seen = time.monotonic()
            if command_name in TRANSACTION_END_COMMANDS:
                await self.release(key)

    async def _acquire_ownership(self, key: bytes) -> None:
        async with self._condition:
            self._starters_waiting += 1
            try:
                await asyncio.wait_for(
                    self._condition.wait_for(lambda: self._owner is None and self._in_flight == 0),
                    timeout=self.wait_timeout,
                )
            except TimeoutError:
                raise GateTimeout(
                    "embedded MongoDB: another transaction held the server too long", transient=True
                ) from None
            finally:
                self._starters_waiting -= 1
            self._owner = key
            self._owner_last_seen = time.monotonic()

    async def _enter_as_guest(self) -> None:
        async with self._condition:
            # Waiting starters go first, so that a stream of reads cannot starve a checkout.
            try:
                await asyncio.wait_for(
                    self._condition.wait_for(lambda: self._owner is None and self._starters_waiting == 0),
                    timeout=self.wait_timeout,
                )
            except TimeoutError:
                raise GateTimeout("embedded MongoDB: a transaction held the server too long", transient=False) from None
            self._in_flight += 1

    async def _end_sessions(self, body, execute):
        ended = {session_key({"lsid": lsid}) for lsid in body.get("endSessions") or []}
        try:
            return await execute()
        finally:
            if self._owner in ended:
                await self.release(self._owner)

    async def release(self, key: bytes | None) -> None:
        async with self._condition:
            if key is not None and self._owner == key:
                self._owner = None
                self._owner_body = None
                self._owner_connection = None
            self._condition.notify_all()
