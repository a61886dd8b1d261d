"""request_log_flush_spool: every spooled record written once, whoever flushes and however many at once."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from django.db import OperationalError, connections

from truestyle.auditlog.models import RequestLogEntry
from truestyle.auditlog.services import request_log_flush_spool, request_log_spool
from truestyle.auditlog.spool import STALE_CLAIM_SECONDS, Spool
from truestyle.auditlog.tests.factories import at, logged_requests, request_record
from truestyle.testing.network import sql_database_unreachable


def test_flushing_writes_each_record_with_its_values_and_empties_the_spool(request_log, spool_dir):
    request_log_spool(records=[request_record(path="/shop/", user_id="65f0c0ffee0000000000abcd")])
    request_log_spool(records=[request_record(path="/p/linen-shirt/", status_code=404, client_ip=None,
                                              created_at="2026-11-25T10:00:01+00:00")])

    assert request_log_flush_spool() == 2

    assert list(RequestLogEntry.objects.order_by("created_at").values(
        "created_at", "method", "path", "status_code", "duration_ms", "user_id", "client_ip")) == [
        {"created_at": at("2026-11-25T10:00:00+00:00"), "method": "GET", "path": "/shop/", "status_code": 200,
         "duration_ms": 12.5, "user_id": "65f0c0ffee0000000000abcd", "client_ip": "203.0.113.7"},
        {"created_at": at("2026-11-25T10:00:01+00:00"), "method": "GET", "path": "/p/linen-shirt/",
         "status_code": 404, "duration_ms": 12.5, "user_id": "", "client_ip": None},
    ]
    assert list(spool_dir.iterdir()) == []


def test_four_flushers_at_once_write_every_record_exactly_once(request_log, spool_dir):
    for batch in range(30):
        request_log_spool(records=[request_record(path=f"/p/{batch}/{n}/") for n in range(3)])
    start = threading.Barrier(4)
    written = []

    def flusher():
        start.wait()
        try:
            written.append(request_log_flush_spool())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=flusher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(written) == 90
    assert sorted(row[1] for row in logged_requests()) == sorted(
        f"/p/{batch}/{n}/" for batch in range(30) for n in range(3))
    assert list(spool_dir.iterdir()) == []


def test_a_claim_left_by_a_flusher_that_died_is_written_later_and_only_once(request_log, spool_dir):
    request_log_spool(records=[request_record(path="/orphaned/")])
    spool = Spool(spool_dir)
    [path] = spool.files()
    claim = spool.claim(path)  # ...and the process holding it dies here

    assert request_log_flush_spool() == 0  # a fresh claim belongs to a flusher that may still be working
    old = time.time() - STALE_CLAIM_SECONDS - 1
    os.utime(claim.path, (old, old))

    assert request_log_flush_spool() == 1
    assert request_log_flush_spool() == 0
    assert logged_requests() == [("GET", "/orphaned/", 200, "", "203.0.113.7")]
    assert list(spool_dir.iterdir()) == []


def test_records_that_can_never_be_written_are_skipped_not_retried_forever(request_log, spool_dir):
    spool_dir.mkdir(parents=True)
    good = request_record(path="/good/")
    (spool_dir / "00000000000000000001-host-1-aaaaaaaa.jsonl").write_text(
        "\n".join([
            '{"kind": "request", "path": "/half',  # a torn line
            '["not", "an", "object"]',
            '{"kind": "mystery", "created_at": "2026-11-25T10:00:00+00:00"}',
            json.dumps({**good, "method": "PROPFIND-TOO-LONG"}),  # PostgreSQL refuses it: varchar(10)
            json.dumps(good),
        ]) + "\n"
    )

    assert request_log_flush_spool() == 1

    assert logged_requests() == [("GET", "/good/", 200, "", "203.0.113.7")]
    assert list(spool_dir.iterdir()) == []


def test_with_postgresql_down_flushing_raises_and_leaves_the_spool_as_it_was(request_log, spool_dir):
    request_log_spool(records=[request_record(path="/waiting/")])
    names = sorted(path.name for path in spool_dir.iterdir())

    with sql_database_unreachable(), pytest.raises(OperationalError):
        request_log_flush_spool()

    assert sorted(path.name for path in spool_dir.iterdir()) == names
    assert request_log_flush_spool() == 1
    assert logged_requests() == [("GET", "/waiting/", 200, "", "203.0.113.7")]
