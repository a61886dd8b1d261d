"""A Redis outage makes cache reads miss, not hang: the cache settings' own OPTIONS, at a real dead Redis."""

from __future__ import annotations

import time

from django_redis.cache import RedisCache

from truestyle.testing.network import SilentListener, closed_port


def _cache_at(settings, port: int) -> RedisCache:
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    return RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": dict(settings.CACHES["default"]["OPTIONS"])})


def test_a_hung_redis_makes_a_cache_read_return_the_default_within_a_second(settings):
    with SilentListener() as hung:
        cache = _cache_at(settings, hung.port)
        started = time.perf_counter()
        value = cache.get("catalog:home", "missed")
        elapsed = time.perf_counter() - started

    assert value == "missed"
    assert elapsed < 1.0


def test_a_stopped_redis_makes_cache_reads_and_writes_fail_quietly_at_once(settings):
    cache = _cache_at(settings, closed_port())

    started = time.perf_counter()
    stored = cache.set("catalog:home", "page")
    value = cache.get("catalog:home", "missed")
    elapsed = time.perf_counter() - started

    assert (stored, value) == (None, "missed")
    assert elapsed < 1.0
