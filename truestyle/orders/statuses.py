"""An order's statuses and who may move it where: declared once, here.

`order_transition` is the only code that changes an order's status, and it asks
this table whether the move exists and whether the actor's role may make it.
"""

from __future__ import annotations

from django.db import models


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Awaiting payment"
    PLACED = "placed", "Placed"
    CONFIRMED = "confirmed", "Confirmed"
    PACKED = "packed", "Packed"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class Actor:
    """Who is moving the order: the store itself, the order's own customer, or staff."""

    SYSTEM = "system"  # payment callbacks, expiry of unpaid orders
    CUSTOMER = "customer"
    STAFF = "staff"  # holds the manage_orders permission


STAFF_PERMISSION = "manage_orders"

S = OrderStatus
# from status -> {to status: roles allowed to make the move}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.PENDING_PAYMENT: {
        S.PLACED: frozenset({Actor.SYSTEM}),
        S.CANCELLED: frozenset({Actor.SYSTEM, Actor.CUSTOMER, Actor.STAFF}),
    },
    S.PLACED: {
        S.CONFIRMED: frozenset({Actor.STAFF}),
        S.CANCELLED: frozenset({Actor.SYSTEM, Actor.CUSTOMER, Actor.STAFF}),
    },
    S.CONFIRMED: {
        S.PACKED: frozenset({Actor.STAFF}),
        S.CANCELLED: frozenset({Actor.SYSTEM, Actor.CUSTOMER, Actor.STAFF}),
    },
    S.PACKED: {
        S.SHIPPED: frozenset({Actor.STAFF}),
        S.CANCELLED: frozenset({Actor.SYSTEM, Actor.CUSTOMER, Actor.STAFF}),
    },
    S.SHIPPED: {
        S.DELIVERED: frozenset({Actor.STAFF}),
    },
    S.DELIVERED: {},
    S.CANCELLED: {},
}

# Moves that mail the customer once committed.
EMAILED_STATUSES = frozenset({S.PLACED, S.SHIPPED, S.DELIVERED, S.CANCELLED})
# Statuses in which the goods have not left the warehouse: cancelling returns the stock.
BEFORE_SHIPPING = frozenset({S.PENDING_PAYMENT, S.PLACED, S.CONFIRMED, S.PACKED})


def allowed_moves(status: str) -> dict[str, frozenset[str]]:
    return TRANSITIONS.get(status, {})


def next_statuses_for(status: str, role: str) -> list[str]:
    """The statuses `role` may move an order in `status` to (for buttons on pages)."""
    return [to for to, roles in allowed_moves(status).items() if role in roles]
