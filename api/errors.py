"""One error shape for every API response: {"error": {"code", "message", "fields"}}.

DRF's own exceptions, Django's Http404/PermissionDenied and the store's
`StoreError` all come out the same way, so a mobile client has one parser.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.serializers import UNKNOWN_FIELD
from truestyle.core.errors import StoreError, Throttled, error_body

_DEFAULT_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "throttled",
}


def _flatten_fields(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub" or "items.0.qty": [messages]}."""
    fields: dict[str, list[str]] = {}

    def walk(value, prefix: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list) and value and all(isinstance(item, (dict, list)) for item in value):
            for index, item in enumerate(value):
                if item:
                    walk(item, f"{prefix}.{index}" if prefix else str(index))
        else:
            messages = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(str(message) for message in messages)

    walk(detail, "")
    return fields


def _leaf_codes(detail) -> set[str]:
    if isinstance(detail, dict):
        return set().union(*(_leaf_codes(item) for item in detail.values()))
    if isinstance(detail, list):
        return set().union(*(_leaf_codes(item) for item in detail))
    return {getattr(detail, "code", None) or ""}


def _first_code(detail, fallback: str) -> str:
    codes = detail if not isinstance(detail, exceptions.ErrorDetail) else detail.code
    while isinstance(codes, (dict, list)):
        if not codes:
            return fallback
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    if isinstance(codes, exceptions.ErrorDetail):
        return codes.code or fallback
    return codes if isinstance(codes, str) and codes else fallback


def api_exception_handler(exc, context):
    if isinstance(exc, StoreError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if isinstance(exc, Throttled):
            response["Retry-After"] = str(exc.retry_after)
        if exc.status == status.HTTP_401_UNAUTHORIZED:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handler answers with the JSON shape

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_fields(exc.detail)
        # A field the serializer does not know is a client bug worth its own code, whatever else failed.
        code = UNKNOWN_FIELD if UNKNOWN_FIELD in _leaf_codes(exc.detail) else "invalid"
        message = "Some fields are not valid." if fields.keys() - {"non_field_errors"} else (
            fields.get("non_field_errors", ["The request is not valid."])[0]
        )
        response.data = error_body(code, message, fields)
        return response

    detail = getattr(exc, "detail", "")
    code = _first_code(detail, _DEFAULT_CODES.get(response.status_code, "error"))
    if isinstance(exc, exceptions.MethodNotAllowed):
        code = "method_not_allowed"
    elif isinstance(exc, exceptions.Throttled):
        code = "throttled"
    message = str(detail) if not isinstance(detail, (dict, list)) else "The request failed."
    response.data = error_body(code, message)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
