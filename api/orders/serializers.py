"""Input and output shapes of the checkout and orders API."""

from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer
from api.shopping.serializers import CartLineOutput, ObjectIdField
from truestyle.orders.models import PaymentMethod, ShippingMethod
from truestyle.orders.statuses import OrderStatus


STATUS_HELP = "One of: " + ", ".join(f"`{value}`" for value in OrderStatus.values) + "."


def _money(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class CheckoutInput(StrictSerializer):
    address_id = ObjectIdField(help_text="One of the shopper's addresses (GET /api/v1/me/addresses).")
    shipping_method = serializers.ChoiceField(choices=ShippingMethod.choices)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    coupon_code = PlainCharField(max_length=40, required=False, allow_blank=True, default="")


class OrderPlaceInput(CheckoutInput):
    expected_total = _money(required=False, allow_null=True, default=None, min_value=0,
                            help_text="The total the shopper was shown (from the quote). When given and today's "
                                      "total differs, the order is refused with `price_changed` and nothing is "
                                      "charged.")


class QuoteOutput(serializers.Serializer):
    lines = CartLineOutput(many=True)
    item_count = serializers.IntegerField()
    subtotal = _money()
    discount = _money()
    coupon_code = serializers.CharField(help_text="The coupon applied (normalised), or empty.")
    shipping_fee = _money()
    total = _money()
    currency = serializers.CharField()
    payment_method = serializers.CharField()
    cod_available = serializers.BooleanField(help_text="Whether cash on delivery can be chosen for this order.")
    cod_unavailable_reason = serializers.CharField(help_text="Why not (empty when it can).")
    online_payment_available = serializers.BooleanField(
        help_text="Whether UPI and card can be chosen; when false, placing with them is refused (`payment_unavailable`).")


class AddressSnapshotOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField()
    state = serializers.CharField()
    pincode = serializers.CharField()


class OrderLineOutput(serializers.Serializer):
    variant_id = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    sku = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    unit_price = _money()
    quantity = serializers.IntegerField()
    line_total = _money()


class OrderEventOutput(serializers.Serializer):
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(help_text=STATUS_HELP)
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class OrderSummaryOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField()
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    total = _money()
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    placed_at = serializers.DateTimeField(allow_null=True)


class OrderOutput(OrderSummaryOutput):
    payment_status = serializers.CharField(allow_null=True, help_text="Status of the latest payment record.")
    shipping_method = serializers.ChoiceField(choices=ShippingMethod.choices)
    shipping_address = AddressSnapshotOutput()
    lines = OrderLineOutput(many=True)
    subtotal = _money()
    discount = _money()
    coupon_code = serializers.CharField(allow_blank=True)
    shipping_fee = _money()
    tracking_number = serializers.CharField(allow_blank=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="An unpaid online order is cancelled then.")
    can_cancel = serializers.BooleanField()
    can_pay = serializers.BooleanField(help_text="Awaiting payment: POST …/pay for a payment page.")
    has_invoice = serializers.BooleanField()
    timeline = OrderEventOutput(many=True)


class OrderPlacedOutput(serializers.Serializer):
    order = OrderOutput()
    payment_url = serializers.URLField(allow_null=True, help_text="UPI and card: open this payment page. "
                                                                 "Cash on delivery: null.")


class OrderPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderSummaryOutput(many=True)


class PaymentStartOutput(serializers.Serializer):
    payment_url = serializers.URLField()
