"""Per-test isolation that costs milliseconds, not a flush of every collection.

ARCHITECTURE.md fact 13: Django's flush after each test costs about 0.9 s on
the embedded server and grows with the number of collections. Instead a
pymongo command listener records which collections a test wrote to, and
only those are cleaned afterwards, back to the documents they held when the
test database was set up (content types, permissions, migrations).
"""

from __future__ import annotations

import threading

from pymongo import monitoring

WRITE_COMMANDS = frozenset({"insert", "update", "delete", "findAndModify"})


class WrittenCollections(monitoring.CommandListener):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._written: set[tuple[str, str]] = set()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in WRITE_COMMANDS:
            collection = event.command.get(event.command_name)
            if isinstance(collection, str):
                with self._lock:
                    self._written.add((event.database_name, collection))

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass

    def mark(self, database: str, collection: str) -> None:
        """Record a write made by another process (a Celery worker) so that it is cleaned too."""
        with self._lock:
            self._written.add((database, collection))

    def take(self) -> set[tuple[str, str]]:
        with self._lock:
            written, self._written = self._written, set()
        return written


written_collections = WrittenCollections()
monitoring.register(written_collections)


class MongoBaseline:
    """The documents each collection held after set-up; cleaning returns to them."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], list] = {}

    def capture(self, database) -> None:
        for name in database.list_collection_names():
            ids = [document["_id"] for document in database[name].find({}, {"_id": 1})]
            if ids:
                self._ids[(database.name, name)] = ids

    def clean(self, client, written: set[tuple[str, str]]) -> None:
        for database_name, collection_name in written:
            collection = client[database_name][collection_name]
            kept = self._ids.get((database_name, collection_name))
            collection.delete_many({"_id": {"$nin": kept}} if kept else {})
