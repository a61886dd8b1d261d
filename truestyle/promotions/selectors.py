"""Reads for coupons: the staff list and one coupon."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from truestyle.promotions.models import Coupon

# (value, label) of the staff list's status filter; a coupon has exactly one of these at a time.
STATUSES = [("live", "Live"), ("scheduled", "Scheduled"), ("expired", "Expired"), ("used_up", "Used up"),
            ("inactive", "Deactivated")]


def _status_condition(status: str, now) -> Q:
    used_up = Q(usage_limit__isnull=False, uses__gte=F("usage_limit"))
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=now)
    not_ended = Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    if status == "inactive":
        return Q(is_active=False)
    if status == "scheduled":
        return Q(is_active=True, valid_from__gt=now)
    if status == "expired":
        return Q(is_active=True, valid_until__lte=now) & started
    if status == "used_up":
        return Q(is_active=True) & started & not_ended & used_up
    if status == "live":
        return Q(is_active=True) & started & not_ended & ~used_up
    return Q()


def coupon_status(coupon: Coupon, now=None) -> str:
    """The one status (see STATUSES) a coupon has now."""
    now = now or timezone.now()
    if not coupon.is_active:
        return "inactive"
    if coupon.valid_from and now < coupon.valid_from:
        return "scheduled"
    if coupon.valid_until and now >= coupon.valid_until:
        return "expired"
    if coupon.usage_limit is not None and coupon.uses >= coupon.usage_limit:
        return "used_up"
    return "live"


def coupon_list(*, query: str = "", status: str = "") -> QuerySet[Coupon]:
    """Coupons for staff, newest first, filtered by code or description and by status."""
    coupons = Coupon.objects.order_by("-created_at")
    query = query.strip()
    if query:
        coupons = coupons.filter(Q(code__icontains=query) | Q(description__icontains=query))
    if status:
        coupons = coupons.filter(_status_condition(status, timezone.now()))
    return coupons


def coupon_for_staff(*, coupon_id: str) -> Coupon | None:
    from bson import ObjectId
    from bson.errors import InvalidId

    try:
        pk = ObjectId(coupon_id)
    except (InvalidId, TypeError):
        return None
    return Coupon.objects.filter(pk=pk).first()


def coupon_restriction_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(categories, brands) a coupon may be restricted to, as (id, label) pairs: two queries."""
    from truestyle.catalog.models import Brand, Category

    categories = [(str(pk), " › ".join(part.replace("-", " ").title() for part in path.split("/")) if "/" in path
                   else name) for pk, name, path in Category.objects.order_by("path").values_list("pk", "name", "path")]
    brands = [(str(pk), name) for pk, name in Brand.objects.order_by("name").values_list("pk", "name")]
    return categories, brands
