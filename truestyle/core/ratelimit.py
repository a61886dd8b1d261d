"""Fixed-window rate limits whose counters are atomic, so they hold under concurrent requests.

An attempt is *reserved* before the guarded work runs (the counter is
incremented first and the new value decides), so twenty simultaneous
sign-ins against a limit of five hash at most five passwords. A caller whose
attempt succeeded may `release` it (a correct password does not count as a
failure).

Counters live in Redis when REDIS_URL is set (INCR + EXPIRE in one
transaction). If Redis fails, the same counters are kept in MongoDB with a
single-document `$inc` upsert: slower, but the limit still holds and nothing
is let through because a cache is down. Without Redis (the local run) the
process-local cache counts.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from pymongo import ReturnDocument

logger = logging.getLogger(__name__)

FALLBACK_COLLECTION = "rate_limit_counters"


@dataclass(frozen=True)
class Limit:
    name: str
    max_attempts: int
    window_seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)
    limit: Limit | None = None


def _window(limit: Limit, now: float) -> tuple[int, int]:
    index = int(now // limit.window_seconds)
    ends_in = math.ceil((index + 1) * limit.window_seconds - now)
    return index, max(ends_in, 1)


def _counter_key(limit: Limit, subject: str, index: int) -> str:
    return f"rl:{limit.name}:{subject}:{index}"


def _redis_key(key: str) -> str:
    # The cache's prefix keeps counters of different deployments (and test runs) apart.
    return cache.make_key(key)


_redis_clients: dict[str, object] = {}


def _redis_client():
    """A client for REDIS_URL with short timeouts: an outage must cost milliseconds, not seconds."""
    import redis

    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        _redis_clients[url] = client
    return client


def _increment(key: str, amount: int, ttl: int) -> int:
    if settings.REDIS_URL:
        try:
            client = _redis_client()
            with client.pipeline(transaction=True) as pipeline:
                pipeline.incrby(_redis_key(key), amount)
                pipeline.expire(_redis_key(key), ttl + 1)
                value, _ = pipeline.execute()
            return int(value)
        except Exception:  # noqa: BLE001 - any Redis failure: fall back, never fail open
            logger.warning("rate limit counter falling back to MongoDB (Redis unavailable)", exc_info=True)
            return _increment_in_mongodb(key, amount, ttl)
    if cache.add(key, 0, ttl + 1) and amount == 0:
        return 0
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.add(key, amount, ttl + 1)
        return amount


def _increment_in_mongodb(key: str, amount: int, ttl: int) -> int:
    collection = connections["mongodb"].database[FALLBACK_COLLECTION]
    document = collection.find_one_and_update(
        {"_id": key},
        {"$inc": {"count": amount}, "$setOnInsert": {"expires_at": time.time() + ttl + 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    return int(document["count"])


def limits_reserve(*, subject_limits: list[tuple[Limit, str]], now: float | None = None) -> Verdict:
    """Count one attempt against every (limit, subject); refuse if any is now over its maximum.

    A refused attempt still counts, so hammering a locked account does not
    shorten its lockout; the window's end is the `retry_after`.
    """
    now = time.time() if now is None else now
    refusal: Verdict | None = None
    for limit, subject in subject_limits:
        index, ends_in = _window(limit, now)
        count = _increment(_counter_key(limit, subject, index), 1, ends_in)
        if count > limit.max_attempts and (refusal is None or ends_in > refusal.retry_after):
            refusal = Verdict(False, ends_in, limit)
    return refusal or Verdict(True, 0)


def limits_check(*, subject_limits: list[tuple[Limit, str]], now: float | None = None) -> Verdict:
    """Whether a new attempt would be refused, without counting one."""
    now = time.time() if now is None else now
    for limit, subject in subject_limits:
        index, ends_in = _window(limit, now)
        if _increment(_counter_key(limit, subject, index), 0, ends_in) >= limit.max_attempts:
            return Verdict(False, ends_in, limit)
    return Verdict(True, 0)


def limits_release(*, subject_limits: list[tuple[Limit, str]], now: float | None = None) -> None:
    """Give back an attempt that turned out fine (e.g. a correct password)."""
    now = time.time() if now is None else now
    for limit, subject in subject_limits:
        index, ends_in = _window(limit, now)
        _increment(_counter_key(limit, subject, index), -1, ends_in)
