"""coupon_save and coupon_deactivate: the staff side of coupons, through the services every front door uses."""

from datetime import datetime
from decimal import Decimal

import pytest

from truestyle.accounts.tests.factories import user_create
from truestyle.core.errors import StoreError
from truestyle.promotions.models import Coupon
from truestyle.promotions.services import CouponRefused, coupon_deactivate, coupon_quote, coupon_save
from truestyle.promotions.tests.factories import brand_create, coupon_create, line

BASE = {"code": " welcome-100 ", "kind": "flat", "value": Decimal("100"), "min_order_value": Decimal("999")}


def test_a_new_coupon_takes_defaults_for_what_is_left_out(db):
    coupon = coupon_save(actor=user_create(), data=BASE)

    stored = Coupon.objects.get(pk=coupon.pk)
    assert (stored.code, stored.kind, stored.value, stored.min_order_value, stored.max_discount) == (
        "WELCOME-100", "flat", Decimal("100.00"), Decimal("999.00"), None)
    assert (stored.usage_limit, stored.per_customer_limit, stored.is_active, stored.category_ids, stored.brand_ids) == (
        None, None, True, [], [])


def test_every_problem_is_reported_at_once_and_nothing_is_written(db):
    with pytest.raises(StoreError) as refusal:
        coupon_save(actor=user_create(), data={
            "code": "", "kind": "percent", "value": Decimal("101"), "min_order_value": Decimal("-1"),
            "valid_from": datetime(2026, 12, 2), "valid_until": datetime(2026, 12, 1),
            "brand_ids": ["0123456789abcdef01234567"], "category_ids": ["nonsense"]})

    assert refusal.value.code == "invalid"
    assert sorted(refusal.value.fields) == ["brand_ids", "category_ids", "code", "min_order_value", "valid_until",
                                            "value"]
    assert Coupon.objects.count() == 0


def test_an_edit_changes_only_the_fields_given(db):
    loom = brand_create("Loom")
    coupon = coupon_create(code="LOOM15", value="15", usage_limit=40, uses=4)

    coupon_save(actor=user_create(), coupon=coupon, data={"brand_ids": [str(loom.pk)], "max_discount": "250"})

    stored = Coupon.objects.get(pk=coupon.pk)
    assert (stored.code, stored.value, stored.usage_limit, stored.uses, stored.brand_ids, stored.max_discount) == (
        "LOOM15", Decimal("15.00"), 40, 4, [str(loom.pk)], Decimal("250.00"))


def test_a_deactivated_coupon_is_refused_and_keeps_its_uses(db):
    coupon = coupon_create(code="LIVE10", uses=3)

    coupon_deactivate(actor=user_create(), coupon=coupon)

    with pytest.raises(CouponRefused) as refusal:
        coupon_quote(code="LIVE10", user=None, lines=[line("500.00")])
    assert refusal.value.code == "coupon_inactive"
    assert (Coupon.objects.get(pk=coupon.pk).is_active, Coupon.objects.get(pk=coupon.pk).uses) == (False, 3)
