"""Placement with the promotions app's coupons and the shopping app's cart (the contract's other side)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from truestyle.catalog.models import StockMovement
from truestyle.core.errors import StoreError
from truestyle.orders.models import Order
from truestyle.orders.services import order_transition, placement
from truestyle.orders.tasks import orders_expire_unpaid
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.promotions.models import Coupon, CouponUse
from truestyle.promotions.tests.factories import coupon_create
from truestyle.shopping.selectors import cart_for_user, cart_item_count
from truestyle.shopping.services import cart_add, cart_get_or_create


def test_a_coupon_discounts_the_order_and_counts_one_use(db):
    user, address = customer_create()
    shirt = stocked_variant(price="1499.00", stock=5)
    coupon_create(code="SAVE10", kind="percent", value="10")

    order = place(user=user, address=address, lines=[line(shirt, 2)], coupon_code=" save10 ")

    assert (order.subtotal, order.discount, order.coupon_code, order.shipping_fee, order.total) == (
        Decimal("2998.00"), Decimal("299.80"), "SAVE10", Decimal("0.00"), Decimal("2698.20"))
    assert Coupon.objects.get(code="SAVE10").uses == 1
    use = CouponUse.objects.get()
    assert (use.order_id, use.discount) == (str(order.pk), Decimal("299.80"))
    invoice_row = order.invoice.lines[0]
    assert (invoice_row["discount"], invoice_row["net"], invoice_row["gst_rate"], invoice_row["tax"]) == (
        "299.80", "2698.20", "5", "128.49")


def test_an_exhausted_coupon_refuses_the_order_and_writes_nothing(db):
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    coupon_create(code="LAST1", kind="flat", value="100", usage_limit=1, uses=1)

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(shirt)], coupon_code="LAST1")

    assert (refusal.value.code, refusal.value.message) == ("coupon_exhausted", "This coupon is no longer available.")
    assert Order.objects.count() == 0 == CouponUse.objects.count()
    assert Coupon.objects.get(code="LAST1").uses == 1
    assert stock_of(shirt) == 5 == ledger_sum(shirt)


def test_a_failure_after_the_stock_is_taken_gives_the_coupon_use_back_too(db, monkeypatch):
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    coupon_create(code="SAVE10", usage_limit=5)
    monkeypatch.setattr(placement, "_order_records_create", lambda **kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        place(user=user, address=address, lines=[line(shirt, 2)], coupon_code="SAVE10")

    assert Coupon.objects.get(code="SAVE10").uses == 0
    assert CouponUse.objects.count() == 0 == Order.objects.count()
    assert stock_of(shirt) == 5 == ledger_sum(shirt)
    assert StockMovement.objects.filter(reason="sale").count() == 0


def test_cancelling_returns_the_coupon_use(db):
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    coupon_create(code="SAVE10", usage_limit=1)
    order = place(user=user, address=address, lines=[line(shirt)], coupon_code="SAVE10")

    order_transition(order=order, to="cancelled", actor=user)

    assert Coupon.objects.get(code="SAVE10").uses == 0
    assert CouponUse.objects.get(order_id=str(order.pk)).released_at is not None
    # The use is free again for the next order.
    assert place(user=user, address=address, lines=[line(shirt)], coupon_code="SAVE10").discount == Decimal("149.90")


def test_expiry_returns_the_coupon_use(db):
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    coupon_create(code="SAVE10")
    order = place(user=user, address=address, lines=[line(shirt)], coupon_code="SAVE10", payment_method="card")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert orders_expire_unpaid.delay().get() == 1

    assert Coupon.objects.get(code="SAVE10").uses == 0
    assert stock_of(shirt) == 5 == ledger_sum(shirt)


def test_placing_the_order_empties_the_customers_bag(db):
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)

    place(user=user, address=address, lines=[line(shirt, 2)])

    assert cart_item_count(cart=cart_for_user(user=user)) == 0
