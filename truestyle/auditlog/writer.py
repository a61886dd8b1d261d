"""The in-process request-log writer: requests hand entries over and go; one thread writes them in batches.

Why a thread and not a Celery task per request: a task per request would put a Redis round trip (and
Redis's availability) on every request, and a row per task. Here a request only appends to a bounded
in-memory buffer; a background thread writes the buffer with one bulk INSERT about once a second. When
PostgreSQL cannot take a batch, the batch goes to this process's spool file on disk and the thread waits
before trying PostgreSQL again (backing off up to `MAX_BACKOFF` seconds); the thread seals the spool file
when it is due, so that other processes (the Celery beat task) can write it, and the first batch that gets
through after an outage writes the spool itself. Entries still in memory at exit are flushed then.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
# How often a healthy writer looks for spool files left by other processes (or by its own last run).
SPOOL_CHECK_SECONDS = 60.0


class RequestLogWriter:
    """Buffers log records in memory and writes them to `database` in batches from one daemon thread.

    `write(records, database)` inserts and raises `DatabaseError` when PostgreSQL cannot take them;
    `spool(records)` keeps them on disk; `seal(due_only)` makes spooled records visible to other
    processes (with `due_only`, only once that is due); `drain(database)` writes the spool. Submitting
    never blocks and never raises; a full buffer drops the entry (and counts it) rather than slow the
    request down.
    """

    def __init__(self, *, write: Callable[[list[dict], str], int], spool: Callable[[list[dict]], object],
                 seal: Callable[[bool], object], drain: Callable[[str], int], database: str = "default",
                 batch_size: int = 500, interval: float = 1.0, max_pending: int = 10_000) -> None:
        self._write = write
        self._spool = spool
        self._seal = seal
        self._drain = drain
        self.database = database
        self.batch_size = batch_size
        self.interval = interval
        self.max_pending = max_pending
        self.dropped = 0
        self._reset()
        atexit.register(self.close)

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._pending: deque[dict] = deque()
        self._condition = threading.Condition()
        # Held while records are taken from the buffer and written, so flush() returns only after every
        # record submitted before it has been written or spooled, whichever thread did it.
        self._write_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._failures = 0
        self._retry_at = 0.0
        self._spool_check_at = 0.0

    def submit(self, record: dict) -> bool:
        """Queue one record; returns False when the buffer is full and the record was dropped."""
        if self._pid != os.getpid():
            # A forked child (gunicorn --preload) inherits a buffer and a lock but not the thread.
            self._reset()
        with self._condition:
            if len(self._pending) >= self.max_pending:
                self.dropped += 1
                if self.dropped % 1000 == 1:
                    logger.warning("request log buffer full: %d entries dropped so far", self.dropped)
                return False
            self._pending.append(record)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="request-log-writer", daemon=True)
                self._thread.start()
            if len(self._pending) >= self.batch_size:
                self._condition.notify()
        return True

    def flush(self) -> int:
        """Write everything submitted so far, in the calling thread; returns rows written.

        Unlike the background loop it tries PostgreSQL at once, even while backing off after an outage,
        and then writes the spool (where the loop may have put entries while backing off). What
        PostgreSQL cannot take now is in the spool when this returns.
        """
        written = 0
        while self._pending:
            written += self._write_pending(respect_backoff=False)
        with self._write_lock:
            written += self._drain_safely()
        return written

    def close(self, timeout: float = 5.0) -> None:
        """At exit: write what is still buffered (or spool it), but never hang the exit on a stuck write."""
        self._stopping = True
        if self._pid != os.getpid():
            return
        try:
            if not self._pending:
                return
            if not self._write_lock.acquire(timeout=timeout):
                with self._condition:
                    records = list(self._pending)
                    self._pending.clear()
                self._spool_safely(records)
                return
            self._write_lock.release()
            try:
                while self._pending:
                    self._write_pending(respect_backoff=True)
            except Exception:
                logger.exception("request log entries lost at exit")
        finally:
            # The open spool file becomes visible now, not an hour later when a flusher finds it stale.
            try:
                self._seal(False)
            except Exception:
                logger.exception("request log: spool file not sealed at exit")

    def _run(self) -> None:
        while not self._stopping:
            with self._condition:
                self._condition.wait_for(lambda: len(self._pending) >= self.batch_size, timeout=self.interval)
            try:
                while self._pending and not self._stopping:
                    self._write_pending(respect_backoff=True)
                with self._write_lock:
                    self._seal(True)  # only once the file is due
            except Exception:
                # The thread must outlive any surprise; the next round tries again.
                logger.exception("request log writer failed")

    def _write_pending(self, *, respect_backoff: bool) -> int:
        with self._write_lock:
            with self._condition:
                count = min(len(self._pending), self.batch_size)
                batch = [self._pending.popleft() for _ in range(count)]
            if not batch:
                return 0
            if respect_backoff and time.monotonic() < self._retry_at:
                # PostgreSQL failed recently: do not spend a connect timeout per batch while it is down.
                self._spool_safely(batch)
                return 0
            return self._write_batch(batch)

    def _write_batch(self, batch: list[dict]) -> int:
        connection = connections[self.database]
        # This thread lives as long as the process, so it honours CONN_MAX_AGE and drops broken
        # connections itself (Django does this per request, which this thread is not part of).
        connection.close_if_unusable_or_obsolete()
        try:
            written = self._write(batch, self.database)
        except DatabaseError as error:
            self._failures += 1
            delay = min(MAX_BACKOFF, 2.0 ** (self._failures - 1))
            self._retry_at = time.monotonic() + delay
            logger.warning("request log: PostgreSQL did not take %d entries (%s); spooled, retrying in %.0fs",
                           len(batch), error.__class__.__name__, delay)
            self._close_quietly(connection)
            self._spool_safely(batch)
            return 0
        except Exception:
            logger.exception("request log: %d entries could not be written and were dropped", len(batch))
            return 0
        recovered = self._failures > 0
        self._failures = 0
        self._retry_at = 0.0
        if recovered or time.monotonic() >= self._spool_check_at:
            self._spool_check_at = time.monotonic() + SPOOL_CHECK_SECONDS
            written += self._drain_safely()
        return written

    def _drain_safely(self) -> int:
        try:
            drained = self._drain(self.database)
        except Exception as error:
            # The spool stays as it was; the Celery beat task or the next check writes it.
            logger.warning("request log: spool not written yet (%s)", error.__class__.__name__)
            return 0
        if drained:
            # Rows went in, so PostgreSQL is back: stop backing off.
            self._failures = 0
            self._retry_at = 0.0
        return drained

    def _spool_safely(self, records: list[dict]) -> None:
        try:
            self._spool(records)
        except Exception:
            logger.exception("request log: %d entries could be neither written nor spooled", len(records))

    @staticmethod
    def _close_quietly(connection) -> None:
        try:
            connection.close()
        except Exception:
            pass
