"""RequestLogMiddleware: one row per request, with exactly what was asked and answered."""

from __future__ import annotations

import time

from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import RequestLogEntry
from truestyle.auditlog.services import request_log_writer
from truestyle.auditlog.tests.factories import logged_requests


def test_a_request_is_logged_once_with_method_path_status_user_and_ip(request_log, client):
    user = user_create()
    client.force_login(user)
    started = timezone.now()

    response = client.get("/account/?next=/secret-token", REMOTE_ADDR="203.0.113.7")
    request_log_writer.flush()

    assert response.status_code == 200
    assert logged_requests() == [("GET", "/account/", 200, str(user.pk), "203.0.113.7")]
    entry = RequestLogEntry.objects.get()
    assert started <= entry.created_at <= timezone.now()
    assert 0 < entry.duration_ms < 5000


def test_an_anonymous_request_is_logged_without_a_user_and_with_its_status(request_log, client):
    response = client.post("/no-such-page/", REMOTE_ADDR="198.51.100.20")
    request_log_writer.flush()

    assert response.status_code == 404
    assert logged_requests() == [("POST", "/no-such-page/", 404, "", "198.51.100.20")]


def test_excluded_prefixes_are_not_logged(request_log, client, settings):
    assert settings.REQUEST_LOG_EXCLUDE_PREFIXES == ("/static/", "/healthz")

    client.get("/static/css/store.css")
    client.get("/healthz")
    client.get("/account/sign-in/")
    request_log_writer.flush()

    assert logged_requests() == [("GET", "/account/sign-in/", 200, "", "127.0.0.1")]


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(request_log, client, settings):
    forwarded = "192.0.2.1, 198.51.100.9, 10.0.0.2"

    client.get("/account/sign-in/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    settings.REQUEST_LOG_TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.get("/account/register/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    client.get("/account/password/forgot/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="203.0.113.50")
    request_log_writer.flush()

    # Read right to left: the first address a trusted proxy did not add is the client; whatever a
    # client wrote further left (192.0.2.1) is not believed.
    assert [row[1:] for row in logged_requests()] == [
        ("/account/sign-in/", 200, "", "10.0.0.1"),
        ("/account/register/", 200, "", "198.51.100.9"),
        ("/account/password/forgot/", 200, "", "203.0.113.50"),
    ]


def test_requests_are_written_by_the_background_thread_without_a_flush(request_log, client):
    client.get("/account/sign-in/")

    deadline = time.monotonic() + 5
    while not RequestLogEntry.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert logged_requests() == [("GET", "/account/sign-in/", 200, "", "127.0.0.1")]
