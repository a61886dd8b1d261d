"""What must still add up after any amount of concurrent shopping (the soak's verdict).

- stock: every variant's stock equals the sum of its ledger movements, and never went below zero;
- sales: the units the ledger sold ("sale" minus "return" movements with an order reference) equal
  the units on the order lines of the orders that were not cancelled;
- coupons: each coupon's `uses` equals its live redemptions, equals the orders placed with it, and
  never passes its use limit;
- orders: each order's subtotal is the sum of its lines (unit price × quantity), and its total is
  subtotal − discount + shipping.

Each check reads whole collections: meant for the benchmark dataset and test data, not for a
production database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from truestyle.catalog.models import StockMovement, Variant
from truestyle.orders.models import Order, OrderLine
from truestyle.promotions.models import Coupon, CouponUse


@dataclass
class Verdict:
    orders: int = 0
    units_sold: int = 0
    coupon_uses: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems


def store_invariants_check() -> Verdict:
    verdict = Verdict()
    _stock_check(verdict)
    cancelled = set(Order.objects.filter(status="cancelled").values_list("number", flat=True))
    _sales_check(verdict, cancelled)
    _coupons_check(verdict, cancelled)
    _totals_check(verdict)
    return verdict


def _stock_check(verdict: Verdict) -> None:
    ledger = Counter()
    for variant_id, delta in StockMovement.objects.values_list("variant_id", "delta"):
        ledger[str(variant_id)] += delta
    for variant_id, sku, stock in Variant.objects.values_list("pk", "sku", "stock"):
        if stock < 0:
            verdict.problems.append(f"{sku}: stock {stock} is below zero")
        if ledger[str(variant_id)] != stock:
            verdict.problems.append(f"{sku}: stock {stock} but the ledger adds up to {ledger[str(variant_id)]}")


def _sales_check(verdict: Verdict, cancelled: set[str]) -> None:
    sold_by_ledger = Counter()
    for variant_id, delta, reason, reference in StockMovement.objects.filter(
            reason__in=["sale", "return"]).values_list("variant_id", "delta", "reason", "reference"):
        if reference and reference not in cancelled:
            sold_by_ledger[str(variant_id)] -= delta
    sold_by_orders = Counter()
    for variant_id, quantity, number in OrderLine.objects.values_list("variant_id", "quantity", "order__number"):
        if number not in cancelled:
            sold_by_orders[str(variant_id)] += quantity
    verdict.units_sold = sum(sold_by_orders.values())
    for variant_id in set(sold_by_ledger) | set(sold_by_orders):
        if sold_by_ledger[variant_id] != sold_by_orders[variant_id]:
            verdict.problems.append(f"variant {variant_id}: the ledger sold {sold_by_ledger[variant_id]}, "
                                    f"the orders hold {sold_by_orders[variant_id]}")


def _coupons_check(verdict: Verdict, cancelled: set[str]) -> None:
    live_uses = Counter(str(coupon_id) for coupon_id in
                        CouponUse.objects.filter(released_at__isnull=True).values_list("coupon_id", flat=True))
    orders_with = Counter(code.upper() for code in Order.objects.exclude(coupon_code="").exclude(
        status="cancelled").values_list("coupon_code", flat=True))
    for coupon in Coupon.objects.all():
        verdict.coupon_uses += coupon.uses
        if coupon.uses != live_uses[str(coupon.pk)]:
            verdict.problems.append(f"{coupon.code}: uses {coupon.uses}, live redemptions {live_uses[str(coupon.pk)]}")
        if coupon.uses != orders_with[coupon.code]:
            verdict.problems.append(f"{coupon.code}: uses {coupon.uses}, orders with it {orders_with[coupon.code]}")
        if coupon.usage_limit is not None and coupon.uses > coupon.usage_limit:
            verdict.problems.append(f"{coupon.code}: {coupon.uses} uses past its limit of {coupon.usage_limit}")


def _totals_check(verdict: Verdict) -> None:
    lines = defaultdict(list)
    for order_id, unit_price, quantity, line_total in OrderLine.objects.values_list(
            "order_id", "unit_price", "quantity", "line_total"):
        lines[order_id].append((unit_price, quantity, line_total))
    for order in Order.objects.only("pk", "number", "subtotal", "discount", "shipping_fee", "total"):
        verdict.orders += 1
        own = lines.get(order.pk, [])
        if not own:
            verdict.problems.append(f"{order.number}: an order without lines")
        for unit_price, quantity, line_total in own:
            if unit_price * quantity != line_total:
                verdict.problems.append(f"{order.number}: a line of {quantity} × {unit_price} totals {line_total}")
        subtotal = sum((line_total for _, _, line_total in own), start=0)
        if subtotal != order.subtotal:
            verdict.problems.append(f"{order.number}: subtotal {order.subtotal}, lines add up to {subtotal}")
        if order.subtotal - order.discount + order.shipping_fee != order.total:
            verdict.problems.append(f"{order.number}: total {order.total} ≠ {order.subtotal} − {order.discount} "
                                    f"+ {order.shipping_fee}")
