"""The field rules of a coupon, checked once here for every front door (staff pages, API, imports)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime

from truestyle.core.errors import StoreError

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,29}$")
KINDS = ("percent", "flat")
MONEY_MAX = Decimal("99999999.99")


def _money(value, errors: dict, name: str, *, required: bool, minimum: Decimal) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = ["Enter an amount."]
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = ["Enter a number."]
        return None
    if not amount.is_finite() or amount < minimum or amount > MONEY_MAX:
        errors[name] = [f"Enter an amount of at least {minimum}."]
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors[name] = ["Use at most two decimal places."]
        return None
    return amount.quantize(Decimal("0.01"))


def _count(value, errors: dict, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = ["Enter a whole number."]
        return None
    if number < 1:
        errors[name] = ["Enter at least 1, or leave it empty for no limit."]
        return None
    return number


def _moment(value, errors: dict, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        errors[name] = ["Enter a date and time."]
    return parsed


def _ids(value, errors: dict, name: str, model) -> list[str]:
    from bson import ObjectId
    from bson.errors import InvalidId

    ids = [str(item) for item in (value or []) if str(item)]
    try:
        object_ids = [ObjectId(item) for item in ids]
    except (InvalidId, TypeError):
        errors[name] = ["Choose from the list."]
        return []
    found = {str(pk) for pk in model.objects.filter(pk__in=object_ids).values_list("pk", flat=True)}
    if set(ids) - found:
        errors[name] = ["Choose from the list."]
        return []
    return sorted(set(ids))


def coupon_data_clean(*, data: dict, coupon_id=None) -> dict:
    """Check and convert a coupon's fields; raises StoreError("invalid", fields=…) listing every problem.

    Accepts form values (strings) or Python values. `coupon_id` is the coupon being edited, so that
    its own code and uses are taken into account.
    """
    from truestyle.catalog.models import Brand, Category
    from truestyle.promotions.models import Coupon

    errors: dict[str, list[str]] = {}
    code = (data.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        errors["code"] = ["Use 3 to 30 letters, digits, - or _, starting with a letter or digit."]
    elif Coupon.objects.filter(code=code).exclude(pk=coupon_id).exists():
        errors["code"] = ["Another coupon already has this code."]
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = ["Choose percent or flat."]
    value = _money(data.get("value"), errors, "value", required=True, minimum=Decimal("0.01"))
    if kind == "percent" and value is not None and value > 100:
        errors["value"] = ["A percent discount cannot be more than 100."]
    max_discount = _money(data.get("max_discount"), errors, "max_discount", required=False, minimum=Decimal("0.01"))
    if kind == "flat" and max_discount is not None:
        errors["max_discount"] = ["A cap applies only to percent coupons; leave it empty."]
    min_order_value = _money(data.get("min_order_value") or "0", errors, "min_order_value", required=True,
                             minimum=Decimal("0"))
    valid_from = _moment(data.get("valid_from"), errors, "valid_from")
    valid_until = _moment(data.get("valid_until"), errors, "valid_until")
    if valid_from and valid_until and valid_until <= valid_from:
        errors["valid_until"] = ["The end must be after the start."]
    usage_limit = _count(data.get("usage_limit"), errors, "usage_limit")
    per_customer_limit = _count(data.get("per_customer_limit"), errors, "per_customer_limit")
    if usage_limit is not None and per_customer_limit is not None and per_customer_limit > usage_limit:
        errors["per_customer_limit"] = ["It cannot be more than the total usage limit."]
    if usage_limit is not None and coupon_id is not None:
        used = Coupon.objects.filter(pk=coupon_id).values_list("uses", flat=True).first() or 0
        if usage_limit < used:
            errors["usage_limit"] = [f"It has been used {used} times already; enter at least {used}."]
    description = (data.get("description") or "").strip()
    if len(description) > 200:
        errors["description"] = ["Use at most 200 characters."]
    category_ids = _ids(data.get("category_ids"), errors, "category_ids", Category)
    brand_ids = _ids(data.get("brand_ids"), errors, "brand_ids", Brand)
    if errors:
        raise StoreError("Please correct the coupon's details.", code="invalid", fields=errors)
    return {
        "code": code, "description": description, "kind": kind, "value": value, "max_discount": max_discount,
        "min_order_value": min_order_value, "valid_from": valid_from, "valid_until": valid_until,
        "usage_limit": usage_limit, "per_customer_limit": per_customer_limit,
        "is_active": bool(data.get("is_active", True)), "category_ids": category_ids, "brand_ids": brand_ids,
    }
