"""Property-based test of every API operation against the API's own OpenAPI schema (schemathesis).

The schema is fetched from /api/v1/schema/ of a live server and every operation is
called over real HTTP, anonymously and signed in (a shopper with a JWT for the
shopper's operations, a store administrator for /api/v1/staff/), on a small seeded
catalogue. Each response must not be a server error, must have a status code the
schema documents for that operation, and must match the documented body.

Bounded and reproducible: a fixed number of examples per operation, a per-example
deadline, derandomized generation (Hypothesis seeds from the test's own code) and no
example database, so CI runs the same requests every time. Nothing is excluded:
operations that end sessions (sign out everywhere, logout, password change, blocking)
cannot break the rest of the run because every operation gets a fresh token, and the
staff actions target a customer of their own, never the administrator who calls them.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import schemathesis
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from truestyle.accounts import services
from truestyle.accounts.models import RefreshSession, User
from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.tests.factories import occasion_create, product_create, variant_create
from truestyle.orders.services import PlacementLine, order_place
from truestyle.returns.tests.factories import delivered_order, request_for
from truestyle.shopping.services import cart_add, cart_get_or_create, wishlist_add

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Examples per operation and caller: about 1,300 requests, ~100 s of the test's ~2.5 min on 2 busy cores.
# SCHEMATHESIS_MAX_EXAMPLES=200 explores deeper by hand (positive examples; negative get half).
_POSITIVE = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
EXAMPLES = {GenerationMode.POSITIVE: _POSITIVE, GenerationMode.NEGATIVE: max(1, _POSITIVE // 2)}
pytestmark = [pytest.mark.slow, pytest.mark.timeout(max(290, 25 * _POSITIVE))]
SETTINGS = hypothesis_settings(
    deadline=timedelta(seconds=15),  # one request on a loaded CI machine; a hung request fails the example
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported with its curl command
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def _seed() -> dict:
    """A small catalogue, a shopper with an address, a second device, an order, a delivered order with a
    return request, a bag line and a wishlist item, an administrator, a customer."""
    shirt = product_create(name="Oxford Shirt", brand="Loom", price="1499.00", mrp="1999.00")
    shirt.occasions.set([occasion_create("Office")])
    shirt_m = variant_create(product=shirt, colour="Indigo", size="M", stock=3)
    variant_create(product=shirt, colour="Indigo", size="L", stock=0)
    tee = product_create(name="Linen Tee", brand="Weft", category="Tees", price="799.00", mrp="799.00")
    tee_s = variant_create(product=tee, colour="Sand", hex="#D8C7A5", size="S", stock=5)

    shopper = user_create(email="fuzz-shopper@example.com")
    address = services.address_create(user=shopper, values={
        "label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "line2": "",
        "city": "Bengaluru", "state": "Karnataka", "pincode": "560001"})
    services.token_pair_issue(user=shopper, device="Old tablet", ip="127.0.0.1")
    # The shopper's own objects, so the cart, wishlist and order operations reach their success paths:
    # a cash-on-delivery order (with its invoice), then a bag line and a wishlist item.
    order = order_place(user=shopper, lines=[PlacementLine(str(shirt_m.pk), 1, shirt.price)],
                        address_id=str(address.pk), shipping_method="standard", payment_method="cod",
                        coupon_code=None, idempotency_key="fuzz-seed")
    # A second order, delivered, with a return of one of its two tees (placing an order empties the bag).
    delivered, _ = delivered_order(user=shopper, address=address, items=[(tee_s, 2)])
    returned = request_for(delivered, shopper)
    cart_add(cart=cart_get_or_create(user=shopper), variant_id=tee_s.pk, quantity=1)
    item = wishlist_add(user=shopper, product_id=shirt.pk)
    admin = user_create(email="fuzz-admin@example.com")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    customer = user_create(email="fuzz-customer@example.com")
    return {"shopper": User.objects.get(pk=shopper.pk), "admin": User.objects.get(pk=admin.pk),
            "path": {"slug": shirt.slug, "address_id": str(address.pk), "user_id": str(customer.pk),
                     "session_id": RefreshSession.objects.get(user=shopper, device="Old tablet").family,
                     "variant_id": str(tee_s.pk), "item_id": str(item.pk), "number": order.number,
                     "gateway": "sandbox", "return_number": returned.number}}


def _bearer(user: User) -> dict:
    access, _ = services.token_pair_issue(user=user, device="schemathesis", ip="127.0.0.1")
    return {"Authorization": f"Bearer {access}"}


def _exercise(operation, *, mode, headers, path_parameters, base_url) -> str | None:
    """Run one operation for one caller; the failure as text, or None."""
    fixed = {name: value for name, value in path_parameters.items() if "{" + name + "}" in operation.path}

    @hypothesis_settings(SETTINGS, max_examples=EXAMPLES[mode])
    @given(case=operation.as_strategy(generation_mode=mode,
                                      path_parameters=fixed if mode == GenerationMode.POSITIVE else None))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except Unsatisfiable as error:
        # Negative mode has nothing to break in an operation without parameters or body (or with a free-form one).
        if mode == GenerationMode.POSITIVE:
            return f"{operation.label} [positive]: no example could be generated: {error}"
    # Every failing operation is reported, not only the first (schemathesis' FailureGroup is a BaseExceptionGroup).
    except (Exception, BaseExceptionGroup) as error:
        return f"{operation.label} [{mode.value}]: {error}"
    return None


def test_every_operation_conforms_to_the_schema(db, live_server):
    seeded = _seed()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json", timeout=30)
    failures, runs = [], 0

    for result in schema.get_all_operations():
        operation = result.ok()
        staff = operation.path.startswith("/api/v1/staff/")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            callers = [{}, _bearer(seeded["admin"] if staff else seeded["shopper"])]
            for headers in callers:
                runs += 1
                failure = _exercise(operation, mode=mode, headers=headers, path_parameters=seeded["path"],
                                    base_url=live_server.url)
                if failure:
                    failures.append(("signed in: " if headers else "anonymous: ") + failure)

    assert runs >= 30 * 4  # every operation, both modes, both callers
    assert failures == [], "\n\n".join(failures)
