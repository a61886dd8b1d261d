"""The payment gateway's callback as the API documents and validates it (the sandbox provider's format)."""

from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer
from truestyle.payments.gateways import CALLBACK_STATUSES


class PaymentCallbackInput(StrictSerializer):
    event_id = PlainCharField(max_length=100, help_text="Unique per event: a second delivery is a replay.")
    reference = PlainCharField(max_length=100, help_text="The payment's reference given to the gateway.")
    status = serializers.ChoiceField(choices=sorted(CALLBACK_STATUSES))
    sequence = serializers.IntegerField(min_value=0, help_text="Grows with every event of a payment.")
    timestamp = serializers.IntegerField(min_value=0, help_text="Unix seconds when the gateway sent it.")


class PaymentCallbackOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["applied", "unchanged"])
    payment_status = serializers.CharField()
