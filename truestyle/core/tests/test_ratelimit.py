"""Rate limits hold under concurrency and survive a Redis outage."""

import threading
import uuid

from truestyle.core.ratelimit import Limit, limits_check, limits_release, limits_reserve


def _subject() -> str:
    return uuid.uuid4().hex


def test_attempts_beyond_the_maximum_are_refused_until_the_window_ends(db):
    limit = Limit("test-burst", max_attempts=3, window_seconds=300)
    subject = _subject()

    verdicts = [limits_reserve(subject_limits=[(limit, subject)], now=1000.0) for _ in range(4)]

    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[3].retry_after == 200  # the window [900, 1200) ends in 200 s
    assert limits_reserve(subject_limits=[(limit, subject)], now=1200.0).allowed is True


def test_released_attempts_do_not_count(db):
    limit = Limit("test-release", max_attempts=2, window_seconds=60)
    subject = _subject()

    for _ in range(5):
        assert limits_reserve(subject_limits=[(limit, subject)], now=30.0).allowed
        limits_release(subject_limits=[(limit, subject)], now=30.0)

    assert limits_check(subject_limits=[(limit, subject)], now=30.0).allowed is True


def test_twenty_concurrent_attempts_against_a_limit_of_five_let_exactly_five_through(db):
    limit = Limit("test-concurrent", max_attempts=5, window_seconds=600)
    subject = _subject()
    start = threading.Barrier(20)
    outcomes = []

    def attempt():
        start.wait()
        outcomes.append(limits_reserve(subject_limits=[(limit, subject)]).allowed)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False] * 15 + [True] * 5


def test_with_redis_down_the_counters_move_to_mongodb_and_still_hold(db, settings):
    from django.db import connections

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    limit = Limit("test-fallback", max_attempts=2, window_seconds=60)
    subject = _subject()

    verdicts = [limits_reserve(subject_limits=[(limit, subject)], now=10.0).allowed for _ in range(3)]

    assert verdicts == [True, True, False]
    stored = connections["mongodb"].database["rate_limit_counters"].find_one({"_id": f"rl:test-fallback:{subject}:0"})
    assert stored["count"] == 3
