"""Return policy and refund arithmetic: which items may come back, until when, and for how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from truestyle.orders.pricing import money
from truestyle.returns.models import DEFAULT_WINDOW_DAYS, ReturnRule


@dataclass(frozen=True)
class Policy:
    returnable: bool
    window_days: int


DEFAULT_POLICY = Policy(returnable=True, window_days=DEFAULT_WINDOW_DAYS)


def policy_for_category(category) -> Policy:
    """The rule of the deepest category from `category` up to the root that has one, else the default."""
    if category is None:
        return DEFAULT_POLICY
    parts = category.path.split("/")
    # "men/innerwear/briefs" -> "men", "men/innerwear", "men/innerwear/briefs": the node and its ancestors.
    paths = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
    rules = list(ReturnRule.objects.select_related("category").filter(category__path__in=paths))
    if not rules:
        return DEFAULT_POLICY
    nearest = max(rules, key=lambda rule: len(rule.category.path))
    return Policy(returnable=nearest.returnable, window_days=nearest.window_days)


def policy_for_line(line) -> Policy:
    from truestyle.catalog.models import Product

    product = Product.objects.select_related("category").filter(pk=line.product_id).first()
    return policy_for_category(product.category if product else None)


def line_paid(*, order, line) -> Decimal:
    """What the customer paid for all units of `line`: its total less its share of the coupon discount.

    The discount is shared pro rata by line total, in line order, the last line taking what the
    rounding of the others left, so the shares add up to the order's discount exactly.
    """
    if not order.discount:
        return line.line_total
    lines = list(order.lines.order_by("position"))
    subtotal = sum((item.line_total for item in lines), Decimal("0"))
    remaining = order.discount
    for position, item in enumerate(lines):
        share = remaining if position == len(lines) - 1 else money(order.discount * item.line_total / subtotal)
        remaining -= share
        if item.pk == line.pk:
            return item.line_total - share
    raise ValueError("The line does not belong to the order.")


def refund_for_units(*, order, line, quantity: int, already_refunded_units: int = 0) -> Decimal:
    """The refund of `quantity` units of `line` when `already_refunded_units` were refunded before.

    Figured cumulatively (paid for the first n+q units minus paid for the first n), so however a
    line comes back, one unit at a time or all at once, its refunds add up to exactly what was paid.
    """
    paid = line_paid(order=order, line=line)
    before = money(paid * already_refunded_units / line.quantity)
    after = money(paid * (already_refunded_units + quantity) / line.quantity)
    return after - before
