"""Payments of orders, the log of everything said with a gateway, and refunds (MongoDB)."""

from decimal import Decimal

from django.db import models
from django.utils import timezone


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Created"
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"


class Payment(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10)  # cod, upi, card
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    gateway = models.CharField(max_length=30)  # "cod" for cash on delivery
    # Our reference, sent to the gateway and echoed in its callbacks.
    gateway_reference = models.CharField(max_length=64, unique=True)
    # The sequence number of the last callback applied: older ones are out of order.
    last_sequence = models.BigIntegerField(default=0)
    # What refunds have claimed so far (requested or processed). It grows only by a conditional
    # update that keeps it at or below `amount`, so concurrent refunds can never pay back more.
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "payments"
        ordering = ["-created_at"]

    @property
    def refund(self):
        """The payment's latest refund, or None (a cancelled order has exactly one, for the whole amount)."""
        return self.refunds.order_by("-created_at").first()


class PaymentLog(models.Model):
    """One gateway request, callback (accepted or not) or status change, with what was said."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Request to gateway"
        CALLBACK = "callback", "Callback from gateway"
        STATUS = "status", "Status change"
        REFUND = "refund", "Refund"

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="logs")
    gateway = models.CharField(max_length=30)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # applied, forged_signature, replay, out_of_order, regression, stale, unknown_reference, malformed…
    outcome = models.CharField(max_length=30, blank=True)
    event_id = models.CharField(max_length=64, blank=True)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "payment_logs"
        ordering = ["created_at"]


class ProcessedCallback(models.Model):
    """A gateway event id seen once: the unique constraint makes a replay detectable in any race."""

    gateway = models.CharField(max_length=30)
    event_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "payment_processed_callbacks"
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="callback_event_once")]


class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    class Method(models.TextChoices):
        ORIGINAL = "original", "To the original payment"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        STORE_CREDIT = "store_credit", "Store credit"

    # Several refunds per payment (a cancellation refunds what is left, each return its share);
    # together they never exceed the payment (see Payment.refunded_amount).
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # Online payments go back through the gateway; cash on delivery by bank transfer or store credit.
    method = models.CharField(max_length=15, choices=Method.choices, default=Method.ORIGINAL)
    # What the refund is for, e.g. "return RT261201-ABC123"; empty for a cancelled order.
    source = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    gateway_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "refunds"
        ordering = ["-created_at"]
