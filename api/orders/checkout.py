"""The checkout quote and the order's API shape, composed from the domain's own money rules.

The figures come from the same functions order placement uses (shipping_fee, coupon_quote,
cod_check), so a quote and the order placed after it agree to the paisa.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from decimal import Decimal

from bson import ObjectId
from django.conf import settings
from django.core.cache import cache

from truestyle.accounts.selectors import user_addresses
from truestyle.catalog.models import Product
from truestyle.core.errors import NotFound, StoreError
from truestyle.orders import selectors as order_selectors
from truestyle.orders.models import Order
from truestyle.orders.pricing import cod_check, money, shipping_fee
from truestyle.orders.statuses import Actor, OrderStatus, next_statuses_for
from truestyle.payments.gateways import online_payment_available
from truestyle.payments.selectors import payments_of_order
from truestyle.promotions.services import CouponLine, coupon_quote
from truestyle.shopping import selectors as shopping_selectors


def cart_lines_of(user) -> list:
    return shopping_selectors.cart_lines(cart=shopping_selectors.cart_for_user(user=user))


def cart_items_of(user) -> list:
    return shopping_selectors.cart_items(cart=shopping_selectors.cart_for_user(user=user))


def _address(user, address_id: str):
    address = next((a for a in user_addresses(user=user) if str(a.pk) == address_id), None)
    if address is None:
        raise NotFound("That address does not exist.", code="address_not_found",
                       fields={"address_id": ["Choose one of your addresses."]})
    return address


def checkout_quote(*, user, address_id: str, shipping_method: str, payment_method: str, coupon_code: str) -> dict:
    """Totals of the caller's bag for this address, shipping and coupon; refusals as the placement's."""
    lines = cart_lines_of(user)
    if not lines:
        raise StoreError("Your bag is empty.", code="cart_empty")
    address = _address(user, address_id)
    subtotal = money(sum((line.line_total for line in lines), Decimal("0")))
    discount, applied = Decimal("0.00"), ""
    if coupon_code.strip():
        products = {str(pk): (str(category), str(brand)) for pk, category, brand in Product.objects.filter(
            pk__in=[ObjectId(line.product_id) for line in lines]).values_list("pk", "category_id", "brand_id")}
        quote = coupon_quote(code=coupon_code, user=user, lines=[
            CouponLine(product_id=line.product_id, category_id=products.get(line.product_id, ("", ""))[0],
                       brand_id=products.get(line.product_id, ("", ""))[1], amount=money(line.line_total))
            for line in lines])
        discount, applied = money(quote.discount), quote.code
    fee = shipping_fee(shipping_method=shipping_method, subtotal=subtotal)
    total = money(subtotal - discount + fee)
    try:
        cod_check(pincode=address.pincode, total=total)
        cod_available, reason = True, ""
    except StoreError as refusal:
        cod_available, reason = False, refusal.message
    return {
        "lines": [{**line.__dict__, "line_total": line.line_total} for line in lines],
        "item_count": sum(line.quantity for line in lines), "subtotal": subtotal, "discount": discount,
        "coupon_code": applied, "shipping_fee": fee, "total": total, "currency": settings.STORE_CURRENCY,
        "payment_method": payment_method, "cod_available": cod_available, "cod_unavailable_reason": reason,
        "online_payment_available": online_payment_available(),
    }


IDEMPOTENCY_LOCK_SECONDS = 30


@contextmanager
def idempotency_lock(*, user, key: str):
    """Lets one request per (shopper, key) place at a time, so exactly one answers 201 "placed now".

    Only the status code depends on it: order_place itself never places two orders for one key,
    lock or no lock. A request that waits longer than the lock lives goes ahead without it, and so
    does one whose cache cannot be asked (Redis away), at once.
    """
    name = "api:order-place:" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()
    deadline = time.monotonic() + IDEMPOTENCY_LOCK_SECONDS
    acquired = cache.add(name, "1", timeout=IDEMPOTENCY_LOCK_SECONDS)
    # False is "another request holds it"; None is the cache's answer when Redis could not be asked.
    while acquired is False and time.monotonic() < deadline:
        time.sleep(0.05)
        acquired = cache.add(name, "1", timeout=IDEMPOTENCY_LOCK_SECONDS)
    try:
        yield
    finally:
        if acquired:
            cache.delete(name)


def order_by_idempotency_key(*, user, key: str) -> Order | None:
    """The order this shopper already placed with this key, if any (its lines tell what was asked)."""
    return Order.objects.filter(user=user, idempotency_key=key).prefetch_related("lines").first()


def order_summary(order: Order) -> dict:
    return {"number": order.number, "status": order.status, "status_label": OrderStatus(order.status).label,
            "payment_method": order.payment_method, "total": order.total, "currency": order.currency,
            "created_at": order.created_at, "placed_at": order.placed_at}


def order_detail(order: Order) -> dict:
    payments = payments_of_order(order=order)
    try:
        order_selectors.invoice_for_order(order=order)
        has_invoice = True
    except NotFound:
        has_invoice = False
    return {
        **order_summary(order),
        "payment_status": payments[-1].status if payments else None,
        "shipping_method": order.shipping_method,
        "shipping_address": {field: order.shipping_address.get(field, "") for field in
                             ("name", "phone", "line1", "line2", "city", "state", "pincode")},
        "lines": [{field: getattr(line, field) for field in
                   ("variant_id", "product_name", "product_slug", "sku", "size", "colour", "unit_price", "quantity",
                    "line_total")} for line in order.lines.all()],
        "subtotal": order.subtotal, "discount": order.discount, "coupon_code": order.coupon_code,
        "shipping_fee": order.shipping_fee, "tracking_number": order.tracking_number, "expires_at": order.expires_at,
        "can_cancel": OrderStatus.CANCELLED in next_statuses_for(order.status, Actor.CUSTOMER),
        "can_pay": order.status == OrderStatus.PENDING_PAYMENT,
        "has_invoice": has_invoice,
        "timeline": [{"from_status": event.from_status, "to_status": event.to_status, "note": event.note,
                      "created_at": event.created_at} for event in order.events.all()],
    }
