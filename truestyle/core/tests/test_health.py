"""/healthz: every dependency probed at once, a verdict within two seconds, never cached.

Outages are real: a closed port for PostgreSQL, a listener that accepts and never answers for Redis.
"""

from __future__ import annotations

import threading
import time

from truestyle.core.health import health_report
from truestyle.testing.network import SilentListener, sql_database_unreachable

DEPENDENCIES = ("mongodb", "postgresql", "redis", "broker")


def test_healthz_answers_200_with_every_dependency_up(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert list(body) == ["status", *DEPENDENCIES]
    assert body["status"] == "ok"
    for name in DEPENDENCIES:
        assert list(body[name]) == ["status", "latency_ms", "required"], name
        assert (body[name]["status"], body[name]["required"]) == ("up", True), name
        assert 0 <= body[name]["latency_ms"] < 1500, name


def test_a_hung_redis_gives_503_within_two_seconds_and_is_reported_as_timeout(db, client, settings):
    with SilentListener() as hung:
        settings.REDIS_URL = f"redis://127.0.0.1:{hung.port}/0"
        started = time.perf_counter()
        response = client.get("/healthz")
        elapsed = time.perf_counter() - started

    assert response.status_code == 503
    assert elapsed < 2.0
    body = response.json()
    assert body["status"] == "fail"
    assert body["redis"] == {"status": "timeout", "latency_ms": None, "required": True}
    assert [body[name]["status"] for name in ("mongodb", "postgresql", "broker")] == ["up", "up", "up"]


def test_an_unreachable_postgresql_gives_503_and_is_reported_as_down(db, client):
    with sql_database_unreachable():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "fail"
    assert 0 <= body["postgresql"].pop("latency_ms") < 1500
    assert body["postgresql"] == {"status": "down", "error": "OperationalError", "required": True}
    assert [body[name]["status"] for name in ("mongodb", "redis", "broker")] == ["up", "up", "up"]


def test_without_redis_the_local_run_reports_redis_and_broker_not_configured_and_is_healthy(db, client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["redis"] == {"status": "not_configured", "latency_ms": None, "required": False}
    assert body["broker"] == {"status": "not_configured", "latency_ms": None, "required": False}
    assert (body["mongodb"]["status"], body["postgresql"]["status"]) == ("up", "up")


def test_concurrent_calls_during_a_hang_share_one_round_of_probes(db, settings):
    reports = []
    with SilentListener() as hung:
        settings.REDIS_URL = f"redis://127.0.0.1:{hung.port}/0"
        start = threading.Barrier(8)

        def call():
            start.wait()
            reports.append(health_report(timeout=settings.HEALTH_CHECK_TIMEOUT))

        threads = [threading.Thread(target=call) for _ in range(8)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        elapsed = time.perf_counter() - started
        connections_to_redis = len(hung.accepted)

    assert elapsed < 2.0
    assert [report["redis"]["status"] for report in reports] == ["timeout"] * 8
    assert connections_to_redis == 1
