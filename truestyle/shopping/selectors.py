"""Reads for carts and wishlists: a fixed number of queries whatever their size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db.models import Sum

from truestyle.catalog.models import ProductImage
from truestyle.shopping.models import Cart, CartLine, WishlistItem


@dataclass(frozen=True)
class CartLineView:
    line_id: str
    variant_id: str
    product_id: str
    product_name: str
    product_slug: str
    size: str
    colour: str
    sku: str
    quantity: int
    unit_price: Decimal  # current selling price
    in_stock: int  # current stock of the variant
    image_url: str | None

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class WishlistItemView:
    item_id: str
    product_id: str
    product_name: str
    product_slug: str
    colourway_id: str | None
    colour: str
    price: Decimal  # current selling price
    price_when_added: Decimal
    notify_price_drop: bool
    image_url: str | None
    sizes_in_stock: list[dict]  # [{"variant_id", "size", "stock"}] of the chosen colour (or all colours)

    @property
    def price_dropped(self) -> bool:
        return self.price < self.price_when_added


def cart_owner_for_user(user) -> str:
    return f"user:{user.pk}"


def cart_owner_for_session(session_key: str) -> str:
    return f"session:{session_key}"


def cart_for_user(*, user) -> Cart | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Cart.objects.filter(owner=cart_owner_for_user(user)).first()


def cart_for_session(*, session_key: str) -> Cart | None:
    if not session_key:
        return None
    return Cart.objects.filter(owner=cart_owner_for_session(session_key)).first()


def _images(product_ids: set) -> dict:
    """(product id, colourway id or None) -> image URL: the first image of the colour, else of the product."""
    images: dict = {}
    for image in ProductImage.objects.filter(product_id__in=list(product_ids)).order_by("position"):
        url = default_storage.url(image.thumbnail or image.image)
        images.setdefault((image.product_id, image.colourway_id), url)
        images.setdefault((image.product_id, None), url)
    return images


def cart_lines(*, cart) -> list[CartLineView]:
    """The cart's lines in the order they were added, with current prices and stock.

    The variants, products and colourways come by id (`prefetch_related`), not joined: a join makes
    the embedded MongoDB load the whole joined collections (docs/benchmarks.md), while a lookup by
    ids reads only the bag's few documents, on any server."""
    if cart is None:
        return []
    lines = list(CartLine.objects.filter(cart=cart).prefetch_related("variant__product", "variant__colourway")
                 .order_by("added_at"))
    if not lines:
        return []
    images = _images({line.variant.product_id for line in lines})
    return [
        CartLineView(
            line_id=str(line.pk), variant_id=str(line.variant_id), product_id=str(line.variant.product_id),
            product_name=line.variant.product.name, product_slug=line.variant.product.slug, size=line.variant.size,
            colour=line.variant.colourway.name, sku=line.variant.sku, quantity=line.quantity,
            unit_price=line.variant.product.price, in_stock=line.variant.stock,
            image_url=images.get((line.variant.product_id, line.variant.colourway_id))
            or images.get((line.variant.product_id, None)),
        )
        for line in lines
    ]


@dataclass(frozen=True)
class CartItem:
    variant_id: str
    quantity: int
    unit_price: Decimal


def cart_items(*, cart) -> list[CartItem]:
    """The cart's variants, quantities and current prices, in the order they were added: what an order
    is placed from (three reads by id; no colours or pictures, which cart_lines adds for showing it)."""
    if cart is None:
        return []
    return [CartItem(variant_id=str(line.variant_id), quantity=line.quantity, unit_price=line.variant.product.price)
            for line in CartLine.objects.filter(cart=cart).prefetch_related("variant__product").order_by("added_at")]


def cart_item_count(*, cart) -> int:
    """Units in the cart (the number on the bag icon): one query."""
    if cart is None:
        return 0
    return CartLine.objects.filter(cart=cart).aggregate(total=Sum("quantity"))["total"] or 0


def wishlist_for_user(*, user) -> list[WishlistItemView]:
    """The user's wishlist, newest first, with current prices and the sizes in stock: three queries."""
    from truestyle.catalog.models import Variant

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    items = list(WishlistItem.objects.filter(user=user).select_related("product", "colourway").order_by("-created_at"))
    if not items:
        return []
    product_ids = {item.product_id for item in items}
    variants: dict = {}
    for variant in Variant.objects.filter(product_id__in=list(product_ids)).order_by("position"):
        variants.setdefault(variant.product_id, []).append(variant)
    images = _images(product_ids)
    views = []
    for item in items:
        sizes = [{"variant_id": str(v.pk), "size": v.size, "stock": v.stock}
                 for v in variants.get(item.product_id, [])
                 if v.stock > 0 and (item.colourway_id is None or v.colourway_id == item.colourway_id)]
        views.append(WishlistItemView(
            item_id=str(item.pk), product_id=str(item.product_id), product_name=item.product.name,
            product_slug=item.product.slug, colourway_id=str(item.colourway_id) if item.colourway_id else None,
            colour=item.colourway.name if item.colourway else "", price=item.product.price,
            price_when_added=item.price_when_added, notify_price_drop=item.notify_price_drop,
            image_url=images.get((item.product_id, item.colourway_id)) or images.get((item.product_id, None)),
            sizes_in_stock=sizes,
        ))
    return views
