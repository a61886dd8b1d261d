"""Coupons: quoting a discount, redeeming it inside an order's transaction, giving it back, and staff edits.

The rules, in the order they are checked (the first that fails is the refusal):

1. the code exists (case-insensitive) — "coupon_not_found";
2. it is active — "coupon_inactive";
3. it has started (valid_from) — "coupon_not_started"; it has not ended (valid_until) — "coupon_expired";
4. uses are left (usage_limit) — "coupon_exhausted";
5. the whole subtotal reaches min_order_value — "coupon_min_order";
6. some lines match its category / brand restriction — "coupon_not_applicable";
7. the customer has uses left (per_customer_limit) — "coupon_customer_limit".

The discount is taken from the ELIGIBLE amount (the lines matching the restriction): a percent
of it, rounded half-up to the paisa and capped by max_discount; or a flat amount, never more
than it. So the discount never exceeds what it applies to and a total never goes below zero.

Counting a use is safe under concurrency without relying on the transaction's isolation: the
total is a conditional single-document update (`uses < usage_limit`) and the per-customer count
is a conditional update of one (coupon, user) counter document with a unique constraint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F
from django.utils import timezone

from truestyle.core.errors import StoreError
from truestyle.core.transactions import run_in_mongo_transaction
from truestyle.promotions.models import Coupon, CouponCustomerUses, CouponUse
from truestyle.promotions.validation import coupon_data_clean

CENT = Decimal("0.01")
EXHAUSTED_MESSAGE = "This coupon is no longer available."


@dataclass(frozen=True)
class CouponLine:
    """One cart/order line as a coupon sees it."""

    product_id: str
    category_id: str
    brand_id: str
    amount: Decimal  # line total at the price charged (INR)


@dataclass(frozen=True)
class CouponQuote:
    coupon_id: str
    code: str  # normalised (upper-case)
    discount: Decimal  # INR, 2 places, never more than the eligible amount


class CouponRefused(StoreError):
    """The coupon cannot be used here; `code` says why (see the module docstring)."""

    code = "coupon_refused"
    status = 409


def coupon_code_normalise(code: str | None) -> str:
    return (code or "").strip().upper()


def _refuse(code: str, message: str) -> CouponRefused:
    return CouponRefused(message, code=code, fields={"coupon_code": [message]})


def _category_matches(coupon: Coupon, lines: Sequence[CouponLine]) -> set[str]:
    """The line category ids that fall under the coupon's categories (a category includes its subtree)."""
    from truestyle.catalog.models import Category

    if not coupon.category_ids:
        return {line.category_id for line in lines}
    wanted = set(coupon.category_ids) | {line.category_id for line in lines}
    paths = {str(pk): path for pk, path in Category.objects.filter(pk__in=list(wanted)).values_list("pk", "path")}
    allowed = [paths[pk] for pk in coupon.category_ids if pk in paths]
    return {
        line.category_id for line in lines
        if line.category_id in paths
        and any(paths[line.category_id] == root or paths[line.category_id].startswith(root + "/") for root in allowed)
    }


def coupon_eligible_amount(*, coupon: Coupon, lines: Sequence[CouponLine]) -> Decimal:
    """The part of the lines' total that the coupon's category / brand restriction covers."""
    categories = _category_matches(coupon, lines)
    brands = set(coupon.brand_ids)
    return sum((line.amount for line in lines
                if line.category_id in categories and (not brands or line.brand_id in brands)), Decimal("0"))


def coupon_discount(*, coupon: Coupon, eligible: Decimal) -> Decimal:
    """The discount on an eligible amount: never below zero, never above the eligible amount."""
    if eligible <= 0:
        return Decimal("0.00")
    if coupon.kind == Coupon.Kind.PERCENT:
        discount = (eligible * coupon.value / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
        if coupon.max_discount is not None:
            discount = min(discount, coupon.max_discount)
    else:
        discount = coupon.value
    return max(Decimal("0.00"), min(discount, eligible)).quantize(CENT)


def _customer_uses(coupon: Coupon, user) -> int:
    counter = CouponCustomerUses.objects.filter(coupon=coupon, user_id=user.pk).values_list("uses", flat=True).first()
    return counter or 0


def _check(*, code: str, user, lines: Sequence[CouponLine]) -> tuple[Coupon, CouponQuote]:
    normalised = coupon_code_normalise(code)
    coupon = Coupon.objects.filter(code=normalised).first() if normalised else None
    if coupon is None:
        raise _refuse("coupon_not_found", "We do not know that coupon code.")
    if not coupon.is_active:
        raise _refuse("coupon_inactive", "This coupon is not active.")
    now = timezone.now()
    if coupon.valid_from and now < coupon.valid_from:
        raise _refuse("coupon_not_started", "This coupon cannot be used yet.")
    if coupon.valid_until and now >= coupon.valid_until:
        raise _refuse("coupon_expired", "This coupon has expired.")
    if coupon.usage_limit is not None and coupon.uses >= coupon.usage_limit:
        raise _refuse("coupon_exhausted", EXHAUSTED_MESSAGE)
    subtotal = sum((line.amount for line in lines), Decimal("0"))
    if subtotal < coupon.min_order_value:
        raise _refuse("coupon_min_order", f"This coupon needs an order of at least ₹{coupon.min_order_value:,.2f}.")
    eligible = coupon_eligible_amount(coupon=coupon, lines=lines)
    if eligible <= 0:
        raise _refuse("coupon_not_applicable", "This coupon does not apply to anything in your bag.")
    if (user is not None and getattr(user, "is_authenticated", False) and coupon.per_customer_limit is not None
            and _customer_uses(coupon, user) >= coupon.per_customer_limit):
        raise _refuse("coupon_customer_limit", "You have already used this coupon as often as it allows.")
    return coupon, CouponQuote(coupon_id=str(coupon.pk), code=coupon.code,
                               discount=coupon_discount(coupon=coupon, eligible=eligible))


def coupon_quote(*, code: str, user, lines: Sequence[CouponLine]) -> CouponQuote:
    """The discount `code` would give on `lines` for `user` (None or anonymous: no per-customer check).

    Reads only. Raises CouponRefused with one of the codes of the module docstring.
    """
    return _check(code=code, user=user, lines=lines)[1]


def _customer_use_take(coupon: Coupon, user) -> bool:
    """Count one use for this customer if their limit allows; False when it does not."""
    counters = CouponCustomerUses.objects.filter(coupon=coupon, user_id=user.pk)
    if coupon.per_customer_limit is not None:
        counters = counters.filter(uses__lt=coupon.per_customer_limit)
    if counters.update(uses=F("uses") + 1) == 1:
        return True
    if CouponCustomerUses.objects.filter(coupon=coupon, user_id=user.pk).exists():
        return False
    if coupon.per_customer_limit == 0:
        return False
    # First use by this customer. Two first uses at once collide on the unique constraint; inside
    # a MongoDB transaction that is a write conflict, and the whole placement runs again.
    CouponCustomerUses.objects.create(coupon=coupon, user_id=user.pk, uses=1)
    return True


def _customer_use_give_back(coupon_id, user_id) -> None:
    CouponCustomerUses.objects.filter(coupon_id=coupon_id, user_id=user_id, uses__gt=0).update(uses=F("uses") - 1)


def coupon_redeem(*, code: str, user, lines: Sequence[CouponLine], order_id: str) -> CouponQuote:
    """Use the coupon for `order_id`: count the use and record it; returns the discount granted.

    Call it inside the order placement's MongoDB transaction (it joins it; alone, it runs in its
    own). Every rule of `coupon_quote` is checked again; the use is counted with conditional
    single-document updates, so usage_limit and per_customer_limit hold under any concurrency.
    A refusal (CouponRefused) leaves no write of its own behind, even if the caller's transaction
    were to commit anyway.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.pk:
        raise StoreError("Sign in to use a coupon.", code="sign_in_required", status=401)
    order_id = str(order_id)

    def redeem() -> CouponQuote:
        coupon, quote = _check(code=code, user=user, lines=lines)
        if not _customer_use_take(coupon, user):
            raise _refuse("coupon_customer_limit", "You have already used this coupon as often as it allows.")
        total = Coupon.objects.filter(pk=coupon.pk, is_active=True)
        if coupon.usage_limit is not None:
            total = total.filter(uses__lt=F("usage_limit"))
        if total.update(uses=F("uses") + 1) != 1:
            # Someone took the last use since we read the coupon: undo our customer count first.
            _customer_use_give_back(coupon.pk, user.pk)
            raise _refuse("coupon_exhausted", EXHAUSTED_MESSAGE)
        CouponUse.objects.create(coupon=coupon, user_id=user.pk, order_id=order_id, discount=quote.discount)
        return quote

    return run_in_mongo_transaction(redeem)


def coupon_release(*, order_id: str) -> bool:
    """Give back the coupon use of `order_id` (order expired or cancelled before shipping).

    Idempotent: True only for the call that actually returned a use.
    """

    def release() -> bool:
        use = CouponUse.objects.filter(order_id=str(order_id), released_at__isnull=True).first()
        if use is None:
            return False
        # Claim the release first: two concurrent releases give the use back once.
        if CouponUse.objects.filter(pk=use.pk, released_at__isnull=True).update(released_at=timezone.now()) != 1:
            return False
        Coupon.objects.filter(pk=use.coupon_id, uses__gt=0).update(uses=F("uses") - 1)
        _customer_use_give_back(use.coupon_id, use.user_id)
        return True

    return run_in_mongo_transaction(release)


# --- Staff ------------------------------------------------------------------------------------

EDITABLE_FIELDS = ("code", "description", "kind", "value", "max_discount", "min_order_value", "valid_from",
                   "valid_until", "usage_limit", "per_customer_limit", "is_active", "category_ids", "brand_ids")


def _snapshot(coupon: Coupon) -> dict:
    return {name: (str(value) if value is not None and not isinstance(value, (bool, int, list)) else value)
            for name in EDITABLE_FIELDS for value in [getattr(coupon, name)]}


def coupon_save(*, actor, data: dict, coupon: Coupon | None = None, ip: str = "") -> Coupon:
    """Create a coupon (coupon=None) or edit one, after checking every field rule.

    `data` holds the EDITABLE_FIELDS (missing ones keep their value, or the default for a new
    coupon). Refuses with StoreError code "invalid" and per-field messages, writing nothing.
    The code is stored upper-case and must be unused (case-insensitive).
    """
    from django.db import IntegrityError

    from truestyle.auditlog.services import audit_record

    current = {name: getattr(coupon, name) for name in EDITABLE_FIELDS} if coupon is not None else {}
    cleaned = coupon_data_clean(data={**current, **data}, coupon_id=coupon.pk if coupon else None)
    before = _snapshot(coupon) if coupon is not None else None
    target = coupon or Coupon()
    for name, value in cleaned.items():
        setattr(target, name, value)
    try:
        target.save()
    except IntegrityError:
        message = "Another coupon already has this code."
        raise StoreError(message, code="invalid", fields={"code": [message]})
    audit_record(actor=actor, action="coupon.updated" if before else "coupon.created", object_type="coupon",
                 object_id=str(target.pk), before=before, after=_snapshot(target), ip=ip)
    return target


def coupon_deactivate(*, actor, coupon: Coupon, ip: str = "") -> Coupon:
    """Switch a coupon off: it is refused from now on ("coupon_inactive"); past uses stay."""
    from truestyle.auditlog.services import audit_record

    if Coupon.objects.filter(pk=coupon.pk, is_active=True).update(is_active=False) == 1:
        audit_record(actor=actor, action="coupon.deactivated", object_type="coupon", object_id=str(coupon.pk),
                     before={"is_active": True}, after={"is_active": False}, ip=ip)
    coupon.refresh_from_db()
    return coupon
