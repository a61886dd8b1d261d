"""Input and output shapes of the cart and wishlist API."""

from bson import ObjectId
from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer
from truestyle.orders.services.placement import MAX_LINE_QUANTITY


class ObjectIdField(PlainCharField):
    """A 24-hex-digit store id; anything else is refused before it reaches a query."""

    default_error_messages = {"invalid_id": "Not a valid id."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 24)
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not ObjectId.is_valid(value):
            self.fail("invalid_id")
        return value


class CartLineAddInput(StrictSerializer):
    variant_id = ObjectIdField(help_text="The size to add (a `variant_id` of the product detail).")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, default=1,
                                        help_text="Added to what the bag already holds of this size.")


class CartLineQuantityInput(StrictSerializer):
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY,
                                        help_text="The new quantity; 0 removes the line.")


class CartLineOutput(serializers.Serializer):
    variant_id = serializers.CharField()
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Today's price (INR).")
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    in_stock = serializers.IntegerField(help_text="Units of this size in stock now.")
    image_url = serializers.CharField(allow_null=True)


class CartOutput(serializers.Serializer):
    lines = CartLineOutput(many=True)
    item_count = serializers.IntegerField(help_text="Units in the bag (the number on the bag icon).")
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class WishlistAddInput(StrictSerializer):
    product_id = ObjectIdField()
    colourway_id = ObjectIdField(required=False, allow_null=True, default=None)
    notify_price_drop = serializers.BooleanField(required=False, default=False)


class WishlistNotifyInput(StrictSerializer):
    notify_price_drop = serializers.BooleanField(help_text="Email me when this product gets cheaper.")


class WishlistMoveInput(StrictSerializer):
    variant_id = ObjectIdField(help_text="The size to put in the bag (one of `sizes_in_stock`).")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, default=1)


class WishlistSizeOutput(serializers.Serializer):
    variant_id = serializers.CharField()
    size = serializers.CharField()
    stock = serializers.IntegerField()


class WishlistItemOutput(serializers.Serializer):
    id = serializers.CharField()
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    colourway_id = serializers.CharField(allow_null=True)
    colour = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Today's price (INR).")
    price_when_added = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_dropped = serializers.BooleanField()
    notify_price_drop = serializers.BooleanField()
    image_url = serializers.CharField(allow_null=True)
    sizes_in_stock = WishlistSizeOutput(many=True)
