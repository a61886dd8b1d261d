"""Models of the shopping app (MongoDB): carts, their lines, and wishlists.

Carts change only through `truestyle.shopping.services`; reads go through `selectors`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class Cart(models.Model):
    """A shopper's bag: a signed-in user's, or a guest browser session's.

    `owner` is "user:<id>" or "session:<key>" and is unique, which gives one cart per user
    (and per guest session) even when two requests create it at the same moment, without
    relying on a unique index over a nullable field.
    """

    owner = models.CharField(max_length=80, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="carts")
    session_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "carts"

    def __str__(self):
        return self.owner


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="cart_lines")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cart_lines"
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_once_per_variant")]


class WishlistItem(models.Model):
    """A product a signed-in shopper saved, with the price it had then.

    One entry per product: saving it again only updates the colour and the opt-in.
    `last_notified_price` starts at the price when added; the price-drop email goes out only
    when the product is cheaper than it, and then lowers it, so a drop is announced once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="wishlisted")
    colourway = models.ForeignKey("catalog.Colourway", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    price_when_added = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    notify_price_drop = models.BooleanField(default=False)
    last_notified_price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    last_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wishlist_items"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="wishlist_once_per_product")]
