"""Returns and exchanges over the API: filing (exact refund, the exchange hold), every refusal writing
nothing, cancelling before and after pickup, what can come back, the list and the detail."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from truestyle.accounts import services as account_services
from truestyle.catalog.models import StockMovement, Variant
from truestyle.orders.models import OrderEvent
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.returns.models import ReturnEvent, ReturnLineTally, ReturnRequest
from truestyle.returns.services import return_transition
from truestyle.returns.tests.factories import delivered_order, other_size, request_for, returns_staff_create


def _client(user) -> APIClient:
    access, _ = account_services.token_pair_issue(user=user, device="Pixel 9", ip="127.0.0.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def delivered(db):
    """A cash-on-delivery order of two Oxford Shirts (size M, ₹1499 each), delivered today."""
    order, user = delivered_order()
    shirt_m = Variant.objects.get(pk=order.lines.get().variant_id)
    return {"order": order, "user": user, "client": _client(user), "line": order.lines.get(), "shirt_m": shirt_m}


def _body(order, order_line, **extra):
    return {"order_number": order.number, "line_id": str(order_line.pk), "kind": "return", "quantity": 1,
            "reason": "too_small", **extra}


def _file(delivered, **extra):
    return delivered["client"].post("/api/v1/returns", _body(delivered["order"], delivered["line"], **extra),
                                    format="json")


def _assert_refused(response, status: int, code: str, movements_before: int) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert ReturnRequest.objects.count() == 0
    assert ReturnEvent.objects.count() == 0
    assert StockMovement.objects.count() == movements_before
    assert ReturnLineTally.objects.filter(claimed__gt=0).count() == 0
    assert mail.outbox == []


# --- Filing ----------------------------------------------------------------------------------------

def test_a_return_is_filed_with_its_refund_estimate(delivered):
    movements = StockMovement.objects.count()

    response = _file(delivered, comment="Tight at the shoulders")

    assert response.status_code == 201, response.content
    body = response.json()
    stored = ReturnRequest.objects.get()
    assert body["number"] == stored.number
    assert {key: body[key] for key in ("status", "kind", "order_number", "quantity", "reason", "comment",
                                       "refund_amount", "refund_method", "replacement_variant_id", "can_cancel",
                                       "line_id", "size")} == {
        "status": "requested", "kind": "return", "order_number": delivered["order"].number, "quantity": 1,
        "reason": "too_small", "comment": "Tight at the shoulders", "refund_amount": "1499.00",
        "refund_method": "bank_transfer", "replacement_variant_id": "", "can_cancel": True,
        "line_id": str(delivered["line"].pk), "size": "M"}
    assert [(event["from_status"], event["to_status"]) for event in body["timeline"]] == [("", "requested")]
    assert (stored.status, stored.user_id, str(stored.refund_amount)) == ("requested", delivered["user"].pk,
                                                                          "1499.00")
    assert ReturnLineTally.objects.get(line_id=delivered["line"].pk).claimed == 1
    # A return moves no stock until it is completed.
    assert StockMovement.objects.count() == movements
    assert [message.to for message in mail.outbox] == [[delivered["user"].email]]


def test_a_cod_return_may_ask_for_store_credit(delivered):
    response = _file(delivered, quantity=2, refund_method="store_credit")

    assert response.status_code == 201, response.content
    assert (response.json()["refund_amount"], response.json()["refund_method"]) == ("2998.00", "store_credit")


def test_an_exchange_holds_the_replacement_size(delivered):
    large = other_size(delivered["shirt_m"], size="L", stock=3)

    response = _file(delivered, kind="exchange", replacement_variant_id=str(large.pk), reason="too_small")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["kind"], body["refund_amount"], body["refund_method"],
            body["replacement_variant_id"], body["replacement_label"]) == (
        "requested", "exchange", "0.00", "", str(large.pk), "Indigo, L")
    assert stock_of(large) == 2 == ledger_sum(large)
    hold = StockMovement.objects.get(variant_id=large.pk, reference=body["number"])
    assert (hold.delta, hold.reason) == (-1, "sale")


# --- Refusals write nothing ------------------------------------------------------------------------

def test_after_the_return_window_it_is_refused(delivered):
    OrderEvent.objects.filter(order=delivered["order"], to_status="delivered").update(
        created_at=timezone.now() - timedelta(days=30, minutes=1))
    movements = StockMovement.objects.count()

    _assert_refused(_file(delivered), 409, "return_window_closed", movements)


def test_an_order_not_yet_delivered_is_refused(db):
    user, address = customer_create(email="ravi@example.com")
    order = place(user=user, address=address, lines=[line(stocked_variant(), 1)])
    mail.outbox.clear()
    movements = StockMovement.objects.count()

    response = _client(user).post("/api/v1/returns", _body(order, order.lines.get()), format="json")

    _assert_refused(response, 409, "not_delivered", movements)


def test_more_than_delivered_is_refused(delivered):
    movements = StockMovement.objects.count()

    response = _file(delivered, quantity=3)

    _assert_refused(response, 409, "quantity_too_high", movements)
    assert list(response.json()["error"]["fields"]) == ["quantity"]


def test_another_shoppers_order_is_not_found(delivered):
    intruder, _ = customer_create(email="intruder@example.com")
    movements = StockMovement.objects.count()

    response = _client(intruder).post("/api/v1/returns", _body(delivered["order"], delivered["line"]),
                                      format="json")

    _assert_refused(response, 404, "order_not_found", movements)


def test_an_exchange_must_name_another_size(delivered):
    movements = StockMovement.objects.count()

    _assert_refused(_file(delivered, kind="exchange"), 400, "invalid_replacement", movements)


def test_unknown_fields_are_refused(delivered):
    movements = StockMovement.objects.count()

    response = _file(delivered, refund_amount="99999.00")

    _assert_refused(response, 400, "unknown_field", movements)
    assert list(response.json()["error"]["fields"]) == ["refund_amount"]


# --- Cancelling ------------------------------------------------------------------------------------

def test_an_exchange_is_cancelled_before_pickup_and_its_hold_released(delivered):
    large = other_size(delivered["shirt_m"], size="L", stock=3)
    request = request_for(delivered["order"], delivered["user"], kind="exchange",
                          replacement_variant_id=str(large.pk))
    return_transition(request=request, to="approved", actor=returns_staff_create())
    assert stock_of(large) == 2

    response = delivered["client"].post(f"/api/v1/returns/{request.number}/cancel")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["can_cancel"]) == ("cancelled", False)
    assert [event["to_status"] for event in response.json()["timeline"]] == ["requested", "approved", "cancelled"]
    assert ReturnRequest.objects.get().status == "cancelled"
    assert stock_of(large) == 3 == ledger_sum(large)
    assert ReturnLineTally.objects.get().claimed == 0


def test_after_pickup_cancelling_is_refused_and_changes_nothing(delivered):
    request = request_for(delivered["order"], delivered["user"])
    staff = returns_staff_create()
    request = return_transition(request=request, to="approved", actor=staff)
    request = return_transition(request=request, to="picked_up", actor=staff)
    events = ReturnEvent.objects.count()

    detail = delivered["client"].get(f"/api/v1/returns/{request.number}").json()
    response = delivered["client"].post(f"/api/v1/returns/{request.number}/cancel")

    assert detail["can_cancel"] is False
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "invalid_transition"
    assert ReturnRequest.objects.get().status == "picked_up"
    assert ReturnEvent.objects.count() == events


def test_a_body_sent_to_cancel_is_refused(delivered):
    request = request_for(delivered["order"], delivered["user"])

    response = delivered["client"].post(f"/api/v1/returns/{request.number}/cancel", {"note": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_field"
    assert ReturnRequest.objects.get().status == "requested"


# --- Reading ---------------------------------------------------------------------------------------

def test_the_eligible_lines_give_the_window_end_and_units_left(delivered):
    large = other_size(delivered["shirt_m"], size="L", stock=3)
    other_size(delivered["shirt_m"], size="XL", stock=0)  # sold out: not offered
    request_for(delivered["order"], delivered["user"])
    delivered_at = OrderEvent.objects.get(order=delivered["order"], to_status="delivered").created_at

    response = delivered["client"].get("/api/v1/returns/eligible")

    assert response.status_code == 200
    [item] = response.json()
    assert {key: item[key] for key in ("order_number", "line_id", "size", "unit_price", "quantity", "available",
                                       "payment_method", "refund_methods", "exchange_options")} == {
        "order_number": delivered["order"].number, "line_id": str(delivered["line"].pk), "size": "M",
        "unit_price": "1499.00", "quantity": 2, "available": 1, "payment_method": "cod",
        "refund_methods": ["bank_transfer", "store_credit"],
        "exchange_options": [{"variant_id": str(large.pk), "colour": "Indigo", "size": "L"}]}
    assert datetime.fromisoformat(item["return_until"]) == delivered_at + timedelta(days=30)


def test_nothing_is_eligible_once_every_unit_is_claimed_or_for_another_shopper(delivered):
    request_for(delivered["order"], delivered["user"], quantity=2)
    intruder, _ = customer_create(email="intruder@example.com")

    assert delivered["client"].get("/api/v1/returns/eligible").json() == []
    assert _client(intruder).get("/api/v1/returns/eligible").json() == []


def test_the_list_is_mine_newest_first_and_paginated(delivered):
    first = request_for(delivered["order"], delivered["user"])
    second = request_for(delivered["order"], delivered["user"], reason="too_large")
    stranger_order, stranger = delivered_order(email="stranger@example.com",
                                               items=[(stocked_variant(name="Linen Tee", price="799.00"), 1)])
    request_for(stranger_order, stranger)

    body = delivered["client"].get("/api/v1/returns").json()
    page = delivered["client"].get("/api/v1/returns?page_size=1&page=2").json()

    assert body["count"] == 2
    assert [(item["number"], item["status"], item["refund_amount"], item["product_name"])
            for item in body["results"]] == [(second.number, "requested", "1499.00", "Oxford Shirt"),
                                              (first.number, "requested", "1499.00", "Oxford Shirt")]
    assert (page["count"], [item["number"] for item in page["results"]]) == (2, [first.number])


def test_the_detail_of_another_shoppers_return_is_not_found(delivered):
    request = request_for(delivered["order"], delivered["user"])
    intruder, _ = customer_create(email="intruder@example.com")

    mine = delivered["client"].get(f"/api/v1/returns/{request.number}")
    theirs = _client(intruder).get(f"/api/v1/returns/{request.number}")
    cancel = _client(intruder).post(f"/api/v1/returns/{request.number}/cancel")

    assert mine.status_code == 200
    assert (mine.json()["number"], mine.json()["reason_label"], mine.json()["status_label"]) == (
        request.number, "Too small", "Requested")
    assert (theirs.status_code, theirs.json()["error"]["code"]) == (404, "return_not_found")
    assert (cancel.status_code, cancel.json()["error"]["code"]) == (404, "return_not_found")
    assert ReturnRequest.objects.get().status == "requested"


def test_signed_out_callers_are_refused(api):
    assert api.get("/api/v1/returns").status_code == 401
    assert api.post("/api/v1/returns", {}, format="json").status_code == 401
