"""Database operations per request: MongoDB commands (pymongo's command monitoring) and SQL queries
(Django's execute wrapper), counted for the calling thread only."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import pymongo.monitoring

_installed = False
_state = threading.local()


class _MongoCommands(pymongo.monitoring.CommandListener):
    def started(self, event) -> None:
        counter = getattr(_state, "counter", None)
        if counter is not None:
            counter.mongo[f"{event.command_name} {_collection_of(event)}".strip()] += 1

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


def _collection_of(event) -> str:
    target = event.command.get(event.command_name)
    return target if isinstance(target, str) else ""


def counting_install() -> None:
    """Register the listener; must run before the first MongoClient is made (before django.setup)."""
    global _installed
    if not _installed:
        pymongo.monitoring.register(_MongoCommands())
        _installed = True


@dataclass
class Operations:
    mongo: Counter = field(default_factory=Counter)
    sql: int = 0

    @property
    def total(self) -> int:
        return sum(self.mongo.values()) + self.sql


@contextmanager
def operations_counted():
    """Count this thread's database operations inside the block."""
    from django.db import connections

    if not _installed:
        raise RuntimeError("counting_install() must run before the MongoDB client is made")
    operations = Operations()

    def count_sql(execute, sql, params, many, context):
        operations.sql += 1
        return execute(sql, params, many, context)

    _state.counter = operations
    try:
        with connections["default"].execute_wrapper(count_sql):
            yield operations
    finally:
        _state.counter = None
