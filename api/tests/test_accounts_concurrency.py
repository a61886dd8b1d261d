"""Concurrency claims proven over real HTTP against the live server."""

import json
import statistics
import threading
import time
import urllib.error
import urllib.request

from truestyle import celery_app
from truestyle.accounts import services
from truestyle.accounts.tests.factories import user_create


def _post(url: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _race(count: int, action) -> list:
    start = threading.Barrier(count)
    results = []

    def run():
        start.wait()
        results.append(action())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_ten_concurrent_refreshes_of_one_token_give_exactly_one_success(db, live_server):
    user = user_create()
    _, refresh = services.token_pair_issue(user=user, device="Pixel", ip="127.0.0.1")

    statuses = _race(10, lambda: _post(f"{live_server.url}/api/v1/auth/token/refresh", {"refresh": refresh}))

    assert sorted(statuses) == [200] + [401] * 9


def test_twenty_concurrent_wrong_passwords_hash_only_five(db, live_server):
    user = user_create()

    statuses = _race(20, lambda: _post(f"{live_server.url}/api/v1/auth/token",
                                       {"email": user.email, "password": "a wrong password"}))

    assert sorted(statuses) == [401] * 5 + [429] * 15


def test_otp_request_timing_does_not_reveal_whether_the_email_is_known(db, live_server, settings):
    # As in production, the request only queues the task: the worker does the lookup later.
    user_create(email="known@example.com")
    celery_app.conf.task_always_eager = False
    try:
        timings = {"known": [], "unknown": []}
        for round_number in range(12):
            for kind in ("known", "unknown"):
                email = "known@example.com" if kind == "known" else f"nobody{round_number}@example.com"
                started = time.perf_counter()
                status = _post(f"{live_server.url}/api/v1/auth/password/otp", {"email": email})
                timings[kind].append(time.perf_counter() - started)
                assert status == 202
                if kind == "unknown" and round_number % 4 == 3:  # stay under the request limits
                    from django.core.cache import cache

                    cache.delete_pattern("rl:*")
    finally:
        celery_app.conf.task_always_eager = True
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)

    difference_ms = abs(statistics.median(timings["known"]) - statistics.median(timings["unknown"])) * 1000
    assert difference_ms < 15
