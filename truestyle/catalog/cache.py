"""The catalogue's cache version: one number that every cached catalogue page's key includes.

Services that change what a shopper sees in a listing (products, variants, images, stock,
taxonomy) call `catalog_cache_bump()` once the change is committed, so the next request builds
a new key and misses: no cached page outlives a change, and nothing has to know which keys exist.
Old entries simply expire.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)
VERSION_KEY = "catalog:version"
T = TypeVar("T")


def catalog_cache_version() -> int:
    """The current version (starts at 1); a cache outage reads as version 0 (and pages then miss)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
        return int(version)
    except Exception:  # noqa: BLE001 - a cache outage must not break the shop
        return 0


def catalog_cache_bump() -> int:
    """Move to a new version, so that every cached catalogue page is stale from now on."""
    try:
        cache.add(VERSION_KEY, 1, timeout=None)
        return int(cache.incr(VERSION_KEY))
    except Exception:  # noqa: BLE001 - the change is committed; cached pages expire within their timeout
        logger.warning("catalogue cache version not bumped", exc_info=True)
        return 0


def catalog_cached(name: str, build: Callable[[], T], *, seconds: int, wait: float = 5.0) -> T:
    """`build()`'s result, cached for `seconds` under the catalogue's version (so no change outlives it).

    Concurrent first requests build it once: one claims the build, the others wait up to `wait`
    seconds for its result instead of all querying the database together on a cold cache. With the
    cache away (version 0, or a claim that reads back as missing), every request builds at once.
    """
    version = catalog_cache_version()
    if not version:
        return build()
    key = f"catalog:{name}:v{version}"
    cached = _read(key)
    if cached is not None:
        return cached
    if not _claim(f"{key}:building", seconds=wait * 2):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.05)
            cached = _read(key)
            if cached is not None:
                return cached
    value = build()
    try:
        cache.set(key, value, seconds)
        cache.delete(f"{key}:building")
    except Exception:  # noqa: BLE001 - a cache outage only costs the rebuild
        pass
    return value


def _read(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001
        return None


def _claim(key: str, *, seconds: float) -> bool:
    """True when this request is the one to build: it took the claim, or there is no claim to wait for
    (the cache is away and answers every read with a miss)."""
    try:
        return bool(cache.add(key, 1, seconds)) or cache.get(key) is None
    except Exception:  # noqa: BLE001
        return True
