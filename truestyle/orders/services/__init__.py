"""Writes for orders: placement, status transitions, expiry and invoices."""

from truestyle.orders.services.invoices import financial_year, invoice_counter_ensure, invoice_issue
from truestyle.orders.services.placement import PlacementLine, order_place
from truestyle.orders.services.transitions import actor_role, order_expire_unpaid, order_transition

__all__ = [
    "PlacementLine", "actor_role", "financial_year", "invoice_counter_ensure", "invoice_issue", "order_expire_unpaid",
    "order_place", "order_transition",
]
