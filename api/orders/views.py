"""Checkout and orders API for the signed-in shopper: validation here, rules in truestyle.orders and payments.

Orders are looked up by number among the caller's own orders only (order_for_customer), so
another shopper's order answers 404 and nothing about it is revealed or changed.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.orders import checkout
from api.orders import serializers as s
from api.pagination import StorePagination
from api.serializers import ErrorSerializer, refuse_body
from truestyle.core.errors import Conflict
from truestyle.orders import selectors
from truestyle.orders.models import PaymentMethod
from truestyle.orders.services import PlacementLine, order_place, order_transition
from truestyle.orders.statuses import OrderStatus
from truestyle.payments.services import payment_start

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


QUOTE_ERRORS = {
    400: _error("`invalid` / `unknown_field`, `cart_empty` (nothing in the bag), or `invalid_input`."),
    404: _error("`address_not_found`: not one of your addresses."),
    409: _error("A coupon refusal: `coupon_not_found`, `coupon_inactive`, `coupon_not_started`, `coupon_expired`, "
                "`coupon_exhausted`, `coupon_min_order`, `coupon_not_applicable`, `coupon_customer_limit`."),
}
PLACE_ERRORS = {
    400: _error("`invalid` / `unknown_field` (also a missing or too long Idempotency-Key), `cart_empty`, "
                "`cod_unavailable`, `payment_unavailable` (UPI or card while no payment gateway is configured), "
                "`variant_unavailable`, or `invalid_input`."),
    404: _error("`address_not_found`: not one of your addresses."),
    409: _error("`idempotency_key_reused` (this key placed an order for a different request), `price_changed`, "
                "`not_enough_stock`, or a coupon refusal such as `coupon_exhausted`. Nothing was charged."),
    503: _error("`transaction_aborted`: the store was too busy and nothing was written; or `database_unavailable`: "
                "the database could not be reached (see Retry-After). Retry with the same key."),
}
ORDER_NOT_FOUND = _error("`order_not_found`: you have no order with this number.")


class ShopperAPIView(APIView):
    permission_classes = [IsAuthenticated]


def _order(request, number: str):
    return selectors.order_for_customer(user=request.user, number=number)


def _payment_url(request, order) -> str | None:
    if order.status != OrderStatus.PENDING_PAYMENT or order.payment_method == PaymentMethod.COD:
        return None
    return request.build_absolute_uri(payment_start(order=order, return_url=""))


class CheckoutQuoteView(ShopperAPIView):
    @extend_schema(summary="Quote the bag: subtotal, coupon discount, shipping, total and whether COD is possible",
                   request=s.CheckoutInput, responses={200: s.QuoteOutput, **QUOTE_ERRORS}, tags=["checkout"])
    def post(self, request):
        data = s.CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(s.QuoteOutput(checkout.checkout_quote(user=request.user, **data.validated_data)).data)


class OrderListView(ShopperAPIView):
    pagination_class = StorePagination

    @extend_schema(operation_id="orders_list", summary="My orders, newest first (page by page)",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
                   responses={200: s.OrderPageOutput, 404: _error("`not_found`: no such page.")}, tags=["orders"])
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.orders_of_customer(user=request.user), request, view=self)
        return paginator.get_paginated_response([s.OrderSummaryOutput(checkout.order_summary(order)).data
                                                 for order in page])

    @extend_schema(summary="Place an order from the bag (send the same Idempotency-Key when retrying)",
                   description="Places the current bag at today's prices. The `Idempotency-Key` header is required: "
                               "a retry with the same key and body answers 200 with the order already placed (and "
                               "places nothing); the same key with a different body is refused with "
                               "`idempotency_key_reused`. UPI and card orders answer with the `payment_url` to open.",
                   request=s.OrderPlaceInput,
                   parameters=[OpenApiParameter(IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=True,
                                                description="A fresh random value per checkout, at most 100 "
                                                            "characters, reused only for retries.")],
                   responses={201: OpenApiResponse(s.OrderPlacedOutput, description="Placed now."),
                              200: OpenApiResponse(s.OrderPlacedOutput,
                                                   description="Already placed with this key: the same order."),
                              **PLACE_ERRORS}, tags=["orders"])
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: [
                f"Send a header {IDEMPOTENCY_HEADER} of 1 to {MAX_KEY_LENGTH} printable characters."]})
        data = s.OrderPlaceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        expected_total = values.pop("expected_total")

        with checkout.idempotency_lock(user=request.user, key=key):
            order, created = self._place(request, key, values, expected_total)
        return Response(s.OrderPlacedOutput({"order": checkout.order_detail(order),
                                             "payment_url": _payment_url(request, order)}).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _place(self, request, key: str, values: dict, expected_total):
        """(order, placed now?) for this key: the order already placed with it, or a new one."""
        existing = checkout.order_by_idempotency_key(user=request.user, key=key)
        if existing is None:
            bag = checkout.cart_items_of(request.user)
            if bag and expected_total is not None:
                total = checkout.checkout_quote(user=request.user, **values)["total"]
                if total != expected_total:
                    raise Conflict(f"The total changed from ₹{expected_total} to ₹{total}. Please review your bag.",
                                   code="price_changed", fields={"expected_total": [str(total)]})
            lines = [PlacementLine(line.variant_id, line.quantity, line.unit_price) for line in bag]
            # The bag is emptied once an order commits: a retry racing its first try finds the order instead.
            existing = None if lines else checkout.order_by_idempotency_key(user=request.user, key=key)
        if existing is not None:
            # A retry: the order's own lines stand for the bag it was placed from, so the domain's
            # fingerprint tells "same request" (same order back) from "different request" (refused).
            lines = [PlacementLine(line.variant_id, line.quantity, line.unit_price) for line in existing.lines.all()]
        order = order_place(user=request.user, lines=lines, idempotency_key=key, **values)
        return order, existing is None


class OrderDetailView(ShopperAPIView):
    @extend_schema(summary="One of my orders: lines, totals, address, payment, tracking and timeline",
                   responses={200: s.OrderOutput, 404: ORDER_NOT_FOUND}, tags=["orders"])
    def get(self, request, number):
        return Response(s.OrderOutput(checkout.order_detail(_order(request, number))).data)


class OrderCancelView(ShopperAPIView):
    @extend_schema(summary="Cancel my order before it ships (stock returns; a paid order is refunded)",
                   request=None, responses={200: s.OrderOutput, 404: ORDER_NOT_FOUND, 409: _error(
                       "`invalid_transition` (shipped, delivered or already cancelled) or `order_changed`.")},
                   tags=["orders"])
    def post(self, request, number):
        refuse_body(request)
        order = order_transition(order=_order(request, number), to=OrderStatus.CANCELLED, actor=request.user,
                                 note="Cancelled by the customer")
        return Response(s.OrderOutput(checkout.order_detail(_order(request, order.number))).data)


class OrderPayView(ShopperAPIView):
    @extend_schema(summary="Start (or restart) paying an order that awaits payment: the payment page to open",
                   request=None, responses={200: s.PaymentStartOutput, 404: ORDER_NOT_FOUND, 409: _error(
                       "`not_awaiting_payment`: the order is paid, cash on delivery, or cancelled.")},
                   tags=["orders"])
    def post(self, request, number):
        refuse_body(request)
        order = _order(request, number)
        return Response({"payment_url": request.build_absolute_uri(payment_start(order=order, return_url=""))})


class OrderInvoiceView(ShopperAPIView):
    @extend_schema(summary="The order's tax invoice as a PDF",
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                        description="The invoice PDF."),
                              404: _error("`order_not_found`, or `invoice_not_found` (no invoice yet: issued "
                                          "when the order is placed and paid).")}, tags=["orders"])
    def get(self, request, number):
        filename, pdf = selectors.invoice_pdf_for_order(order=_order(request, number))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def perform_content_negotiation(self, request, force=False):
        # The PDF is written directly; errors always come back as JSON, whatever the client accepts.
        return JSONRenderer(), JSONRenderer.media_type
