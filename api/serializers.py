"""Serializer bases shared by every API endpoint."""

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare: nothing a client sends is silently ignored or applied."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]}, code="invalid")
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({key: ["This field is not allowed."] for key in unknown}, code="unknown_field")
        return super().to_internal_value(data)


class PlainCharField(serializers.CharField):
    """A string field that refuses objects and arrays (no operator injection such as {"$ne": ""})."""

    def to_internal_value(self, data):
        if isinstance(data, (dict, list, bool)):
            self.fail("invalid")
        return super().to_internal_value(data)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()
