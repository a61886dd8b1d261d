"""Verified reviews, the "helpful" marks on them, and each product's review figures (MongoDB).

A review is written once per product by a customer who received it, waits for moderation and
counts only once approved. `ProductReviewStats` holds the approved reviews' figures per product
(count, star distribution, fit votes); it changes only in `services.review_moderate`, in the same
transaction as the review's status, and the product's own `rating_average`/`rating_count` (what
the listing sorts by) are written there too.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_mongodb_backend.fields import ArrayField

MAX_PHOTOS = 3


class Fit(models.TextChoices):
    RUNS_SMALL = "runs_small", "Runs small"
    TRUE_TO_SIZE = "true_to_size", "True to size"
    RUNS_LARGE = "runs_large", "Runs large"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# from status -> statuses a moderator may move it to; declared once, used by review_moderate.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.PENDING: frozenset({ReviewStatus.APPROVED, ReviewStatus.REJECTED}),
    ReviewStatus.APPROVED: frozenset({ReviewStatus.REJECTED}),
    ReviewStatus.REJECTED: frozenset(),
}


class Review(models.Model):
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    # The delivered line that makes the review verified; size and colour are copied from it.
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="reviews")
    size = models.CharField(max_length=10)
    colour = models.CharField(max_length=60, blank=True)
    # The name shown with the review, as it was when written ("Asha R.").
    author_name = models.CharField(max_length=60)
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    text = models.TextField(max_length=3000)
    fit = models.CharField(max_length=20, choices=Fit.choices)
    # GridFS names (truestyle.core.storage), re-encoded by truestyle.core.images.
    photos = ArrayField(models.CharField(max_length=100), default=list, blank=True, size=MAX_PHOTOS)
    photo_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    rejection_reason = models.CharField(max_length=300, blank=True)
    moderated_by_id = models.CharField(max_length=24, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Changes only with a ReviewHelpful row, in one transaction (services.review_mark_helpful).
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reviews"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["product", "user"], name="review_once_per_product")]
        indexes = [models.Index(fields=["product", "status", "created_at"], name="review_product_status")]

    def __str__(self):
        return f"{self.rating}★ {self.title}"


class ReviewHelpful(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "review_helpful"
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="helpful_once_per_user")]


class ProductReviewStats(models.Model):
    """The approved reviews of one product, counted: every figure changes by a single-document update."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="review_stats")
    count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)
    fit_runs_small = models.PositiveIntegerField(default=0)
    fit_true_to_size = models.PositiveIntegerField(default=0)
    fit_runs_large = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "product_review_stats"

    @property
    def average(self) -> Decimal:
        """The mean rating to one decimal (4.35 → 4.4); 0 with no reviews."""
        if not self.count:
            return Decimal("0.0")
        return (Decimal(self.rating_sum) / self.count).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
