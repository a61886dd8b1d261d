"""Returns and exchanges of delivered items, their history, and the return rules of categories (MongoDB).

A request's status moves only through `services.return_transition`, which writes the
`ReturnEvent` history. Return rules live here rather than on `Category`: a rule is set on
any node of the category tree and applies to everything below it until a deeper node sets
its own (e.g. "Innerwear" not returnable under a 30-day "Men"), so the catalogue stays free
of return policy and a category without any rule above it uses the store default.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_mongodb_backend.fields import ArrayField

from truestyle.returns.statuses import ReturnStatus

DEFAULT_WINDOW_DAYS = 30


class ReturnRule(models.Model):
    """The return policy of a category and, unless overridden deeper, of its whole subtree."""

    category = models.OneToOneField("catalog.Category", on_delete=models.CASCADE, related_name="return_rule")
    returnable = models.BooleanField(default=True)
    window_days = models.PositiveSmallIntegerField(default=DEFAULT_WINDOW_DAYS)

    class Meta:
        db_table = "return_rules"


class ReturnKind(models.TextChoices):
    RETURN = "return", "Return for a refund"
    EXCHANGE = "exchange", "Exchange for another size or colour"


class ReturnReason(models.TextChoices):
    TOO_SMALL = "too_small", "Too small"
    TOO_LARGE = "too_large", "Too large"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"
    DEFECTIVE = "defective", "Damaged or defective"
    WRONG_ITEM = "wrong_item", "Wrong item received"
    CHANGED_MIND = "changed_mind", "Changed my mind"


class Inspection(models.TextChoices):
    SELLABLE = "sellable", "Sellable"
    DAMAGED = "damaged", "Damaged"


class ReturnRequest(models.Model):
    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="return_requests")
    line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="return_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_requests")
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=ReturnReason.choices)
    comment = models.TextField(blank=True)
    # GridFS names of the customer's photos (see truestyle.core.storage), already re-encoded.
    photos = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # Exchange only: the unit held for the customer since the request (a conditional stock decrement).
    replacement_variant_id = models.CharField(max_length=24, blank=True)
    replacement_label = models.CharField(max_length=120, blank=True)  # "Indigo, L" as it was when requested
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    rejection_reason = models.CharField(max_length=300, blank=True)
    inspection = models.CharField(max_length=10, choices=Inspection.choices, blank=True)
    # Return only: the item's share of what was paid; estimated at the request, final at completion.
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    refund_method = models.CharField(max_length=15, blank=True)  # see payments.Refund.Method
    refund_id = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "return_requests"
        ordering = ["-created_at"]

    def __str__(self):
        return self.number


class ReturnEvent(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor_id = models.CharField(max_length=24, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "return_events"
        ordering = ["created_at"]


class ReturnLineTally(models.Model):
    """Units of one order line in open or completed requests.

    Changed only by a conditional update that keeps it at or below the line's quantity, so two
    requests for the same line at the same moment can never ask back more than was delivered.
    """

    line = models.OneToOneField("orders.OrderLine", on_delete=models.CASCADE, related_name="return_tally")
    claimed = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "return_line_tallies"
