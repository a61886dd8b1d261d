"""PostgreSQL away: requests are answered at once, entries wait in the spool, and are written once.

PostgreSQL really is away: the writer talks to the test database through a TCP proxy that the test
stops (refusing connections and cutting the open one) and starts again, or to a listener that never
answers. Nothing of ours is mocked.
"""

from __future__ import annotations

import time

from truestyle.auditlog.services import request_log_flush_spool, request_log_writer
from truestyle.auditlog.tests.factories import logged_requests, spooled_records
from truestyle.testing.network import SilentListener

SPOOLED_FIELDS = ("kind", "method", "path", "status_code", "user_id", "client_ip")


def test_with_postgresql_down_the_entry_waits_in_the_spool_and_is_written_once_when_it_is_back(
        postgres_proxy, spool_dir, client):
    started = time.perf_counter()
    response = client.get("/account/sign-in/", REMOTE_ADDR="203.0.113.7")
    elapsed = time.perf_counter() - started
    request_log_writer.flush()

    assert response.status_code == 200
    assert elapsed < 1.0
    assert logged_requests() == []
    assert [{key: record[key] for key in SPOOLED_FIELDS} for record in spooled_records(spool_dir)] == [
        {"kind": "request", "method": "GET", "path": "/account/sign-in/", "status_code": 200, "user_id": "",
         "client_ip": "203.0.113.7"},
    ]

    postgres_proxy.start()  # PostgreSQL is back

    assert request_log_flush_spool() == 1
    assert logged_requests() == [("GET", "/account/sign-in/", 200, "", "203.0.113.7")]
    assert list(spool_dir.iterdir()) == []
    assert request_log_flush_spool() == 0
    assert logged_requests() == [("GET", "/account/sign-in/", 200, "", "203.0.113.7")]


def test_the_writer_rides_out_a_postgresql_restart_and_writes_the_spool_when_it_is_back(
        postgres_proxy, spool_dir, client):
    postgres_proxy.start()
    client.get("/account/sign-in/")
    assert request_log_writer.flush() == 1

    postgres_proxy.stop()  # the writer's open connection is cut and new ones are refused
    response = client.get("/account/register/")
    assert request_log_writer.flush() == 0
    assert response.status_code == 200
    assert [record["path"] for record in spooled_records(spool_dir)] == ["/account/register/"]

    postgres_proxy.start()
    client.get("/account/password/forgot/")
    # The first write that gets through also writes what waited in the spool.
    assert request_log_writer.flush() == 2

    assert [row[1] for row in logged_requests()] == ["/account/sign-in/", "/account/register/",
                                                     "/account/password/forgot/"]
    assert list(spool_dir.iterdir()) == []


def test_a_hung_postgresql_holds_up_neither_requests_nor_the_writer_for_long(writer_database, spool_dir, client):
    with SilentListener() as hung:
        # PostgreSQL accepts connections and never answers them (connect_timeout is 2 s at the least).
        writer_database(hung.port, connect_timeout=2)
        client.get("/account/sign-in/")
        deadline = time.monotonic() + 3
        while not hung.accepted and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hung.accepted, "the background writer never tried PostgreSQL"

        # The writer is now stuck connecting; requests go on regardless.
        started = time.perf_counter()
        response = client.get("/account/register/")
        elapsed = time.perf_counter() - started

        deadline = time.monotonic() + 6
        while len(spooled_records(spool_dir)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)

    assert response.status_code == 200
    assert elapsed < 0.5
    # The stuck batch was spooled when the connect timed out; the next one went straight to the spool
    # while the writer backed off, instead of waiting on PostgreSQL again.
    assert [record["path"] for record in spooled_records(spool_dir)] == ["/account/sign-in/", "/account/register/"]
    assert len(hung.accepted) == 1
    assert request_log_flush_spool() == 2
    assert [row[1] for row in logged_requests()] == ["/account/sign-in/", "/account/register/"]
