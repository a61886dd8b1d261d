"""Input and output shapes of the returns and exchanges API."""

from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer
from api.shopping.serializers import ObjectIdField
from truestyle.returns.models import Inspection, ReturnKind, ReturnReason
from truestyle.returns.services import COD_REFUND_METHODS
from truestyle.returns.statuses import ReturnStatus

# A plain string in the outputs: the enum is the input's own, named once in the schema.
KIND_HELP = "`return` (for a refund) or `exchange` (for another size or colour)."
STATUS_HELP = "One of: " + ", ".join(f"`{value}`" for value in ReturnStatus.values) + "."
# More than any line could hold; the service judges the real limit (`quantity_too_high`).
MAX_QUANTITY = 100


def _money(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class ReturnInput(StrictSerializer):
    order_number = PlainCharField(max_length=30, help_text="The delivered order's number.")
    line_id = ObjectIdField(help_text="The order line (`line_id` of GET /api/v1/returns/eligible).")
    kind = serializers.ChoiceField(choices=ReturnKind.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY,
                                        help_text="At most the line's `available` units.")
    reason = serializers.ChoiceField(choices=ReturnReason.choices)
    comment = PlainCharField(max_length=2000, required=False, allow_blank=True, default="")
    replacement_variant_id = ObjectIdField(
        required=False, allow_blank=True, default="",
        help_text="Exchange only (required then): another size or colour of the same product, one of the line's "
                  "`exchange_options`. That unit is held from the request on.")
    refund_method = serializers.ChoiceField(
        choices=[(method, method) for method in COD_REFUND_METHODS], required=False, allow_blank=True, default="",
        help_text="Return of a cash-on-delivery order only: `bank_transfer` (the default) or `store_credit`. "
                  "Other orders are refunded to the original payment.")


class ExchangeOptionOutput(serializers.Serializer):
    variant_id = serializers.CharField()
    colour = serializers.CharField()
    size = serializers.CharField()


class EligibleLineOutput(serializers.Serializer):
    order_number = serializers.CharField()
    line_id = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    sku = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    unit_price = _money()
    quantity = serializers.IntegerField(help_text="Units delivered.")
    available = serializers.IntegerField(help_text="Units that may still be sent back (delivered less those in "
                                                   "open or completed requests).")
    return_until = serializers.DateTimeField(help_text="The end of the item's return window.")
    payment_method = serializers.CharField()
    refund_methods = serializers.ListField(child=serializers.CharField(),
                                           help_text="Choices of `refund_method` for a return (cash on delivery "
                                                     "only; empty: refunded to the original payment).")
    exchange_options = ExchangeOptionOutput(many=True, help_text="Other sizes and colours in stock now.")


class ReturnEventOutput(serializers.Serializer):
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(help_text=STATUS_HELP)
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class ReturnSummaryOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField()
    kind = serializers.CharField(help_text=KIND_HELP)
    order_number = serializers.CharField()
    product_name = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    quantity = serializers.IntegerField()
    refund_amount = _money(help_text="A return's refund: estimated at the request, final at completion. "
                                     "0.00 for an exchange.")
    created_at = serializers.DateTimeField()


class ReturnOutput(ReturnSummaryOutput):
    line_id = serializers.CharField()
    sku = serializers.CharField()
    reason = serializers.ChoiceField(choices=ReturnReason.choices)
    reason_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)
    photo_urls = serializers.ListField(child=serializers.CharField())
    replacement_variant_id = serializers.CharField(allow_blank=True, help_text="Exchange: the unit held.")
    replacement_label = serializers.CharField(allow_blank=True, help_text="Exchange: e.g. \"Indigo, L\".")
    refund_method = serializers.CharField(allow_blank=True,
                                          help_text="`original`, `bank_transfer` or `store_credit`; empty for an "
                                                    "exchange.")
    rejection_reason = serializers.CharField(allow_blank=True)
    inspection = serializers.ChoiceField(choices=Inspection.choices, allow_blank=True,
                                         help_text="Set when the store has received the item.")
    updated_at = serializers.DateTimeField()
    can_cancel = serializers.BooleanField(help_text="POST …/cancel is possible (before pickup).")
    timeline = ReturnEventOutput(many=True)


class ReturnPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReturnSummaryOutput(many=True)
