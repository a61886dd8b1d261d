"""Placing an order: prices checked, stock taken, coupon used, order and payment written, all or nothing."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from bson import ObjectId
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from truestyle.accounts.models import Address
from truestyle.catalog.models import Variant
from truestyle.catalog.services.stock import NotEnoughStock, stock_apply_in_transaction
from truestyle.core.errors import Conflict, NotFound, StoreError
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction
from truestyle.orders.models import Order, OrderEvent, OrderLine, PaymentMethod, ShippingMethod
from truestyle.orders.pricing import cod_check, money, shipping_fee
from truestyle.orders.statuses import OrderStatus
from truestyle.payments.gateways import ONLINE_PAYMENT_UNAVAILABLE, online_payment_available

MAX_LINE_QUANTITY = 10
MAX_LINES = 50
# Placement races on hot variants; give it more runs than the default before giving up.
PLACEMENT_ATTEMPTS = 8
_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the phone


@dataclass(frozen=True)
class PlacementLine:
    variant_id: str
    quantity: int
    unit_price_seen: Decimal  # the price the shopper saw; a different current price refuses with "price_changed"


def order_place(*, user, lines: Sequence[PlacementLine], address_id: str, shipping_method: str,
                payment_method: str, coupon_code: str | None, idempotency_key: str) -> Order:
    """Place an order for `user` from `lines`, atomically; returns it.

    COD orders start "placed" (with their invoice); UPI and card orders start "pending_payment"
    and expire after ORDER_PAYMENT_TIMEOUT unless paid. The same `idempotency_key` with the same
    request returns the order already placed; with a different request it is refused
    ("idempotency_key_reused"). Any refusal writes nothing: stock, ledger, coupon uses, orders and
    payments stay as they were.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        raise StoreError("Sign in to place an order.", code="sign_in_required", status=401)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise StoreError("A checkout key is required.", code="invalid", fields={"idempotency_key": ["Required."]})
    if shipping_method not in ShippingMethod.values:
        raise StoreError("Choose a shipping method.", code="invalid", fields={"shipping_method": ["Choose one."]})
    if payment_method not in PaymentMethod.values:
        raise StoreError("Choose a payment method.", code="invalid", fields={"payment_method": ["Choose one."]})
    if payment_method != PaymentMethod.COD and not online_payment_available():
        raise StoreError(ONLINE_PAYMENT_UNAVAILABLE, code="payment_unavailable",
                         fields={"payment_method": [ONLINE_PAYMENT_UNAVAILABLE]})
    lines = _lines_clean(lines)
    code = (coupon_code or "").strip().upper()
    fingerprint = _fingerprint(lines, address_id, shipping_method, payment_method, code)

    if payment_method == PaymentMethod.COD:
        from truestyle.orders.services.invoices import invoice_counter_ensure

        invoice_counter_ensure()

    def place() -> Order:
        # Inside the transaction: the order already placed with this key answers (a retry), even if
        # its address was deleted since; otherwise the address must be one of the shopper's.
        existing = _existing(user, key, fingerprint)
        if existing is not None:
            return existing
        address = _address(user, address_id)
        return _place(user=user, lines=lines, address=address, shipping_method=shipping_method,
                      payment_method=payment_method, coupon_code=code, key=key, fingerprint=fingerprint)

    try:
        return run_in_mongo_transaction(place, attempts=PLACEMENT_ATTEMPTS)
    except IntegrityError:
        # A concurrent submit with the same key committed first (unique user + key): answer with its order.
        existing = _existing(user, key, fingerprint)
        if existing is None:
            raise
        return existing


def _lines_clean(lines: Sequence[PlacementLine]) -> list[PlacementLine]:
    if not lines:
        raise StoreError("Your bag is empty.", code="cart_empty")
    if len(lines) > MAX_LINES:
        raise StoreError(f"An order can hold at most {MAX_LINES} lines.", code="invalid")
    seen = set()
    cleaned = []
    for line in lines:
        variant_id = str(line.variant_id)
        if not ObjectId.is_valid(variant_id) or variant_id in seen:
            raise StoreError("The bag holds an unknown or repeated item.", code="invalid",
                             fields={"lines": ["Refresh your bag and try again."]})
        if not isinstance(line.quantity, int) or not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            raise StoreError(f"Quantities must be between 1 and {MAX_LINE_QUANTITY}.", code="invalid",
                             fields={"lines": [f"Choose 1 to {MAX_LINE_QUANTITY} pieces."]})
        seen.add(variant_id)
        cleaned.append(PlacementLine(variant_id, line.quantity, money(line.unit_price_seen)))
    return cleaned


def _fingerprint(lines, address_id, shipping_method, payment_method, coupon_code) -> str:
    request = {
        "lines": sorted([line.variant_id, line.quantity, str(line.unit_price_seen)] for line in lines),
        "address": str(address_id), "shipping": shipping_method, "payment": payment_method, "coupon": coupon_code,
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


def _existing(user, key: str, fingerprint: str) -> Order | None:
    order = Order.objects.filter(user=user, idempotency_key=key).first()
    if order is not None and order.request_fingerprint != fingerprint:
        raise Conflict("This checkout was already used for a different bag. Please review your order again.",
                       code="idempotency_key_reused")
    return order


def _address(user, address_id) -> Address:
    address = None
    if ObjectId.is_valid(str(address_id)):
        address = Address.objects.filter(pk=address_id, user=user).first()
    if address is None:
        raise NotFound("That address does not exist.", code="address_not_found",
                       fields={"address_id": ["Choose one of your addresses."]})
    return address


def _number() -> str:
    today = timezone.localdate()
    return f"TS{today:%y%m%d}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def _place(*, user, lines, address, shipping_method, payment_method, coupon_code, key, fingerprint) -> Order:
    # Read by ids, not joined (see shopping.selectors.cart_lines).
    variants = {str(v.pk): v for v in Variant.objects.prefetch_related("product", "colourway")
                .filter(pk__in=[ObjectId(line.variant_id) for line in lines])}
    priced = []
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is None or not variant.product.is_active:
            raise StoreError("An item in your bag is no longer sold.", code="variant_unavailable",
                             fields={"lines": [line.variant_id]})
        if variant.product.price != line.unit_price_seen:
            raise StoreError(f"The price of {variant.product.name} changed from ₹{line.unit_price_seen} to "
                             f"₹{variant.product.price}. Please review your bag.", code="price_changed",
                             fields={"lines": [line.variant_id]}, status=409)
        priced.append((line, variant, money(variant.product.price * line.quantity)))

    order_id = ObjectId()
    number = _number()
    subtotal = money(sum((amount for _, _, amount in priced), Decimal("0")))
    discount = Decimal("0.00")
    if coupon_code:
        from truestyle.promotions.services import CouponLine, coupon_redeem

        quote = coupon_redeem(code=coupon_code, user=user, order_id=str(order_id), lines=[
            CouponLine(product_id=str(v.product_id), category_id=str(v.product.category_id),
                       brand_id=str(v.product.brand_id), amount=amount) for _, v, amount in priced])
        discount, coupon_code = money(quote.discount), quote.code
    fee = shipping_fee(shipping_method=shipping_method, subtotal=subtotal)
    total = money(subtotal - discount + fee)
    cod = payment_method == PaymentMethod.COD
    if cod:
        cod_check(pincode=address.pincode, total=total)

    # Always in variant-id order, so two orders for the same two variants never deadlock each other.
    for line, variant, _ in sorted(priced, key=lambda item: item[0].variant_id):
        try:
            stock_apply_in_transaction(variant_id=variant.pk, delta=-line.quantity, reason="sale",
                                       actor_id=str(user.pk), reference=number)
        except NotEnoughStock:
            raise NotEnoughStock(f"Not enough stock of {variant.product.name} ({variant.colourway.name}, "
                                 f"{variant.size}) for this order.", fields={"lines": [line.variant_id]})

    now = timezone.now()
    order = _order_records_create(
        order_id=order_id, number=number, user=user, priced=priced, address=address, cod=cod, now=now,
        values=dict(payment_method=payment_method, shipping_method=shipping_method, subtotal=subtotal,
                    discount=discount, coupon_code=coupon_code, shipping_fee=fee, total=total,
                    currency=settings.STORE_CURRENCY, idempotency_key=key, request_fingerprint=fingerprint))

    from truestyle.orders.services import invoices
    from truestyle.orders.services.transitions import order_email_after_commit
    from truestyle.payments.services import payment_record_create

    if cod:
        # Queued only for after the commit: if anything below fails, no mail goes out.
        order_email_after_commit(order=order, status=OrderStatus.PLACED)
    payment_record_create(order=order)
    if cod:
        invoices.invoice_issue(order=order)
    on_mongo_commit(lambda: _cart_clear(user), robust=True)
    on_mongo_commit(lambda: _purchases_record(priced), robust=True)
    return order


def _purchases_record(priced) -> None:
    """After the commit: units bought count towards "Trending now" (never fails the order)."""
    from truestyle.analytics.trending import activity_record

    for line, variant, _ in priced:
        activity_record(product_id=variant.product_id, kind="purchases", count=line.quantity)


def _order_records_create(*, order_id, number, user, priced, address, cod, now, values) -> Order:
    """The order, its lines and its first event (a seam the failure-injection tests break on purpose)."""
    status = OrderStatus.PLACED if cod else OrderStatus.PENDING_PAYMENT
    order = Order.objects.create(
        id=order_id, number=number, user=user, status=status, created_at=now,
        placed_at=now if cod else None,
        expires_at=None if cod else now + timedelta(seconds=settings.ORDER_PAYMENT_TIMEOUT),
        shipping_address={field: getattr(address, field) for field in
                          ("name", "phone", "line1", "line2", "city", "state", "pincode")},
        **values)
    OrderLine.objects.bulk_create([
        OrderLine(order=order, position=position, variant_id=str(variant.pk), product_id=str(variant.product_id),
                  product_name=variant.product.name, product_slug=variant.product.slug, sku=variant.sku,
                  size=variant.size, colour=variant.colourway.name, unit_price=money(variant.product.price),
                  quantity=line.quantity, line_total=amount)
        for position, (line, variant, amount) in enumerate(priced)
    ])
    OrderEvent.objects.create(order=order, from_status="", to_status=status, actor_id=str(user.pk),
                              note="Order placed" if cod else "Awaiting payment", created_at=now)
    return order


def _cart_clear(user) -> None:
    """After the commit: the bag the order came from is emptied (the shopping app owns it)."""
    from truestyle.shopping.selectors import cart_for_user
    from truestyle.shopping.services import cart_clear

    cart = cart_for_user(user=user)
    if cart is not None:
        cart_clear(cart=cart)
