"""The Redis cache client: django-redis's own, except that it stops asking a Redis that has just failed.

A page makes many cache calls (the catalogue version, the page itself, store content, the
permission set). With Redis hung, each one waits its full socket timeout before it misses, so a
home page took over 17 seconds. Here a call that fails on the network (refused, timed out, cut)
makes every call to the same Redis, in every thread of the process, miss at once for
`SKIP_AFTER_FAILURE_SECONDS` (an OPTIONS key); then the next call tries Redis again. So an outage
costs a request at most one socket timeout, and the cache is used again within that many seconds
of Redis coming back.

The skipped call raises django-redis's `ConnectionInterrupted`, the same error a real failure
gives, so IGNORE_EXCEPTIONS turns it into a miss exactly as before.
"""

from __future__ import annotations

import functools
import logging
import socket
import threading
import time

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

DEFAULT_SKIP_SECONDS = 5.0
# Failures that say "Redis is unreachable", as opposed to a refused command (ResponseError).
NETWORK_FAILURES = (RedisConnectionError, RedisTimeoutError, socket.timeout, OSError)


class RedisSkipped(RedisConnectionError):
    """The cause of a call not sent because Redis failed moments ago."""


class _FailureWindow:
    """When the last network failure was, per Redis, shared by every thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._retry_at: dict[tuple[str, ...], float] = {}

    def open(self, server: tuple[str, ...]) -> bool:
        return time.monotonic() >= self._retry_at.get(server, 0.0)

    def failed(self, server: tuple[str, ...], seconds: float) -> None:
        with self._lock:
            self._retry_at[server] = time.monotonic() + seconds

    def succeeded(self, server: tuple[str, ...]) -> None:
        if server in self._retry_at:
            with self._lock:
                self._retry_at.pop(server, None)


failure_window = _FailureWindow()


def _skipping_after_failure(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        server = tuple(self._server)
        if not failure_window.open(server):
            raise ConnectionInterrupted(connection=None) from RedisSkipped("Redis failed moments ago; not asked")
        try:
            result = method(self, *args, **kwargs)
        except ConnectionInterrupted as error:
            if isinstance(error.__cause__, NETWORK_FAILURES) and not isinstance(error.__cause__, RedisSkipped):
                failure_window.failed(server, float(self._options.get("SKIP_AFTER_FAILURE_SECONDS",
                                                                      DEFAULT_SKIP_SECONDS)))
            raise
        failure_window.succeeded(server)
        return result

    return call


def _not_a_skipped_call(record: logging.LogRecord) -> bool:
    # django-redis logs every ignored error with its traceback; the real failure is logged, the
    # calls skipped after it are not (hundreds a second on a busy store).
    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(getattr(error, "__cause__", None), RedisSkipped)


class SkipAfterFailureClient(DefaultClient):
    """django-redis's DefaultClient; every call that can meet the network goes through the failure window."""

    def __init__(self, server, params, backend) -> None:
        super().__init__(server, params, backend)
        if getattr(backend, "logger", None) is not None:
            backend.logger.addFilter(_not_a_skipped_call)  # once per logger: addFilter ignores a repeat


# The DefaultClient methods that talk to Redis and report a network failure as ConnectionInterrupted
# (add, incr and decr go through set and _incr).
for _name in ("get", "set", "delete", "delete_pattern", "delete_many", "clear", "get_many", "set_many", "_incr",
              "has_key", "keys", "incr_version"):
    setattr(SkipAfterFailureClient, _name, _skipping_after_failure(getattr(DefaultClient, _name)))
