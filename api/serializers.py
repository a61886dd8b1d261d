"""Serializer bases shared by every API endpoint.

Every input serializer (what a request body is validated with) derives from
`StrictInputMixin`, usually through `StrictSerializer`: a field the client
sends that the serializer does not declare is refused with the error code
`unknown_field`, never silently dropped. api/tests/test_input_serializers.py
walks the schema and fails for any request body whose serializer is not strict.
"""

from rest_framework import serializers

UNKNOWN_FIELD = "unknown_field"


class StrictInputMixin:
    """Refuses fields it does not declare: nothing a client sends is silently ignored or applied.

    Put it before the serializer base (`class X(StrictInputMixin, serializers.Serializer)`);
    nested strict serializers refuse their own unknown fields, reported as "parent.field".
    """

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]}, code="invalid")
        declared = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - declared)
        if unknown:
            raise serializers.ValidationError({key: [serializers.ErrorDetail("This field is not allowed.",
                                                                             code=UNKNOWN_FIELD)]
                                               for key in unknown})
        return super().to_internal_value(data)


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """The base of every input serializer."""


class NoBodyInput(StrictSerializer):
    """The input of an operation that takes no body: every field sent is an unknown field."""


def refuse_body(request) -> None:
    """Call first in a handler that takes no body, so a body sent to it is refused rather than ignored."""
    NoBodyInput(data=request.data if request.data not in (None, "") else {}).is_valid(raise_exception=True)


class PlainCharField(serializers.CharField):
    """A string field that refuses objects and arrays (no operator injection such as {"$ne": ""})."""

    def to_internal_value(self, data):
        if isinstance(data, (dict, list, bool)):
            self.fail("invalid")
        return super().to_internal_value(data)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `unknown_field`, `invalid_input`, "
                                           "`not_found`, `throttled`.")
    message = serializers.CharField(help_text="A sentence a person can read.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Messages per field (`field`, `parent.child`, `items.0.qty`).")


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()
