"""Fixtures for the log tests: a private spool, a quiet writer, and a PostgreSQL the test can take away."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

from truestyle.auditlog.models import RequestLogEntry
from truestyle.auditlog.services import request_log_writer
from truestyle.testing.network import TcpProxy

WRITER_ALIAS = "request_log_writer_test"


@pytest.fixture
def spool_dir(settings, tmp_path) -> Path:
    """This test's own spool directory (settings.REQUEST_LOG_SPOOL_DIR)."""
    settings.REQUEST_LOG_SPOOL_DIR = tmp_path / "spool"
    return settings.REQUEST_LOG_SPOOL_DIR


@pytest.fixture
def request_log(db, spool_dir):
    """The shared writer with nothing left over: entries other tests' requests queued are written
    (and removed) first, so the test sees only its own."""
    request_log_writer.flush()
    RequestLogEntry.objects.all().delete()
    yield request_log_writer
    request_log_writer.database = "default"


@pytest.fixture
def writer_database(request_log):
    """Point the shared writer at PostgreSQL on another port (a proxy, a closed or a hung port):
    `writer_database(port, connect_timeout=2)`. Everything else is the test database's settings."""

    def point(port: int, **options) -> str:
        source = connections.settings["default"]
        connections.settings[WRITER_ALIAS] = {**source, "HOST": "127.0.0.1", "PORT": str(port),
                                              "OPTIONS": {**source["OPTIONS"], **options}}
        request_log_writer.database = WRITER_ALIAS
        return WRITER_ALIAS

    yield point
    request_log_writer.database = "default"
    if WRITER_ALIAS in connections.settings:
        connections[WRITER_ALIAS].close()
        del connections[WRITER_ALIAS]
        del connections.settings[WRITER_ALIAS]


@pytest.fixture
def postgres_proxy(writer_database):
    """The writer pointed at the test database through a TCP proxy, not yet started: PostgreSQL is away
    until the test calls `postgres_proxy.start()`, and `stop()` takes it away again."""
    source = connections.settings["default"]
    proxy = TcpProxy(source["HOST"] or "127.0.0.1", int(source["PORT"] or 5432))
    writer_database(proxy.port)
    yield proxy
    proxy.stop()
