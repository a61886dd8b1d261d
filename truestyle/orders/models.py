"""Orders, their lines and history, and the invoices issued for them (MongoDB).

An order is a snapshot: names, prices and the address are copied at placement,
so later catalogue or address-book edits never change what was bought. Its
status moves only through `services.order_transition`, which also writes the
`OrderEvent` history.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from truestyle.orders.statuses import OrderStatus


class PaymentMethod(models.TextChoices):
    COD = "cod", "Cash on delivery"
    UPI = "upi", "UPI"
    CARD = "card", "Card"


class ShippingMethod(models.TextChoices):
    STANDARD = "standard", "Standard"
    EXPRESS = "express", "Express"


def _money(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    payment_method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    shipping_method = models.CharField(max_length=10, choices=ShippingMethod.choices)
    # name, phone, line1, line2, city, state, pincode as they were at placement.
    shipping_address = models.JSONField(default=dict)
    subtotal = _money()
    discount = _money(default=Decimal("0.00"))
    coupon_code = models.CharField(max_length=40, blank=True)
    shipping_fee = _money(default=Decimal("0.00"))
    total = _money()
    currency = models.CharField(max_length=3, default="INR")
    # Same key + same request returns this order; the fingerprint tells "same request" apart.
    idempotency_key = models.CharField(max_length=100)
    request_fingerprint = models.CharField(max_length=64)
    tracking_number = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    placed_at = models.DateTimeField(null=True, blank=True)
    # Unpaid online orders are cancelled (stock and coupon returned) after this moment.
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="order_idempotency_key_per_user"),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant_id = models.CharField(max_length=24)
    product_id = models.CharField(max_length=24)
    product_name = models.CharField(max_length=200)
    product_slug = models.CharField(max_length=220)
    sku = models.CharField(max_length=40)
    size = models.CharField(max_length=10)
    colour = models.CharField(max_length=60)
    unit_price = _money()
    quantity = models.PositiveIntegerField()
    line_total = _money()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "order_lines"
        ordering = ["position"]


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    # Empty for the store itself (payment callbacks, expiry).
    actor_id = models.CharField(max_length=24, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "order_events"
        ordering = ["created_at"]


class InvoiceCounter(models.Model):
    """One document per financial year; its `last` only ever grows by a single-document update."""

    financial_year = models.CharField(max_length=7, unique=True)  # "2026-27"
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "invoice_counters"


class InvoiceImmutable(Exception):
    pass


class Invoice(models.Model):
    """A tax invoice as issued: every figure is copied, so it never changes after the fact."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=30, unique=True)
    financial_year = models.CharField(max_length=7)
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    seller = models.JSONField(default=dict)  # name, gstin, address
    buyer = models.JSONField(default=dict)  # name, email, address
    order_number = models.CharField(max_length=20)
    payment_method = models.CharField(max_length=10)
    # One dict per line: description, sku, quantity, unit_price, amount, discount, net, gst_rate, taxable, tax.
    lines = models.JSONField(default=list)
    subtotal = _money()
    discount = _money()
    shipping_fee = _money()
    tax_total = _money()
    total = _money()
    currency = models.CharField(max_length=3, default="INR")

    class Meta:
        db_table = "invoices"
        ordering = ["-issued_at"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise InvoiceImmutable("An issued invoice cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InvoiceImmutable("An issued invoice cannot be deleted.")


class OrderEmail(models.Model):
    """A customer mail about one status of an order: the outbox that makes sure it goes out once.

    Written in the same transaction as the status change, so a committed change always has its
    mail waiting here even when the task that should send it never reached the broker; the
    periodic sender sends what is still waiting. `claimed_at` marks a send in progress.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="emails")
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "order_emails"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["order", "status"], name="order_email_once_per_status")]
