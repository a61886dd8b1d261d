"""Role-matrix inputs of the staff order pages: URL names, a valid POST body, URL argument factories.

The order is a cash-on-delivery order (placed, invoiced at placement), so the invoice downloads and
"confirm" is a legal move. Field names carry the transition form's prefix ("transition-") so they
cannot collide with another area's fields in the shared POST body.
"""

NAMES = {"orders", "order", "order-transition", "order-invoice"}
POST_DATA = {"transition-from_status": "placed", "transition-to": "confirmed", "transition-note": "Role matrix"}


def _order_number() -> str:
    from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant

    user, address = customer_create(email="matrix-buyer@example.com")
    variant = stocked_variant(name="Matrix Kurta", stock=3)
    return place(user=user, address=address, lines=[line(variant)]).number


ARGUMENTS = {"order_number": _order_number}
