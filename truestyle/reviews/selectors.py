"""Reads for reviews: a product's approved reviews (sorted, filtered, paged), its summary, the
customer's standing (may they write one?), and the staff moderation queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bson import ObjectId

from truestyle.catalog.models import Product
from truestyle.reviews.models import Fit, ProductReviewStats, Review, ReviewHelpful, ReviewStatus

SORTS = {
    "newest": ("Newest", ["-created_at"]),
    "helpful": ("Most helpful", ["-helpful_count", "-created_at"]),
    "highest": ("Highest rated", ["-rating", "-created_at"]),
    "lowest": ("Lowest rated", ["rating", "-created_at"]),
}
PER_PAGE = 10
FIT_PHRASES = {
    Fit.RUNS_SMALL: "Most say it runs small",
    Fit.TRUE_TO_SIZE: "Most say true to size",
    Fit.RUNS_LARGE: "Most say it runs large",
}
MIXED_FIT = "Opinions on fit are mixed"


@dataclass(frozen=True)
class ReviewFilters:
    sort: str = "newest"
    stars: int | None = None
    fit: str = ""
    with_photos: bool = False

    @classmethod
    def from_query(cls, query) -> ReviewFilters:
        """Filters from a query string; values that mean nothing are ignored rather than refused."""
        sort = query.get("sort", "newest")
        stars = query.get("stars", "")
        fit = query.get("fit", "")
        return cls(sort=sort if sort in SORTS else "newest",
                   stars=int(stars) if stars in {"1", "2", "3", "4", "5"} else None,
                   fit=fit if fit in Fit.values else "",
                   with_photos=query.get("photos", "") in {"1", "true", "on"})

    def as_query(self) -> dict:
        query = {"sort": self.sort}
        if self.stars:
            query["stars"] = str(self.stars)
        if self.fit:
            query["fit"] = self.fit
        if self.with_photos:
            query["photos"] = "1"
        return query


@dataclass
class ReviewPage:
    reviews: list[Review]
    total: int
    page: int
    pages: int
    filters: ReviewFilters


@dataclass
class ReviewSummary:
    average: Decimal
    count: int
    # [{"stars": 5, "count": 3, "percent": 60}, …] from 5 down to 1
    distribution: list[dict] = field(default_factory=list)
    fit: list[dict] = field(default_factory=list)  # [{"value", "label", "count", "percent"}]
    fit_summary: str = ""


def approved_reviews(*, product: Product, filters: ReviewFilters = ReviewFilters(), page: int = 1,
                     per_page: int = PER_PAGE) -> ReviewPage:
    reviews = Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
    if filters.stars:
        reviews = reviews.filter(rating=filters.stars)
    if filters.fit:
        reviews = reviews.filter(fit=filters.fit)
    if filters.with_photos:
        reviews = reviews.filter(photo_count__gt=0)
    total = reviews.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    ordered = reviews.order_by(*SORTS[filters.sort][1], "pk")
    return ReviewPage(reviews=list(ordered[(page - 1) * per_page: page * per_page]), total=total, page=page,
                      pages=pages, filters=filters)


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def fit_summary_text(counts: dict[str, int]) -> str:
    """"Most say true to size" when more than half agree on one fit; "mixed" otherwise; "" with no votes."""
    total = sum(counts.values())
    if not total:
        return ""
    leader = max(Fit.values, key=lambda value: counts.get(value, 0))
    return FIT_PHRASES[leader] if counts.get(leader, 0) * 2 > total else MIXED_FIT


def review_summary(*, product: Product) -> ReviewSummary:
    stats = ProductReviewStats.objects.filter(product=product).first() or ProductReviewStats(product=product)
    distribution = [{"stars": stars, "count": getattr(stats, f"stars_{stars}"),
                     "percent": _percent(getattr(stats, f"stars_{stars}"), stats.count)} for stars in range(5, 0, -1)]
    counts = {value: getattr(stats, f"fit_{value}") for value in Fit.values}
    fit_total = sum(counts.values())
    fit = [{"value": value, "label": label, "count": counts[value], "percent": _percent(counts[value], fit_total)}
           for value, label in Fit.choices]
    return ReviewSummary(average=stats.average, count=stats.count, distribution=distribution, fit=fit,
                         fit_summary=fit_summary_text(counts))


def helpful_marked(*, user, reviews: list[Review]) -> set[str]:
    """Ids (as text) of the given reviews this user has already marked helpful."""
    if user is None or not user.is_authenticated or not reviews:
        return set()
    return {str(pk) for pk in ReviewHelpful.objects.filter(user=user, review_id__in=[r.pk for r in reviews])
            .values_list("review_id", flat=True)}


def own_review(*, user, product: Product) -> Review | None:
    if user is None or not user.is_authenticated:
        return None
    return Review.objects.filter(product=product, user=user).first()


def moderation_queue(*, status: str = ReviewStatus.PENDING):
    """Reviews of one status for staff: the pending ones oldest first (first come, first moderated)."""
    reviews = Review.objects.filter(status=status).select_related("product")
    return reviews.order_by("created_at" if status == ReviewStatus.PENDING else "-moderated_at", "pk")


def is_object_id(value) -> bool:
    """Whether a URL or body value can be a document id (anything else simply matches nothing)."""
    return ObjectId.is_valid(str(value))


def review_for_staff(*, review_id) -> Review | None:
    if not is_object_id(review_id):
        return None
    return Review.objects.filter(pk=review_id).select_related("product", "user").first()
