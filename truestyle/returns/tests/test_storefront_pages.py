"""The shopper's return pages: what can come back, filing a request (with form errors), tracking, cancelling."""

import re

import pytest

from storefront.tests.conftest import signed_in_client
from truestyle.catalog.models import Variant
from truestyle.orders.tests.factories import customer_create, stock_of
from truestyle.returns.models import ReturnRequest
from truestyle.returns.services import return_transition
from truestyle.returns.tests.factories import (
    delivered_order, other_size, png_upload, request_for, returns_staff_create,
)


@pytest.fixture
def shop(db):
    order, user = delivered_order()  # 2 × Oxford Shirt, size M, cash on delivery
    shirt_m = Variant.objects.get(pk=order.lines.get().variant_id)
    return {"order": order, "user": user, "line": order.lines.get(), "shirt_m": shirt_m,
            "shirt_l": other_size(shirt_m, size="L", stock=2), "client": signed_in_client(user)}


def _new_url(shop) -> str:
    return f"/account/returns/new/{shop['order'].number}/{shop['line'].pk}/"


def test_the_list_offers_the_delivered_line(shop):
    html = shop["client"].get("/account/returns/").content.decode()

    assert "Oxford Shirt" in html and _new_url(shop) in html
    assert "You have no return or exchange requests." in html


def test_filing_an_exchange_holds_the_size_and_shows_the_request(shop):
    response = shop["client"].post(_new_url(shop), {
        "kind": "exchange", "quantity": "1", "reason": "too_small", "replacement_variant_id": str(shop["shirt_l"].pk),
        "comment": "Snug at the shoulders", "photos": [png_upload()]})

    request = ReturnRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/account/returns/{request.number}/"
    assert (request.kind, request.replacement_label, len(request.photos)) == ("exchange", "Indigo, L", 1)
    assert stock_of(shop["shirt_l"]) == 1
    html = shop["client"].get(response["Location"]).content.decode()
    assert re.search(r'id="return-status">Requested<', html)
    assert 'class="return-replacement">Indigo, L<' in html
    assert "Cancel this request" in html


def test_form_errors_come_back_on_the_page_and_write_nothing(shop):
    response = shop["client"].post(_new_url(shop), {"kind": "return", "quantity": "5", "reason": "too_small",
                                                    "refund_method": "bank_transfer"})

    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 2." in response.content.decode()
    response = shop["client"].post(_new_url(shop), {"kind": "exchange", "quantity": "1", "reason": "too_small"})
    assert response.status_code == 400
    assert "Choose another size or colour of the same product." in response.content.decode()
    assert ReturnRequest.objects.count() == 0


def test_the_customer_sees_staff_decisions_and_can_cancel_before_pickup(shop):
    request = request_for(shop["order"], shop["user"], kind="exchange", replacement_variant_id=str(shop["shirt_l"].pk))
    return_transition(request=request, to="approved", actor=returns_staff_create())

    html = shop["client"].get(f"/account/returns/{request.number}/").content.decode()
    assert re.search(r'id="return-status">Approved<', html)
    assert re.findall(r'class="timeline-status">([^<]+)<', html) == ["Requested", "Approved"]

    response = shop["client"].post(f"/account/returns/{request.number}/cancel/")

    assert response.status_code == 302
    assert ReturnRequest.objects.get().status == "cancelled"
    assert stock_of(shop["shirt_l"]) == 2
    html = shop["client"].get(f"/account/returns/{request.number}/").content.decode()
    assert "Cancel this request" not in html and re.search(r'id="return-status">Cancelled<', html)


def test_another_customers_request_and_line_are_not_found(shop):
    request = request_for(shop["order"], shop["user"])
    stranger, _ = customer_create(email="stranger@example.com")
    client = signed_in_client(stranger)

    assert client.get(f"/account/returns/{request.number}/").status_code == 404
    assert client.post(f"/account/returns/{request.number}/cancel/").status_code == 404
    assert client.get(_new_url(shop)).status_code == 404
    assert ReturnRequest.objects.get().status == "requested"
