"""Dashboard figures, checked against orders made in the test, in the store's time zone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connections

from truestyle.analytics.dashboard import dashboard_figures, day_start, period_last, store_today
from truestyle.catalog.models import Variant
from truestyle.orders.models import Order
from truestyle.orders.services import order_transition
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant


def _placed(order, when):
    Order.objects.filter(pk=order.pk).update(placed_at=when, created_at=when)


def _store(today):
    asha, asha_home = customer_create()
    ravi, ravi_home = customer_create(email="ravi@example.com")
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=20)
    kurta = stocked_variant(name="Cotton Kurta", price="799.00", stock=20, category="Kurtas")
    # 00:30 in Kolkata is 19:00 UTC the day before: it belongs to today.
    first = place(user=asha, address=asha_home, lines=[line(shirt)])
    _placed(first, day_start(today) + timedelta(minutes=30))
    second = place(user=ravi, address=ravi_home, lines=[line(kurta, 2)])
    _placed(second, day_start(today - timedelta(days=3)) + timedelta(hours=15))
    third = place(user=asha, address=asha_home, lines=[line(shirt)])
    _placed(third, day_start(today - timedelta(days=10)) + timedelta(hours=11))
    unpaid = place(user=ravi, address=ravi_home, lines=[line(shirt)], payment_method="upi")
    cancelled = place(user=asha, address=asha_home, lines=[line(kurta)])
    order_transition(order=cancelled, to="cancelled", actor=asha, note="Changed my mind")
    old = place(user=asha, address=asha_home, lines=[line(kurta)])
    _placed(old, day_start(today - timedelta(days=45)))
    returns = connections["mongodb"].database["return_requests"]
    returns.insert_many([{"order_id": first.pk, "status": "requested"},
                         {"order_id": second.pk, "status": "rejected"}])
    Variant.objects.update(low_stock_threshold=0)
    Variant.objects.filter(pk=kurta.pk).update(low_stock_threshold=17)
    return first, second, third, unpaid, cancelled


def test_the_figures_add_up_for_the_last_30_days(db):
    today = store_today()
    _store(today)

    figures = dashboard_figures(period=period_last(30, today=today), today=today)

    assert figures.revenue_today == Decimal("1499.00")
    assert figures.revenue_7_days == Decimal("3097.00")
    assert figures.revenue_30_days == Decimal("4596.00")
    assert (figures.revenue, figures.orders) == (Decimal("4596.00"), 3)
    assert figures.average_order_value == Decimal("1532.00")
    assert figures.orders_by_status == {"placed": 3, "pending_payment": 1, "cancelled": 1}
    assert figures.new_customers == 2
    assert figures.return_rate == Decimal("33.3")
    assert figures.low_stock == 1  # the kurta: 17 left after 3 sold (one cancellation gave its unit back), at its threshold
    assert [(row["name"], row["revenue"], row["units"]) for row in figures.top_products] == [
        ("Oxford Shirt", Decimal("2998.00"), 2), ("Cotton Kurta", Decimal("1598.00"), 2)]
    assert [(row["category"], row["revenue"], row["percent"]) for row in figures.category_share] == [
        ("Shirts", Decimal("2998.00"), Decimal("65.2")), ("Kurtas", Decimal("1598.00"), Decimal("34.8"))]
    by_day = {row["day"]: (row["revenue"], row["orders"]) for row in figures.sales_by_day}
    assert len(figures.sales_by_day) == 30
    assert by_day[today.isoformat()] == (Decimal("1499.00"), 1)
    assert by_day[(today - timedelta(days=3)).isoformat()] == (Decimal("1598.00"), 1)
    assert by_day[(today - timedelta(days=10)).isoformat()] == (Decimal("1499.00"), 1)
    assert sum(revenue for revenue, _ in by_day.values()) == Decimal("4596.00")


def test_a_narrow_period_counts_only_its_own_days_and_an_empty_one_is_all_zero(db):
    today = store_today()
    _store(today)

    last_week = dashboard_figures(period=period_last(7, today=today), today=today)
    cache.clear()
    long_ago = dashboard_figures(period=period_last(7, today=today - timedelta(days=100)), today=today)

    assert (last_week.revenue, last_week.orders, last_week.average_order_value) == (Decimal("3097.00"), 2,
                                                                                    Decimal("1548.50"))
    assert [row["name"] for row in last_week.top_products] == ["Cotton Kurta", "Oxford Shirt"]
    assert (long_ago.revenue, long_ago.orders, long_ago.average_order_value) == (Decimal("0.00"), 0,
                                                                               Decimal("0.00"))
    assert long_ago.top_products == [] and long_ago.category_share == []
    assert long_ago.return_rate == Decimal("0.0")
    assert long_ago.revenue_today == Decimal("1499.00")  # the fixed windows always end today
