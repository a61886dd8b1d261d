"""Trending products: shopper activity recorded per product and day, scored with a time decay.

score = Σ over the last TRENDING_WINDOW_DAYS of
        (views·1 + wishlist adds·3 + cart adds·5 + units bought·10) · 0.5^(age in days / TRENDING_HALF_LIFE_DAYS)

so yesterday's purchase outweighs last week's, and a product nobody touched for a month drops out.
Recording is counted in memory and written in batches of atomic upserts (activity_buffer.py); it
never fails the request that records it. The ranking is recomputed by a periodic Celery job and
replaced whole in one transaction.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, timedelta

from bson import ObjectId
from django.conf import settings
from django.db import connections
from django.utils import timezone
from pymongo import UpdateOne

from truestyle.analytics.activity_buffer import ActivityBuffer
from truestyle.analytics.dashboard import store_today, store_zone
from truestyle.analytics.models import ProductActivity, TrendingScore
from truestyle.core.db_router import MONGO_DATABASE
from truestyle.core.transactions import run_in_mongo_transaction

logger = logging.getLogger(__name__)

WEIGHTS = {"views": 1.0, "wishlist_adds": 3.0, "cart_adds": 5.0, "purchases": 10.0}
TRENDING_HALF_LIFE_DAYS = 3.0
TRENDING_WINDOW_DAYS = 30
TRENDING_SIZE = 24  # how many products the ranking keeps


def _activity():
    return connections[MONGO_DATABASE].database[ProductActivity._meta.db_table]


def activity_record(*, product_id, kind: str, count: int = 1, day: date | None = None) -> bool:
    """Count `count` events of `kind` (views, cart_adds, wishlist_adds, purchases) for a product today.

    Counted in memory and written with the others every TRENDING_ACTIVITY_FLUSH_SECONDS (see
    activity_buffer.py), or at once when that is 0. Returns False (and logs) when it could not be
    counted: trending is a nicety, the page or the order that triggered it must not fail for it.
    """
    if kind not in WEIGHTS:
        raise ValueError(f"unknown activity kind {kind!r}")
    if count <= 0 or not ObjectId.is_valid(str(product_id)):
        return False
    day = day or timezone.now().astimezone(store_zone()).date()
    flush_every = float(getattr(settings, "TRENDING_ACTIVITY_FLUSH_SECONDS", 0))
    if flush_every > 0:
        _buffer.add(product_id=str(product_id), day=day.isoformat(), kind=kind, count=count, flush_every=flush_every)
        return True
    try:
        _activity_write(Counter({(str(product_id), day.isoformat(), kind): count}))
    except Exception:
        logger.warning("product activity not recorded (%s for %s)", kind, product_id, exc_info=True)
        return False
    return True


def activity_flush() -> int:
    """Write the activity this process has counted and not yet written; returns how many counts."""
    return _buffer.flush()


def _activity_write(counts: Counter) -> None:
    """One `$inc` upsert per product and day, sent as one unordered bulk."""
    by_document: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (product_id, day, kind), count in counts.items():
        by_document[(product_id, day)][kind] = count
    _activity().bulk_write([
        UpdateOne({"product_id": product_id, "day": day},
                  {"$inc": increments, "$setOnInsert": {other: 0 for other in WEIGHTS if other not in increments}},
                  upsert=True)
        for (product_id, day), increments in by_document.items()], ordered=False)


_buffer = ActivityBuffer(_activity_write)


def trending_scores(*, today: date | None = None) -> list[tuple[str, float]]:
    """[(product_id, score)] of every product with activity in the window, highest first."""
    today = today or store_today()
    activity_flush()  # what this process has counted so far counts too
    since = (today - timedelta(days=TRENDING_WINDOW_DAYS - 1)).isoformat()
    scores: dict[str, float] = {}
    for row in _activity().find({"day": {"$gte": since, "$lte": today.isoformat()}}):
        age = (today - date.fromisoformat(row["day"])).days
        decay = 0.5 ** (age / TRENDING_HALF_LIFE_DAYS)
        points = sum(weight * row.get(kind, 0) for kind, weight in WEIGHTS.items())
        scores[row["product_id"]] = scores.get(row["product_id"], 0.0) + points * decay
    return sorted(((pid, round(score, 4)) for pid, score in scores.items() if score > 0),
                  key=lambda item: (-item[1], item[0]))


def trending_recompute(*, today: date | None = None) -> int:
    """Replace the ranking with a fresh one (active products only); returns how many are ranked."""
    from truestyle.catalog.models import Product

    scored = trending_scores(today=today)
    active = {str(pk) for pk in Product.objects.filter(
        pk__in=[ObjectId(pid) for pid, _ in scored], is_active=True).values_list("pk", flat=True)}
    ranked = [(pid, score) for pid, score in scored if pid in active][:TRENDING_SIZE]
    now = timezone.now()

    def replace():
        TrendingScore.objects.all().delete()
        TrendingScore.objects.bulk_create([
            TrendingScore(product_id=ObjectId(pid), score=score, rank=rank, computed_at=now)
            for rank, (pid, score) in enumerate(ranked, start=1)])

    run_in_mongo_transaction(replace)
    return len(ranked)
