"""The staff returns queue and a request's page: filters, moves through the workflow, refusals as messages."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from truestyle.catalog.models import Variant
from truestyle.orders.tests.factories import stock_of
from truestyle.payments.models import Refund
from truestyle.returns.models import ReturnEvent, ReturnRequest
from truestyle.returns.tests.factories import delivered_order, other_size, request_for, returns_staff_create


@pytest.fixture
def desk(db):
    order, user = delivered_order()  # 2 × Oxford Shirt, size M, cash on delivery
    shirt_l = other_size(Variant.objects.get(pk=order.lines.get().variant_id), size="L", stock=2)
    exchange = request_for(order, user, kind="exchange", replacement_variant_id=str(shirt_l.pk))
    refund = request_for(order, user, kind="return")
    staff = returns_staff_create()
    client = Client()
    client.force_login(staff)
    return {"order": order, "user": user, "exchange": exchange, "return": refund, "shirt_l": shirt_l,
            "staff": staff, "client": client}


def _numbers(html: str) -> list[str]:
    return re.findall(r'data-return="([^"]+)"', html)


def test_the_queue_lists_requests_oldest_first_and_filters_them(desk):
    client = desk["client"]

    html = client.get("/staff/returns/").content.decode()
    assert _numbers(html) == [desk["exchange"].number, desk["return"].number]
    assert "2 new requests waiting" in html and 'href="/staff/returns/"' in html  # in the staff navigation

    assert _numbers(client.get("/staff/returns/?kind=exchange").content.decode()) == [desk["exchange"].number]
    assert _numbers(client.get("/staff/returns/?status=approved").content.decode()) == []
    assert _numbers(client.get(f"/staff/returns/?q={desk['return'].number.lower()}").content.decode()) == [
        desk["return"].number]
    partial = client.get("/staff/returns/?kind=return", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="return-results">') and _numbers(partial) == [desk["return"].number]


def test_staff_walk_a_return_to_completion_from_its_page(desk):
    client, number = desk["client"], desk["return"].number
    url = f"/staff/returns/{number}/status/"
    html = client.get(f"/staff/returns/{number}/").content.decode()
    assert "Approve" in html and "Reject" in html and "₹1,499" in html

    for body in ({"return-to": "approved"}, {"return-to": "picked_up"},
                 {"return-to": "received", "return-inspection": "sellable"}, {"return-to": "completed"}):
        response = client.post(url, body)
        assert response.status_code == 302 and response["Location"] == f"/staff/returns/{number}/"

    assert ReturnRequest.objects.get(number=number).status == "completed"
    assert Refund.objects.get().amount == Decimal("1499.00")
    html = client.get(f"/staff/returns/{number}/").content.decode()
    assert "No further step for staff" in html
    assert "by Meera Support: 1 back in stock; Refund of ₹1499.00 issued" in html


def test_a_refused_move_is_a_message_and_writes_nothing(desk):
    client, number = desk["client"], desk["exchange"].number

    response = client.post(f"/staff/returns/{number}/status/", {"return-to": "rejected", "return-note": ""},
                           follow=True)

    assert "Say why the request is rejected." in response.content.decode()
    response = client.post(f"/staff/returns/{number}/status/", {"return-to": "completed"}, follow=True)
    assert "A request that is requested cannot be moved to completed." in response.content.decode()
    assert ReturnRequest.objects.get(number=number).status == "requested"
    assert ReturnEvent.objects.filter(request__number=number).count() == 1
    assert stock_of(desk["shirt_l"]) == 1

    client.post(f"/staff/returns/{number}/status/", {"return-to": "rejected", "return-note": "Worn"})
    assert ReturnRequest.objects.get(number=number).status == "rejected"
    assert stock_of(desk["shirt_l"]) == 2
