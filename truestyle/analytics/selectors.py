"""Reads of the trending ranking."""

from __future__ import annotations

from truestyle.analytics.models import TrendingScore


def trending_product_ids(*, limit: int = 8) -> list[str]:
    """Product ids of the latest ranking, hottest first."""
    return [str(pid) for pid in TrendingScore.objects.order_by("rank").values_list("product_id", flat=True)[:limit]]


def trending_rows(*, limit: int = 10) -> list[dict]:
    """[{"rank", "name", "score", "product_id"}] for the staff dashboard."""
    return [{"rank": row["rank"], "name": row["product__name"], "score": row["score"], "product_id": str(row["product_id"])}
            for row in TrendingScore.objects.order_by("rank").values("rank", "score", "product_id", "product__name")[:limit]]
