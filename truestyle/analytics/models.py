"""Shopper activity per product and day, and the trending scores computed from it (MongoDB)."""

from django.db import models
from django.utils import timezone


class ProductActivity(models.Model):
    """How often a product was viewed, added to a cart or wishlist, and bought, on one store day.

    One document per product and day, changed only by an atomic `$inc` upsert, so concurrent
    requests never lose a count and recording costs one round trip.
    """

    product_id = models.CharField(max_length=24)
    day = models.CharField(max_length=10)  # YYYY-MM-DD in the store's time zone
    views = models.PositiveIntegerField(default=0)
    cart_adds = models.PositiveIntegerField(default=0)
    wishlist_adds = models.PositiveIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)  # units

    class Meta:
        db_table = "product_activity"
        constraints = [models.UniqueConstraint(fields=["product_id", "day"], name="product_activity_per_day")]


class TrendingScore(models.Model):
    """The latest trending ranking (rank 1 is the hottest), replaced whole by each recomputation."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="trending")
    score = models.FloatField()
    rank = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "trending_scores"
        ordering = ["rank"]
