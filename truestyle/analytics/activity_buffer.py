"""Shopper activity counted in memory and written in batches, so that a product view costs no write.

Every product page view, bag add, wishlist add and purchase adds to a product's count for the day
(truestyle.analytics.trending). Written one by one, that was an upsert per view: on the embedded
MongoDB about 7 ms of a 30 ms product page, and a write on every read-only page. Here the counts
add up in the process and a background thread writes them every TRENDING_ACTIVITY_FLUSH_SECONDS as
one unordered bulk of `$inc` upserts, one per product and day.

What this trades: a process that dies loses at most that many seconds of counts (trending is a
nicety); counts a failed write could not store are kept for the next one, and a write that failed
half way may count part of a batch twice. Orders, stock and payments never go through here.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import Counter

logger = logging.getLogger(__name__)


class ActivityBuffer:
    """(product_id, day, kind) → count, shared by the threads of one process."""

    def __init__(self, write) -> None:
        self._write = write  # write(counts: Counter) stores a batch, raising if it could not
        self._lock = threading.Lock()
        self._counts: Counter = Counter()
        self._wake = threading.Event()
        self._flush_every = 5.0
        self._flusher: threading.Thread | None = None
        self._pid = os.getpid()
        self._exit_registered = False

    def add(self, *, product_id: str, day: str, kind: str, count: int, flush_every: float) -> None:
        with self._lock:
            self._forked_check()
            self._counts[(product_id, day, kind)] += count
            if flush_every < self._flush_every:
                self._wake.set()  # a shorter interval than the flusher is waiting out: start it now
            self._flush_every = flush_every
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_loop, name="activity-flusher", daemon=True)
                self._flusher.start()
                if not self._exit_registered:
                    atexit.register(self.flush)
                    self._exit_registered = True

    def pending(self) -> Counter:
        with self._lock:
            return Counter(self._counts)

    def flush(self) -> int:
        """Write what has been counted; returns how many counts were written (0 when the write failed)."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return 0
        try:
            self._write(counts)
        except Exception:  # noqa: BLE001 - kept for the next flush; the pages that counted are long answered
            logger.warning("product activity not written; %d counts kept for the next try", len(counts),
                           exc_info=True)
            with self._lock:
                self._counts.update(counts)
            return 0
        return sum(counts.values())

    def _flush_loop(self) -> None:
        while True:
            started = time.monotonic()
            # Waits out the interval in force now (it may have been lengthened meanwhile), unless woken.
            while (remaining := self._flush_every - (time.monotonic() - started)) > 0:
                if self._wake.wait(remaining):
                    break
            self._wake.clear()
            self.flush()
            _close_thread_connections()

    def _forked_check(self) -> None:
        # A forked child (a gunicorn worker) inherits the parent's counts but not its thread.
        if os.getpid() != self._pid:
            self._pid, self._counts, self._flusher = os.getpid(), Counter(), None
            self._wake = threading.Event()


def _close_thread_connections() -> None:
    from django.db import connections

    connections.close_all()  # this thread's own; the next flush opens them again
