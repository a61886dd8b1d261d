"""Writes for carts and wishlists.

A cart line never asks for more than the variant has in stock: adding or setting beyond it is
refused ("not_enough_stock", with the count available); merging a guest cart at sign-in caps
silently instead, since there is no one to ask. Stock is not reserved here: order placement
takes it with a conditional update and refuses if it is gone by then.
"""

from __future__ import annotations

import logging

from bson import ObjectId
from django.db import IntegrityError
from django.utils import timezone

from truestyle.analytics.trending import activity_record
from truestyle.catalog.models import Colourway, Product, Variant
from truestyle.catalog.services.stock import NotEnoughStock as CatalogNotEnoughStock
from truestyle.core.errors import NotFound, StoreError
from truestyle.core.transactions import run_in_mongo_transaction
from truestyle.shopping.models import Cart, CartLine, WishlistItem
from truestyle.shopping.selectors import cart_owner_for_session, cart_owner_for_user

logger = logging.getLogger(__name__)

class NotEnoughStock(CatalogNotEnoughStock):
    """More than the variant has in stock; `available` says how many can be had."""

    def __init__(self, *, available: int) -> None:
        message = (f"Only {available} left in this size." if available > 0 else "This size is out of stock.")
        super().__init__(message, fields={"quantity": [message]})
        self.available = available


# --- Carts ------------------------------------------------------------------------------------

def cart_get_or_create(*, user=None, session_key: str = "") -> Cart:
    """The signed-in user's cart, or else the guest session's; created on first use (one per owner)."""
    if user is not None and getattr(user, "is_authenticated", False):
        owner, fields = cart_owner_for_user(user), {"user_id": user.pk}
    elif session_key:
        owner, fields = cart_owner_for_session(session_key), {"session_key": session_key}
    else:
        raise StoreError("A cart needs a user or a browser session.", code="invalid")
    try:
        cart, _ = Cart.objects.get_or_create(owner=owner, defaults=fields)
    except IntegrityError:
        # Two first requests at once: the other one created it.
        cart = Cart.objects.get(owner=owner)
    return cart


def _valid_id(value) -> bool:
    # A malformed id from a form or the API is "not found", not a ValidationError (a 500) in the query.
    return bool(value) and ObjectId.is_valid(str(value))


def _variant_for_sale(variant_id) -> Variant:
    # Two reads by id rather than a join (see shopping.selectors.cart_lines).
    variant = Variant.objects.filter(pk=variant_id).first() if _valid_id(variant_id) else None
    if variant is None or not variant.product.is_active:
        raise NotFound("That size is not for sale.", code="variant_not_found")
    return variant


def _available(variant: Variant) -> int:
    return max(0, variant.stock)


def _set_line(cart: Cart, variant: Variant, quantity: int, *, expected: int | None) -> CartLine | None:
    """Write a line's quantity if it still holds `expected` (None: the line does not exist yet)."""
    if expected is None:
        try:
            return CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
        except IntegrityError:
            return None
    lines = CartLine.objects.filter(cart=cart, variant=variant, quantity=expected)
    if quantity == 0:
        return CartLine(cart=cart, variant=variant, quantity=0) if lines.delete()[0] else None
    if lines.update(quantity=quantity) != 1:
        return None
    return CartLine.objects.get(cart=cart, variant=variant)


def _change(cart: Cart, variant_id, compute) -> CartLine | None:
    """Apply `compute(current quantity or 0) -> new quantity` to a line, as a compare-and-set.

    Two tabs changing the same line at once: the loser reads again and recomputes, so no change
    is lost and the stock check always sees the quantity it writes over.
    """
    variant = _variant_for_sale(variant_id)
    for _ in range(5):
        current = CartLine.objects.filter(cart=cart, variant=variant).values_list("quantity", flat=True).first()
        quantity = compute(current or 0)
        if quantity < 0:
            raise StoreError("Enter a quantity of 0 or more.", code="invalid",
                             fields={"quantity": ["Enter a quantity of 0 or more."]})
        if quantity > (current or 0) and quantity > _available(variant):
            raise NotEnoughStock(available=_available(variant))
        if current is None and quantity == 0:
            return None
        line = _set_line(cart, variant, quantity, expected=current)
        if line is not None:
            Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
            return line if line.quantity else None
    raise StoreError("Your bag changed while we were updating it. Please try again.", code="conflict", status=409)


def cart_add(*, cart: Cart, variant_id, quantity: int = 1) -> CartLine:
    """Add `quantity` of a variant (summed with what the cart holds); refuses beyond stock, writing nothing."""
    if not isinstance(quantity, int) or quantity < 1:
        message = "Enter a quantity of at least 1."
        raise StoreError(message, code="invalid", fields={"quantity": [message]})
    line = _change(cart, variant_id, lambda current: current + quantity)
    activity_record(product_id=line.variant.product_id, kind="cart_adds", count=quantity)
    return line


def cart_set_quantity(*, cart: Cart, variant_id, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes it (returns None). Raising it beyond stock is refused.

    Lowering is always allowed, even when stock has fallen below the new quantity, so a shopper
    can step down towards what is left.
    """
    if not isinstance(quantity, int):
        raise StoreError("Enter a whole number.", code="invalid", fields={"quantity": ["Enter a whole number."]})
    return _change(cart, variant_id, lambda current: quantity)


def cart_remove(*, cart: Cart, variant_id) -> bool:
    """Take a variant out of the cart; True if it was there."""
    return _valid_id(variant_id) and CartLine.objects.filter(cart=cart, variant_id=variant_id).delete()[0] > 0


def cart_clear(*, cart: Cart) -> None:
    """Empty the cart (after an order was placed); the cart itself stays."""
    CartLine.objects.filter(cart=cart).delete()


def cart_merge_at_sign_in(*, session_key: str, user) -> Cart:
    """Move a guest session's lines into the user's cart, then drop the guest cart.

    Quantities of the same variant are summed, then capped by stock (a line left with nothing
    in stock is dropped). Runs in one transaction: a retry never merges twice.

    Django's login() gives the session a new key, so the caller passes the key it had before
    signing in (`request.session.session_key` read before `login()`).
    """
    guest = Cart.objects.filter(owner=cart_owner_for_session(session_key)).first() if session_key else None
    cart = cart_get_or_create(user=user)
    if guest is None or guest.pk == cart.pk:
        return cart

    def merge() -> Cart:
        guest_lines = {line.variant_id: line.quantity for line in CartLine.objects.filter(cart=guest)}
        own = {line.variant_id: line for line in CartLine.objects.filter(cart=cart)}
        stock = dict(Variant.objects.filter(pk__in=list(guest_lines) + list(own), product__is_active=True)
                     .values_list("pk", "stock"))
        for variant_id, quantity in guest_lines.items():
            wanted = quantity + (own[variant_id].quantity if variant_id in own else 0)
            capped = max(0, min(wanted, stock.get(variant_id, 0)))
            if capped < wanted:
                logger.info("cart merge capped variant %s from %s to %s", variant_id, wanted, capped)
            if variant_id in own:
                if capped == 0:
                    own[variant_id].delete()
                else:
                    CartLine.objects.filter(pk=own[variant_id].pk).update(quantity=capped)
            elif capped:
                CartLine.objects.create(cart=cart, variant_id=variant_id, quantity=capped)
        CartLine.objects.filter(cart=guest).delete()
        guest.delete()
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
        return cart

    return run_in_mongo_transaction(merge)


# --- Wishlists --------------------------------------------------------------------------------

def wishlist_add(*, user, product_id, colourway_id=None, notify_price_drop: bool = False) -> WishlistItem:
    """Save a product (in a colour, optionally) with today's price; saving again updates colour and opt-in."""
    product = Product.objects.filter(pk=product_id, is_active=True).first() if _valid_id(product_id) else None
    if product is None:
        raise NotFound("That product is not for sale.", code="product_not_found")
    colourway = None
    if colourway_id:
        colourway = (Colourway.objects.filter(pk=colourway_id, product=product).first()
                     if _valid_id(colourway_id) else None)
        if colourway is None:
            raise StoreError("Choose one of this product's colours.", code="invalid",
                             fields={"colourway": ["Choose one of this product's colours."]})
    try:
        item, created = WishlistItem.objects.get_or_create(
            user=user, product=product,
            defaults={"colourway": colourway, "notify_price_drop": notify_price_drop,
                      "price_when_added": product.price, "last_notified_price": product.price})
    except IntegrityError:
        item, created = WishlistItem.objects.get(user=user, product=product), False
    if created:
        activity_record(product_id=product.pk, kind="wishlist_adds")
    else:
        WishlistItem.objects.filter(pk=item.pk).update(colourway=colourway or item.colourway,
                                                       notify_price_drop=notify_price_drop)
        item.refresh_from_db()
    return item


def wishlist_notify_set(*, user, item_id, enabled: bool) -> WishlistItem:
    """Opt a wishlist item in or out of price-drop emails."""
    if not _valid_id(item_id) or not WishlistItem.objects.filter(pk=item_id, user=user).update(
            notify_price_drop=enabled):
        raise NotFound("That item is not in your wishlist.", code="wishlist_item_not_found")
    return WishlistItem.objects.get(pk=item_id)


def wishlist_remove(*, user, item_id) -> bool:
    """Remove an item of the user's own wishlist; True if it was there."""
    return _valid_id(item_id) and WishlistItem.objects.filter(pk=item_id, user=user).delete()[0] > 0


def wishlist_move_to_cart(*, user, item_id, variant_id, quantity: int = 1) -> CartLine:
    """Put a size of a wishlisted product in the user's cart and take it off the wishlist.

    The stock rule of `cart_add` applies; a refusal leaves both the cart and the wishlist as they were.
    """
    item = WishlistItem.objects.filter(pk=item_id, user=user).first() if _valid_id(item_id) else None
    if item is None:
        raise NotFound("That item is not in your wishlist.", code="wishlist_item_not_found")
    variant = _variant_for_sale(variant_id)
    if variant.product_id != item.product_id:
        message = "Choose a size of this product."
        raise StoreError(message, code="invalid", fields={"variant": [message]})
    cart = cart_get_or_create(user=user)

    def move() -> CartLine:
        line = cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
        WishlistItem.objects.filter(pk=item.pk).delete()
        return line

    return run_in_mongo_transaction(move)


def wishlist_price_drops_notify() -> int:
    """Email each opted-in shopper, once, the wishlisted products that got cheaper; returns emails sent.

    An item counts when its product's price is below the item's last notified price. Each item is
    claimed with a conditional update (last_notified_price still the value read) before it goes
    into an email, so a second or concurrent run sends nothing for the same drop.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    drops: dict = {}
    items = (WishlistItem.objects.filter(notify_price_drop=True, product__is_active=True)
             .select_related("product", "colourway", "user").order_by("user_id", "created_at"))
    for item in items:
        if item.product.price < item.last_notified_price and item.user.is_active:
            drops.setdefault(item.user_id, []).append(item)
    sent = 0
    for user_items in drops.values():
        claimed = []
        for item in user_items:
            if WishlistItem.objects.filter(pk=item.pk, last_notified_price=item.last_notified_price).update(
                    last_notified_price=item.product.price, last_notified_at=timezone.now()) == 1:
                claimed.append({"item": item, "product": item.product, "was": item.last_notified_price,
                                "now": item.product.price, "saving": item.last_notified_price - item.product.price})
        if not claimed:
            continue
        user = user_items[0].user
        subject = (f"Price drop: {claimed[0]['product'].name}" if len(claimed) == 1
                   else f"Price drops on {len(claimed)} items in your wishlist")
        body = render_to_string("emails/wishlist_price_drop.txt", {
            "user": user, "drops": claimed, "store_name": settings.STORE_NAME})
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
