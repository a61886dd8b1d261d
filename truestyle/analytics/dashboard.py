"""Figures of the staff dashboard, computed by aggregation in MongoDB, in the store's time zone.

Revenue is what customers committed to pay: orders that left "awaiting payment" and were not
cancelled, counted on the day they were placed (Asia/Kolkata). The figures are cached for
DASHBOARD_CACHE_SECONDS: a dashboard a minute old is fine, and it spares the database the
aggregations on every refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bson import Decimal128
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from truestyle.core.db_router import MONGO_DATABASE

DASHBOARD_CACHE_SECONDS = 60
REVENUE_STATUSES = ["placed", "confirmed", "packed", "shipped", "delivered"]
TOP_PRODUCTS = 5
ZERO = Decimal("0.00")


def store_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _collection(name: str):
    return connections[MONGO_DATABASE].database[name]


def _decimal(value) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, Decimal128):
        value = value.to_decimal()
    return Decimal(value).quantize(Decimal("0.01"))


def day_start(day: date) -> datetime:
    """Midnight of `day` in the store's time zone, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=store_zone())


@dataclass(frozen=True)
class Period:
    """Whole store days, `first` to `last` inclusive."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def store_today() -> date:
    return timezone.now().astimezone(store_zone()).date()


def period_last(days: int, *, today: date | None = None) -> Period:
    today = today or store_today()
    return Period(today - timedelta(days=days - 1), today)


@dataclass
class Dashboard:
    period: Period
    revenue_today: Decimal
    revenue_7_days: Decimal
    revenue_30_days: Decimal
    revenue: Decimal  # in the period
    orders: int  # revenue orders in the period
    average_order_value: Decimal
    orders_by_status: dict[str, int]
    new_customers: int
    return_rate: Decimal  # percent of the period's orders with a return asked for
    low_stock: int
    sales_by_day: list[dict] = field(default_factory=list)  # [{"day": "2026-11-25", "revenue": Decimal, "orders": n}]
    top_products: list[dict] = field(default_factory=list)  # [{"product_id", "name", "revenue", "units"}]
    category_share: list[dict] = field(default_factory=list)  # [{"category", "revenue", "percent"}]


def _revenue_match(start: datetime, end: datetime) -> dict:
    return {"status": {"$in": REVENUE_STATUSES}, "placed_at": {"$gte": start, "$lt": end}}


def _revenue(start: datetime, end: datetime) -> tuple[Decimal, int]:
    rows = list(_collection("orders").aggregate([
        {"$match": _revenue_match(start, end)},
        {"$group": {"_id": None, "revenue": {"$sum": "$total"}, "orders": {"$sum": 1}}},
    ]))
    return (_decimal(rows[0]["revenue"]), rows[0]["orders"]) if rows else (ZERO, 0)


def _orders_by_status(period: Period) -> dict[str, int]:
    rows = _collection("orders").aggregate([
        {"$match": {"created_at": {"$gte": period.start, "$lt": period.end}}},
        {"$group": {"_id": "$status", "orders": {"$sum": 1}}},
    ])
    return {row["_id"]: row["orders"] for row in rows}


def _sales_by_day(period: Period) -> list[dict]:
    rows = _collection("orders").aggregate([
        {"$match": _revenue_match(period.start, period.end)},
        {"$group": {"_id": {"$dateToString": {"format": "%Y-%m-%d", "date": "$placed_at",
                                              "timezone": str(store_zone())}},
                    "revenue": {"$sum": "$total"}, "orders": {"$sum": 1}}},
    ])
    found = {row["_id"]: row for row in rows}
    # Every day of the period, so a day without sales shows as zero instead of vanishing from the chart.
    return [{"day": day.isoformat(), "revenue": _decimal(found.get(day.isoformat(), {}).get("revenue")),
             "orders": found.get(day.isoformat(), {}).get("orders", 0)} for day in period.days]


def _revenue_order_ids(period: Period) -> list:
    return [row["_id"] for row in _collection("orders").find(_revenue_match(period.start, period.end), {"_id": 1})]


def _product_sales(order_ids: list) -> list[dict]:
    if not order_ids:
        return []
    rows = _collection("order_lines").aggregate([
        {"$match": {"order_id": {"$in": order_ids}}},
        {"$group": {"_id": "$product_id", "name": {"$first": "$product_name"}, "revenue": {"$sum": "$line_total"},
                    "units": {"$sum": "$quantity"}}},
    ])
    sales = [{"product_id": row["_id"], "name": row["name"], "revenue": _decimal(row["revenue"]),
              "units": row["units"]} for row in rows]
    return sorted(sales, key=lambda row: (-row["revenue"], row["name"]))


def _category_share(sales: list[dict]) -> list[dict]:
    from bson import ObjectId

    from truestyle.catalog.models import Product

    ids = [ObjectId(row["product_id"]) for row in sales if ObjectId.is_valid(row["product_id"])]
    category_of = {str(pk): name for pk, name in Product.objects.filter(pk__in=ids)
                   .values_list("pk", "category__name")}
    totals: dict[str, Decimal] = {}
    for row in sales:
        name = category_of.get(str(row["product_id"]), "Removed products")
        totals[name] = totals.get(name, ZERO) + row["revenue"]
    whole = sum(totals.values(), ZERO)
    share = [{"category": name, "revenue": amount,
              "percent": (amount * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal("0.0")}
             for name, amount in totals.items()]
    return sorted(share, key=lambda row: (-row["revenue"], row["category"]))


def _new_customers(period: Period) -> int:
    return _collection("users").count_documents({"date_joined": {"$gte": period.start, "$lt": period.end},
                                                 "is_staff": {"$ne": True}})


def _return_rate(order_ids: list) -> Decimal:
    if not order_ids:
        return Decimal("0.0")
    returned = _collection("return_requests").distinct(
        "order_id", {"order_id": {"$in": order_ids}, "status": {"$nin": ["rejected", "cancelled"]}})
    return (Decimal(len(returned)) * 100 / len(order_ids)).quantize(Decimal("0.1"))


def _low_stock() -> int:
    from django.db.models import F

    from truestyle.catalog.models import Variant

    return Variant.objects.filter(stock__lte=F("low_stock_threshold")).count()


def dashboard_figures(*, period: Period, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for `period` (the fixed today / 7 / 30 day revenues end today)."""
    key = f"dashboard:{period.first}:{period.last}:{today or store_today()}"
    try:
        cached = cache.get(key)
    except Exception:
        cached = None  # a cache outage costs a recomputation, not the page
    if cached is not None:
        return cached
    today = today or store_today()
    revenue, orders = _revenue(period.start, period.end)
    order_ids = _revenue_order_ids(period)
    sales = _product_sales(order_ids)
    figures = Dashboard(
        period=period,
        revenue_today=_revenue(day_start(today), day_start(today + timedelta(days=1)))[0],
        revenue_7_days=_revenue(period_last(7, today=today).start, day_start(today + timedelta(days=1)))[0],
        revenue_30_days=_revenue(period_last(30, today=today).start, day_start(today + timedelta(days=1)))[0],
        revenue=revenue,
        orders=orders,
        average_order_value=(revenue / orders).quantize(Decimal("0.01")) if orders else ZERO,
        orders_by_status=_orders_by_status(period),
        new_customers=_new_customers(period),
        return_rate=_return_rate(order_ids),
        low_stock=_low_stock(),
        sales_by_day=_sales_by_day(period),
        top_products=sales[:TOP_PRODUCTS],
        category_share=_category_share(sales),
    )
    try:
        cache.set(key, figures, DASHBOARD_CACHE_SECONDS)
    except Exception:
        pass
    return figures
