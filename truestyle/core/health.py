"""GET /healthz: whether MongoDB, PostgreSQL, Redis and the Celery broker answer, and how fast.

Every dependency is probed at once in its own thread, and the answer goes out at the deadline
(settings.HEALTH_CHECK_TIMEOUT) whatever is still running: one hung dependency is reported as
"timeout" instead of hanging the probe that an orchestrator is waiting on. Each probe's own socket
timeouts sit just past the deadline, so a hung probe's thread ends soon after the answer has gone.
Concurrent requests share one round of probes, so a burst of /healthz calls (the storefront calls it,
too) during an outage does not pile up threads and connections on the dependency that is struggling.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

UP, DOWN, TIMEOUT, NOT_CONFIGURED = "up", "down", "timeout", "not_configured"
# A probe's own timeouts run this much past the deadline, so a hang is reported as "timeout" by the
# deadline rather than as "down" by a socket timeout that fires at the same moment.
PROBE_GRACE = 0.5


@require_safe
def healthz(request):
    """200 when every required dependency answers, 503 otherwise; never cached."""
    report = health_report(timeout=settings.HEALTH_CHECK_TIMEOUT)
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def health_report(*, timeout: float) -> dict:
    """Probe every dependency within `timeout` seconds: {"status": "ok"|"fail", "<name>": {...}, ...}.

    Each dependency reports "status" (up, down, timeout or not_configured), "latency_ms" (None when it
    did not answer in time or is not configured) and "required"; "down" adds "error", the exception's
    class name (details go to the log, not to a public endpoint). Redis and the broker are required
    only where configured; the SQL database is reported as "postgresql" (SQLite in a bare local run).
    A MongoDB that refuses connections shows as "timeout": the driver keeps looking for a server until
    its selection timeout, which is past the deadline.
    """
    with _flight_lock:
        flight = _Flight.current
        leader = flight is None
        if leader:
            flight = _Flight.current = _Flight()
    if not leader:
        if flight.done.wait(timeout + PROBE_GRACE) and flight.report is not None:
            return flight.report
        return _report(_probes(), {})  # every configured dependency: "timeout"
    try:
        flight.report = _probe_all(timeout)
        return flight.report
    finally:
        with _flight_lock:
            _Flight.current = None
        flight.done.set()


class _Flight:
    current: _Flight | None = None

    def __init__(self) -> None:
        self.done = threading.Event()
        self.report: dict | None = None


_flight_lock = threading.Lock()


def _probes() -> dict[str, Callable[[float], None] | None]:
    """Each dependency's probe (raises when the dependency does not answer), or None if not configured."""
    broker_url = settings.CELERY_BROKER_URL or ""
    return {
        "mongodb": _mongodb_ping,
        "postgresql": _sql_ping,
        "redis": _redis_ping if settings.REDIS_URL else None,
        # Without a broker (the bare local run) Celery runs tasks inline: nothing to probe.
        "broker": None if broker_url.startswith("memory://") else _broker_ping,
    }


def _probe_all(timeout: float) -> dict:
    probes = _probes()
    outcomes: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    threads = []
    for name, probe in probes.items():
        if probe is None:
            continue
        thread = threading.Thread(target=_run_probe, args=(name, probe, timeout + PROBE_GRACE, outcomes),
                                  name=f"healthz-{name}", daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    # A copy: a probe that finishes after the deadline must not change the answer being sent.
    return _report(probes, dict(outcomes))


def _run_probe(name: str, probe: Callable[[float], None], timeout: float, outcomes: dict) -> None:
    started = time.perf_counter()
    try:
        probe(timeout)
    except Exception as error:
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.warning("health: %s did not answer: %r", name, error)
        status = TIMEOUT if _is_timeout(error) else DOWN
        outcomes[name] = {"status": status, "latency_ms": latency_ms, "error": error.__class__.__name__}
        return
    outcomes[name] = {"status": UP, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def _report(probes: dict, outcomes: dict) -> dict:
    report: dict = {}
    healthy = True
    for name, probe in probes.items():
        if probe is None:
            report[name] = {"status": NOT_CONFIGURED, "latency_ms": None, "required": False}
            continue
        outcome = outcomes.get(name) or {"status": TIMEOUT}
        if outcome["status"] == TIMEOUT:
            outcome = {"status": TIMEOUT, "latency_ms": None}
        report[name] = {**outcome, "required": True}
        healthy = healthy and outcome["status"] == UP
    return {"status": "ok" if healthy else "fail", **report}


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or "timeout" in error.__class__.__name__.lower()


# --- Probes ---------------------------------------------------------------------------------------

_mongo_clients: dict[tuple, object] = {}
_mongo_lock = threading.Lock()


def _mongodb_ping(timeout: float) -> None:
    from pymongo import MongoClient

    uri = settings.DATABASES["mongodb"]["HOST"]
    key = (os.getpid(), uri, timeout)
    with _mongo_lock:
        client = _mongo_clients.get(key)
        if client is None:
            # One small client per process for probes: the app's client may be busy or configured to
            # wait longer than the deadline, and a client per probe would leak monitor threads.
            ms = int(timeout * 1000)
            client = _mongo_clients[key] = MongoClient(
                uri, serverSelectionTimeoutMS=ms, connectTimeoutMS=ms, socketTimeoutMS=ms, maxPoolSize=2,
                appname="truestyle-healthz",
            )
    client.admin.command("ping")


def _sql_ping(timeout: float) -> None:
    # A thread has its own connection; close it, since this thread ends with the probe.
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def _redis_ping(timeout: float) -> None:
    _redis_url_ping(settings.REDIS_URL, timeout)


def _redis_url_ping(url: str, timeout: float) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # redis-py retries three times with backoff by default: a probe must try once.
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                  retry=Retry(NoBackoff(), 0))
    try:
        client.ping()
    finally:
        client.close()


def _broker_ping(timeout: float) -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        _redis_url_ping(url, timeout)
        return
    from kombu import Connection

    with Connection(url, connect_timeout=timeout, transport_options={"max_retries": 0}) as connection:
        connection.ensure_connection(max_retries=0)
