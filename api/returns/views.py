"""Returns and exchanges API for the signed-in shopper: what can come back, filing a request, tracking
and cancelling it. Validation here; every rule (eligibility, the exchange hold, who may cancel when)
lives in truestyle.returns.services, called as the account pages call it.

Requests and orders are looked up among the caller's own only, so another shopper's request or
order answers 404 and nothing about it is revealed or changed.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StorePagination
from api.returns import serializers as s
from api.serializers import ErrorSerializer, refuse_body
from truestyle.core.errors import NotFound
from truestyle.orders.selectors import order_for_customer
from truestyle.returns import selectors, services
from truestyle.returns.models import ReturnReason, ReturnRequest
from truestyle.returns.statuses import Actor, ReturnStatus, next_statuses_for


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


RETURN_NOT_FOUND = _error("`return_not_found`: you have no return or exchange with this number.")
BUSY = _error("`transaction_aborted`: the store was too busy and nothing was written; try again.")
REQUEST_ERRORS = {
    400: _error("`invalid` / `unknown_field` (see `fields`), `invalid_replacement` (an exchange must name another "
                "size or colour of the same product), or `invalid_input`."),
    404: _error("`order_not_found` (not one of your orders) or `line_not_found` (not a line of that order)."),
    409: _error("`not_delivered`, `not_returnable` (the category's rule, e.g. innerwear), `return_window_closed`, "
                "`quantity_too_high` (more than the line's units not already being returned), or "
                "`replacement_unavailable` (the chosen size is sold out). Nothing was written."),
    503: BUSY,
}


class ShopperAPIView(APIView):
    permission_classes = [IsAuthenticated]


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _return_of_user(request, number: str) -> ReturnRequest:
    found = selectors.return_of_user(user=request.user, number=number)
    if found is None:
        raise NotFound("That return does not exist.", code="return_not_found")
    return found


def return_summary(item: ReturnRequest) -> dict:
    return {"number": item.number, "status": item.status, "status_label": _label(ReturnStatus, item.status),
            "kind": item.kind, "order_number": item.order.number, "product_name": item.line.product_name,
            "size": item.line.size, "colour": item.line.colour, "quantity": item.quantity,
            "refund_amount": item.refund_amount, "created_at": item.created_at}


def return_detail(item: ReturnRequest) -> dict:
    return {
        **return_summary(item), "line_id": str(item.line_id), "sku": item.line.sku, "reason": item.reason,
        "reason_label": _label(ReturnReason, item.reason), "comment": item.comment,
        "photo_urls": [reverse("file", args=[name]) for name in item.photos],
        "replacement_variant_id": item.replacement_variant_id, "replacement_label": item.replacement_label,
        "refund_method": item.refund_method, "rejection_reason": item.rejection_reason,
        "inspection": item.inspection, "updated_at": item.updated_at,
        "can_cancel": ReturnStatus.CANCELLED in next_statuses_for(item.status, Actor.CUSTOMER),
        "timeline": [{"from_status": event.from_status, "to_status": event.to_status,
                      "label": _label(ReturnStatus, event.to_status), "note": event.note,
                      "created_at": event.created_at} for event in selectors.return_events(request=item)],
    }


def _eligible(entry: dict) -> dict:
    order, line = entry["order"], entry["line"]
    cod = order.payment_method == "cod"
    return {"order_number": order.number, "line_id": str(line.pk), "product_name": line.product_name,
            "product_slug": line.product_slug, "sku": line.sku, "size": line.size, "colour": line.colour,
            "unit_price": line.unit_price, "quantity": line.quantity, "available": entry["available"],
            "return_until": entry["until"], "payment_method": order.payment_method,
            "refund_methods": list(services.COD_REFUND_METHODS) if cod else [],
            "exchange_options": [{"variant_id": str(variant.pk), "colour": variant.colourway.name,
                                  "size": variant.size} for variant in selectors.exchange_options(line=line)]}


class ReturnListView(ShopperAPIView):
    pagination_class = StorePagination

    @extend_schema(operation_id="returns_list", summary="My returns and exchanges, newest first (page by page)",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
                   responses={200: s.ReturnPageOutput, 404: _error("`not_found`: no such page.")}, tags=["returns"])
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.returns_of_user(user=request.user), request, view=self)
        return paginator.get_paginated_response([s.ReturnSummaryOutput(return_summary(item)).data
                                                 for item in page])

    @extend_schema(operation_id="returns_create",
                   summary="Return or exchange a delivered item within its return window",
                   description="Files a request for `quantity` units of one delivered order line (see GET "
                               "/api/v1/returns/eligible). A return is refunded to the original payment, or for "
                               "cash on delivery by `refund_method`; an exchange names `replacement_variant_id`, "
                               "and that unit is held from now until the request is completed, rejected or "
                               "cancelled. Photos cannot be attached here: add them with the request on the "
                               "store's web pages. A refusal writes nothing.",
                   request=s.ReturnInput,
                   responses={201: OpenApiResponse(s.ReturnOutput, description="Filed: status `requested`."),
                              **REQUEST_ERRORS}, tags=["returns"])
    def post(self, request):
        data = s.ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        order = order_for_customer(user=request.user, number=values.pop("order_number"))
        created = services.return_request(user=request.user, order_id=order.pk, **values)
        return Response(s.ReturnOutput(return_detail(_return_of_user(request, created.number))).data,
                        status=status.HTTP_201_CREATED)


class EligibleLinesView(ShopperAPIView):
    @extend_schema(operation_id="returns_eligible",
                   summary="My delivered items that can still be returned or exchanged, with window end and "
                           "units allowed",
                   responses={200: s.EligibleLineOutput(many=True)}, tags=["returns"])
    def get(self, request):
        return Response(s.EligibleLineOutput([_eligible(entry) for entry in selectors.returnable_lines(
            user=request.user)], many=True).data)


class ReturnDetailView(ShopperAPIView):
    @extend_schema(operation_id="returns_retrieve",
                   summary="One of my returns or exchanges: status, refund, held replacement and timeline",
                   responses={200: s.ReturnOutput, 404: RETURN_NOT_FOUND}, tags=["returns"])
    def get(self, request, return_number):
        return Response(s.ReturnOutput(return_detail(_return_of_user(request, return_number))).data)


class ReturnCancelView(ShopperAPIView):
    @extend_schema(operation_id="returns_cancel",
                   summary="Cancel my return or exchange before pickup (an exchange's held unit goes back)",
                   request=None,
                   responses={200: s.ReturnOutput, 404: RETURN_NOT_FOUND,
                              409: _error("`invalid_transition` (picked up, finished, rejected or already "
                                          "cancelled) or `return_changed`. Nothing was written."),
                              503: BUSY}, tags=["returns"])
    def post(self, request, return_number):
        refuse_body(request)
        item = services.return_transition(request=_return_of_user(request, return_number), to=ReturnStatus.CANCELLED,
                                          actor=request.user, note="Cancelled by the customer.")
        return Response(s.ReturnOutput(return_detail(_return_of_user(request, item.number))).data)
