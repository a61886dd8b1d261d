"""The catalogue's cache version: one number that every cached catalogue page's key includes.

Services that change what a shopper sees in a listing (products, variants, images, stock,
taxonomy) call `catalog_cache_bump()` once the change is committed, so the next request builds
a new key and misses: no cached page outlives a change, and nothing has to know which keys exist.
Old entries simply expire.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
VERSION_KEY = "catalog:version"


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
