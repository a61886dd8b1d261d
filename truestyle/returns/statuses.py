"""A return or exchange request's statuses and who may move it where: declared once, here.

`return_transition` is the only code that changes a request's status, and it asks this table
whether the move exists and whether the actor's role may make it.
"""

from __future__ import annotations

from django.db import models


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PICKED_UP = "picked_up", "Picked up"
    RECEIVED = "received", "Received"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Actor:
    """Who is moving the request: the customer who owns the order, or staff."""

    CUSTOMER = "customer"
    STAFF = "staff"  # holds the manage_returns permission


STAFF_PERMISSION = "manage_returns"

S = ReturnStatus
# from status -> {to status: roles allowed to make the move}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.REQUESTED: {
        S.APPROVED: frozenset({Actor.STAFF}),
        S.REJECTED: frozenset({Actor.STAFF}),
        S.CANCELLED: frozenset({Actor.CUSTOMER}),
    },
    S.APPROVED: {
        S.PICKED_UP: frozenset({Actor.STAFF}),
        # The customer may change their mind until the courier has the parcel.
        S.CANCELLED: frozenset({Actor.CUSTOMER}),
    },
    S.PICKED_UP: {
        S.RECEIVED: frozenset({Actor.STAFF}),
    },
    S.RECEIVED: {
        S.COMPLETED: frozenset({Actor.STAFF}),
    },
    S.REJECTED: {},
    S.COMPLETED: {},
    S.CANCELLED: {},
}

# Requests that still count against the line's quantity (and, for an exchange, still hold a unit).
OPEN_STATUSES = frozenset({S.REQUESTED, S.APPROVED, S.PICKED_UP, S.RECEIVED})
# Moves that end a request without the goods coming back: the exchange hold is released.
RELEASING_STATUSES = frozenset({S.REJECTED, S.CANCELLED})


def allowed_moves(status: str) -> dict[str, frozenset[str]]:
    return TRANSITIONS.get(status, {})


def next_statuses_for(status: str, role: str) -> list[str]:
    """The statuses `role` may move a request in `status` to (for buttons on pages)."""
    return [to for to, roles in allowed_moves(status).items() if role in roles]
