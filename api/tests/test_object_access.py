"""Object-level access: every operation that names a shopper's object answers 404 to another shopper.

The walk covers every operation of the schema whose path names an owned object (address,
session, bag line, wishlist item, order). For each, a second signed-in shopper calls it with
the first shopper's ids and a valid body: the answer must be 404 in the one error shape, and
nothing of the first shopper may change. The owner then calls the same operation and must not
get 404, which proves the ids used were real. A new path parameter fails the walk until it is
declared here as owned (and so tested) or as not an object of a shopper. Staff operations act
on other people's objects by design; the role matrix guards those.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from api.tests.schema_walk import operations
from truestyle.accounts import services as account_services
from truestyle.accounts.models import Address, RefreshSession
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.orders.models import Order, OrderEvent
from truestyle.orders.services import PlacementLine, order_place
from truestyle.payments.models import Payment, PaymentLog
from truestyle.returns.models import ReturnEvent, ReturnRequest
from truestyle.returns.tests.factories import delivered_order, request_for
from truestyle.shopping.models import CartLine, WishlistItem
from truestyle.shopping.services import cart_add, cart_get_or_create, wishlist_add

OWNED = {"address_id", "session_id", "variant_id", "item_id", "number", "return_number"}
# Path parameters that do not name a shopper's object.
NOT_OWNED = {"slug": "a public catalogue product", "gateway": "a payment provider's name"}
# Operations meant to act on another shopper's object.
SHARED_OBJECT_PATHS = {"/api/v1/reviews/{review_id}/helpful": "voting on someone else's published review"}
ADDRESS = {"label": "Home", "name": "Intruder", "phone": "9876543210", "line1": "1 Other Road", "line2": "",
           "city": "Mysuru", "state": "Karnataka", "pincode": "570001", "is_default": True}


def _parameters(path: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", path))


def _staff_only(path: str) -> bool:
    """Staff operations act on other people's objects by design; the role matrix guards them."""
    view = resolve(re.sub(r"\{\w+\}", "x", path)).func.view_class
    return path.startswith("/api/v1/staff/") or any(
        hasattr(permission, "staff_permission") for permission in view.permission_classes)


SHOPPER_OPERATIONS = [(method, path, operation) for method, path, operation in operations()
                      if not _staff_only(path)]
OBJECT_OPERATIONS = [(method, path, operation) for method, path, operation in SHOPPER_OPERATIONS
                     if _parameters(path) & OWNED]


def test_every_path_parameter_is_declared_owned_or_not():
    undeclared = {f"{method} {path}": sorted(_parameters(path) - OWNED - set(NOT_OWNED))
                  for method, path, _ in SHOPPER_OPERATIONS
                  if path not in SHARED_OBJECT_PATHS and _parameters(path) - OWNED - set(NOT_OWNED)}

    assert undeclared == {}


def test_the_walk_finds_the_object_operations():
    assert len(OBJECT_OPERATIONS) >= 14


def _client(user) -> APIClient:
    access, _ = account_services.token_pair_issue(user=user, device="test", ip="127.0.0.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def world(db):
    shirt = product_create(name="Oxford Shirt", price="1499.00", mrp="1999.00")
    shirt_m = variant_create(product=shirt, size="M", stock=5)
    tee = product_create(name="Linen Tee", brand="Weft", category="Tees", price="799.00", mrp="799.00")
    tee_s = variant_create(product=tee, colour="Sand", size="S", stock=5)

    owner = user_create(email="owner@example.com")
    address = Address.objects.create(user=owner, name="Asha Rao", phone="9876543210", line1="12 Residency Road",
                                     city="Bengaluru", state="Karnataka", pincode="560001", is_default=True)
    account_services.token_pair_issue(user=owner, device="Owner's phone", ip="127.0.0.1")
    order = order_place(user=owner, lines=[PlacementLine(str(shirt_m.pk), 1, shirt.price)],
                        address_id=str(address.pk), shipping_method="standard", payment_method="cod",
                        coupon_code=None, idempotency_key="owner-1")
    # A second order, delivered, with a return request on it (placing empties the bag).
    delivered, _ = delivered_order(user=owner, address=address, items=[(tee_s, 1)])
    returned = request_for(delivered, owner)
    cart_add(cart=cart_get_or_create(user=owner), variant_id=shirt_m.pk, quantity=2)
    item = wishlist_add(user=owner, product_id=shirt.pk)

    # The intruder has objects of their own, none of them the owner's.
    intruder = user_create(email="intruder@example.com")
    Address.objects.create(user=intruder, name="I", phone="9876543210", line1="1 Road", city="Mysuru",
                           state="Karnataka", pincode="570001")
    cart_add(cart=cart_get_or_create(user=intruder), variant_id=tee_s.pk, quantity=1)
    wishlist_add(user=intruder, product_id=tee.pk)

    ids = {"address_id": str(address.pk), "variant_id": str(shirt_m.pk), "item_id": str(item.pk),
           "number": order.number, "return_number": returned.number,
           "session_id": RefreshSession.objects.get(user=owner, device="Owner's phone").family}
    bodies = {
        ("PUT", "/api/v1/me/addresses/{address_id}"): ADDRESS,
        ("PATCH", "/api/v1/cart/lines/{variant_id}"): {"quantity": 1},
        ("PATCH", "/api/v1/wishlist/{item_id}"): {"notify_price_drop": True},
        ("POST", "/api/v1/wishlist/{item_id}/move-to-cart"): {"variant_id": str(shirt_m.pk), "quantity": 1},
    }
    return {"owner": owner, "intruder": intruder, "ids": ids, "bodies": bodies}


def _owner_state(owner) -> dict:
    orders = Order.objects.filter(user=owner)
    return {
        "addresses": sorted(map(repr, Address.objects.filter(user=owner).values())),
        "sessions": sorted(map(repr, RefreshSession.objects.filter(user=owner).values("family", "revoked_at"))),
        "cart": sorted(map(repr, CartLine.objects.filter(cart__user=owner).values("variant_id", "quantity"))),
        "wishlist": sorted(map(repr, WishlistItem.objects.filter(user=owner).values())),
        "orders": sorted(map(repr, orders.values("number", "status", "updated_at", "tracking_number"))),
        "events": OrderEvent.objects.filter(order__user=owner).count(),
        "payments": sorted(map(repr, Payment.objects.filter(order__user=owner).values("status", "updated_at"))),
        "payment_logs": PaymentLog.objects.count(),
        "returns": sorted(map(repr, ReturnRequest.objects.filter(user=owner).values("number", "status", "updated_at"))),
        "return_events": ReturnEvent.objects.filter(request__user=owner).count(),
    }


def _call(client, method, path, world):
    url = path
    for name, value in world["ids"].items():
        url = url.replace("{" + name + "}", value)
    body = world["bodies"].get((method, path))
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("method", "path", "operation"), OBJECT_OPERATIONS,
                         ids=[f"{method} {path}" for method, path, _ in OBJECT_OPERATIONS])
def test_another_shoppers_object_is_not_found_and_stays_unchanged(world, method, path, operation):
    assert "requestBody" not in operation or (method, path) in world["bodies"], "declare a valid body for it"
    before = _owner_state(world["owner"])

    response = _call(_client(world["intruder"]), method, path, world)

    assert response.status_code == 404, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert _owner_state(world["owner"]) == before

    # The ids were the owner's real objects: the owner reaches them.
    assert _call(_client(world["owner"]), method, path, world).status_code != 404
