"""Role-matrix inputs of the staff returns pages: URL names, a valid POST body, URL argument factories.

Each return argument is a fresh request ("requested") for a delivered cash-on-delivery order, so
"approve" is a legal move. Field names carry the transition form's prefix ("return-") so they
cannot collide with another area's fields in the shared POST body.
"""

NAMES = {"returns", "return", "return-transition"}
POST_DATA = {"return-to": "approved", "return-note": "Role matrix"}


def _return_number() -> str:
    from truestyle.orders.tests.factories import customer_create
    from truestyle.returns.tests.factories import delivered_order, request_for

    user, address = customer_create(email="matrix-returner@example.com")
    order, user = delivered_order(user=user, address=address)
    return request_for(order, user).number


ARGUMENTS = {"return_number": _return_number}
