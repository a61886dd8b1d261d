"""The content cache version: part of every cached content key, bumped by every content change.

A bump also bumps the catalogue's version (truestyle.catalog.cache): the home page and every
cached catalogue page carry content (banners, the footer's store details), so they must miss too.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from truestyle.catalog.cache import catalog_cache_bump

logger = logging.getLogger(__name__)
VERSION_KEY = "content:version"


def content_cache_version() -> int:
    """The current version (starts at 1); a cache outage reads as 0."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
        return int(version)
    except Exception:  # noqa: BLE001 - a cache outage must not break the shop
        return 0


def content_cache_bump() -> None:
    try:
        cache.add(VERSION_KEY, 1, timeout=None)
        cache.incr(VERSION_KEY)
    except Exception:  # noqa: BLE001 - the change is committed; cached content expires within its timeout
        logger.warning("content cache version not bumped", exc_info=True)
    catalog_cache_bump()
