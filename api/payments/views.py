"""The payment gateway's server-to-server callback under the API.

No JWT: the gateway signs the exact body with HMAC (header X-Signature), as at /payments/callback/.
Verification, replay and ordering rules are the domain's (payment_callback_receive); every
refusal answers in the one error shape and changes nothing but the payment log.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.payments import serializers as s
from api.serializers import ErrorSerializer
from truestyle.core.errors import StoreError
from truestyle.payments.services import payment_callback_receive
from truestyle.payments.views import ACCEPTED, SIGNATURE_HEADER

# Refused outcomes of payment_callback_receive -> (HTTP status, message).
REFUSALS = {
    "forged_signature": (400, "The callback signature is not valid."),
    "malformed": (400, "The callback could not be read."),
    "unknown_reference": (404, "No payment has this reference."),
    "stale": (409, "The callback is too old."),
    "replay": (409, "This callback was already received."),
    "out_of_order": (409, "A newer callback for this payment was already applied."),
    "regression": (409, "The payment cannot go back to that status."),
}


class PaymentCallbackView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Gateway callback: a signed payment status notification (server to server)",
        request=s.PaymentCallbackInput,
        parameters=[OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True,
                                     description="Hex HMAC-SHA256 of the exact request body with the gateway's key.")],
        responses={
            200: s.PaymentCallbackOutput,
            400: OpenApiResponse(ErrorSerializer, description="`forged_signature`, `malformed`, `invalid`, "
                                                              "`unknown_field` or `invalid_input`: nothing changed."),
            404: OpenApiResponse(ErrorSerializer, description="`gateway_unknown` or `unknown_reference`."),
            409: OpenApiResponse(ErrorSerializer, description="`replay`, `out_of_order`, `regression` or `stale`: "
                                                              "nothing changed."),
        },
        tags=["payments"])
    def post(self, request, gateway):
        raw = request.body  # the signature covers these exact bytes; read them before DRF parses the body
        s.PaymentCallbackInput(data=request.data).is_valid(raise_exception=True)
        outcome, payment = payment_callback_receive(gateway_name=gateway, body=raw,
                                                    signature=request.headers.get(SIGNATURE_HEADER, ""))
        if outcome not in ACCEPTED:
            code, message = REFUSALS.get(outcome, (409, "The callback was refused."))
            raise StoreError(message, code=outcome, status=code)
        return Response({"outcome": outcome, "payment_status": payment.status})
