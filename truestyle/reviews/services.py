"""Writes for reviews: submit (verified buyers only, once per product), moderate, mark helpful.

Every refusal is a StoreError raised before anything is written: fields are checked, then the
customer's eligibility, then the photos are decoded, and only then are photos stored and the
review created. A review that loses a race against the same customer's other submission
(the unique constraint) removes the photos it stored.

Moderation moves a review through `models.TRANSITIONS` and, in the same MongoDB transaction,
adds it to or takes it out of the product's figures (ProductReviewStats and the product's
`rating_average`/`rating_count`, which the listing's "Top rated" sort reads).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from truestyle.accounts.permissions import user_has_permission
from truestyle.auditlog.services import audit_record
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import Product
from truestyle.core.errors import Conflict, NotFound, StoreError
from truestyle.core.images import normalize_image
from truestyle.core.transactions import mongo_atomic, on_mongo_commit
from truestyle.orders.models import OrderLine
from truestyle.orders.statuses import OrderStatus
from truestyle.reviews.models import (
    MAX_PHOTOS,
    TRANSITIONS,
    Fit,
    ProductReviewStats,
    Review,
    ReviewHelpful,
    ReviewStatus,
)
from truestyle.reviews.selectors import is_object_id

PERMISSION = "moderate_reviews"
TITLE_MAX = 120
TEXT_MIN, TEXT_MAX = 10, 3000
REASON_MAX = 300
DECISIONS = {"approve": ReviewStatus.APPROVED, "reject": ReviewStatus.REJECTED}


class NotEligible(StoreError):
    code = "not_eligible"
    status = 403


def eligible_line(*, user, product: Product) -> OrderLine | None:
    """The customer's most recent delivered line of this product (any size or colour), or None."""
    if user is None or not user.is_authenticated:
        return None
    return (OrderLine.objects.filter(order__user=user, order__status=OrderStatus.DELIVERED,
                                     product_id=str(product.pk))
            .select_related("order").order_by("-order__created_at", "position").first())


def _author_name(user) -> str:
    """"Asha R." from "Asha Rao"; the part of the email before the @ when there is no name."""
    parts = (user.name or "").split()
    if not parts:
        return (user.email.split("@")[0] or "Customer")[:60]
    return (parts[0] + (f" {parts[-1][0].upper()}." if len(parts) > 1 else ""))[:60]


def _clean_fields(*, rating, title: str, text: str, fit: str, photos: list) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = ["Choose from 1 to 5 stars."]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Give your review a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"Keep the title to {TITLE_MAX} characters."]
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        errors["text"] = [f"Tell other shoppers a little more (at least {TEXT_MIN} characters)."]
    elif len(text) > TEXT_MAX:
        errors["text"] = [f"Keep the review to {TEXT_MAX} characters."]
    if fit not in Fit.values:
        errors["fit"] = ["Tell us how it fits: runs small, true to size or runs large."]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [f"Add at most {MAX_PHOTOS} photos."]
    if errors:
        raise StoreError("Some fields need attention.", code="invalid", fields=errors)
    return {"rating": rating, "title": title, "text": text, "fit": fit}


def review_submit(*, user, product: Product, rating, title: str, text: str, fit: str,
                  photos: list | None = None) -> Review:
    """A pending review of `product` by `user`, who must have received it and not reviewed it yet."""
    photos = list(photos or [])
    values = _clean_fields(rating=rating, title=title, text=text, fit=fit, photos=photos)
    if not product.is_active:
        raise NotFound("That product is not in the store.", code="product_not_found")
    line = eligible_line(user=user, product=product)
    if line is None:
        raise NotEligible("You can review this piece once it has been delivered to you.")
    if Review.objects.filter(product=product, user=user).exists():
        raise Conflict("You have already reviewed this piece.", code="already_reviewed")
    clean, refused = [], []
    for number, upload in enumerate(photos, start=1):
        try:
            clean.append(normalize_image(upload))
        except ValidationError as error:
            refused.append(f"Photo {number}: {error.messages[0]}")
    if refused:
        raise StoreError("Some photos could not be used; nothing was saved.", code="invalid_image",
                         fields={"photos": refused})
    stored = [default_storage.save(image.name, image) for image in clean]
    try:
        review = Review.objects.create(
            product=product, user=user, order_line=line, size=line.size, colour=line.colour,
            author_name=_author_name(user), photos=stored, photo_count=len(stored), **values)
    except IntegrityError:
        for name in stored:
            default_storage.delete(name)
        raise Conflict("You have already reviewed this piece.", code="already_reviewed") from None
    return review


# --- moderation ---------------------------------------------------------------------------------


def _stats_change(stats_id, review: Review, sign: int) -> None:
    """Add (+1) or take out (-1) one approved review; a take-out never drives a figure below 0."""
    star, fit = f"stars_{review.rating}", f"fit_{review.fit}"
    changes = {"count": F("count") + sign, "rating_sum": F("rating_sum") + sign * review.rating,
               star: F(star) + sign, fit: F(fit) + sign, "updated_at": timezone.now()}
    guard = {} if sign > 0 else {"count__gte": 1, f"{star}__gte": 1, f"{fit}__gte": 1,
                                 "rating_sum__gte": review.rating}
    if ProductReviewStats.objects.filter(pk=stats_id, **guard).update(**changes) != 1:
        raise Conflict("The product's review figures are out of step; nothing was changed.", code="stats_conflict")


def _moderate(*, review_id, to: str, reason: str, actor, stats_id) -> Review:
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFound("That review does not exist.", code="review_not_found")
    if to not in TRANSITIONS[review.status]:
        raise Conflict(f"A review that is {review.get_status_display().lower()} cannot be "
                       f"{'approved' if to == ReviewStatus.APPROVED else 'rejected'}.", code="invalid_transition")
    moved = Review.objects.filter(pk=review.pk, status=review.status).update(
        status=to, rejection_reason=reason if to == ReviewStatus.REJECTED else "",
        moderated_by_id=str(actor.pk), moderated_at=timezone.now())
    if moved != 1:  # someone else moderated it in between
        raise Conflict("This review was just moderated by someone else.", code="invalid_transition")
    if to == ReviewStatus.APPROVED:
        _stats_change(stats_id, review, +1)
    elif review.status == ReviewStatus.APPROVED:
        _stats_change(stats_id, review, -1)
    stats = ProductReviewStats.objects.get(pk=stats_id)
    # The listing shows and sorts by the same one-decimal average the product page shows.
    Product.objects.filter(pk=review.product_id).update(rating_average=stats.average, rating_count=stats.count)
    on_mongo_commit(catalog_cache_bump)
    review.refresh_from_db()
    return review


def review_moderate(*, actor, review_id, decision: str, reason: str = "", ip: str | None = None) -> Review:
    """Approve or reject (with a reason) a review; an approved one may still be rejected later."""
    if not user_has_permission(actor, PERMISSION):
        raise StoreError("You may not moderate reviews.", code="permission_denied", status=403)
    to = DECISIONS.get(decision)
    if to is None:
        raise StoreError("Choose approve or reject.", code="invalid",
                         fields={"decision": ["Choose approve or reject."]})
    reason = (reason or "").strip()
    if to == ReviewStatus.REJECTED and not reason:
        raise StoreError("Say why the review is rejected.", code="invalid",
                         fields={"reason": ["Say why the review is rejected."]})
    if len(reason) > REASON_MAX:
        raise StoreError("The reason is too long.", code="invalid",
                         fields={"reason": [f"Keep the reason to {REASON_MAX} characters."]})
    product_id = (Review.objects.filter(pk=review_id).values_list("product_id", flat=True).first()
                  if is_object_id(review_id) else None)
    if product_id is None:
        raise NotFound("That review does not exist.", code="review_not_found")
    stats_id = _stats_ensure(product_id)
    before = Review.objects.filter(pk=review_id).values_list("status", flat=True).first()
    review = mongo_atomic(_moderate, review_id=review_id, to=to, reason=reason, actor=actor, stats_id=stats_id)
    audit_record(actor=actor, action=f"review.{decision}", object_type="review", object_id=str(review.pk),
                 before={"status": before}, after={"status": review.status, "reason": review.rejection_reason},
                 ip=ip)
    return review


def _stats_ensure(product_id):
    """The product's stats document, created (outside any transaction) the first time it is needed."""
    try:
        stats, _ = ProductReviewStats.objects.get_or_create(product_id=product_id)
    except IntegrityError:  # created by a concurrent moderation
        stats = ProductReviewStats.objects.get(product_id=product_id)
    return stats.pk


# --- helpful ------------------------------------------------------------------------------------


def _helpful(review: Review, user) -> int:
    ReviewHelpful.objects.create(review=review, user=user)
    Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    return Review.objects.filter(pk=review.pk).values_list("helpful_count", flat=True).get()


def review_mark_helpful(*, user, review_id) -> int:
    """Count `user` as finding an approved review helpful, once; returns the new helpful count.

    The mark and the count change in one transaction, and the unique (review, user) constraint
    refuses a second mark, also when two arrive at once: the count always equals the marks.
    """
    if user is None or not user.is_authenticated:
        raise StoreError("Sign in to mark a review helpful.", code="not_authenticated", status=401)
    review = (Review.objects.filter(pk=review_id, status=ReviewStatus.APPROVED).first()
              if is_object_id(review_id) else None)
    if review is None:
        raise NotFound("That review does not exist.", code="review_not_found")
    if review.user_id == user.pk:
        raise StoreError("You cannot mark your own review helpful.", code="own_review", status=403)
    if ReviewHelpful.objects.filter(review=review, user=user).exists():
        raise Conflict("You have already marked this review helpful.", code="already_helpful")
    try:
        return mongo_atomic(_helpful, review, user)
    except IntegrityError:
        raise Conflict("You have already marked this review helpful.", code="already_helpful") from None

