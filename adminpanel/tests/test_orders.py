"""Staff order pages: the filtered list, an order's page, its moves (allowed and refused), payments,
refunds and the invoice."""

import html
import re
import threading
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client

from adminpanel import orders as order_pages
from truestyle.accounts.models import User
from truestyle.accounts.tests.factories import user_create
from truestyle.orders.models import Order, OrderEvent
from truestyle.catalog.models import StockMovement
from truestyle.orders.tests.factories import (
    customer_create, ledger_sum, line, place, staff_create, stock_of, stocked_variant,
)
from truestyle.payments.models import Payment, Refund
from truestyle.payments.tests.factories import callback

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def manager(db):
    return staff_create()  # an order manager: manage_orders and manage_payments


@pytest.fixture
def client(manager):
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def cod_order(db):
    user, address = customer_create()
    variant = stocked_variant(stock=5)
    return place(user=user, address=address, lines=[line(variant, 2)]), variant


def _placed_on(order, moment: datetime) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=moment)


@pytest.fixture
def three_orders(db):
    """COD by Asha (placed, cash pending), UPI by Ravi (awaiting payment), card by Ravi (paid and placed)."""
    asha, asha_address = customer_create(email="asha@example.com")
    ravi, ravi_address = customer_create(email="rk@example.com")
    User.objects.filter(pk=ravi.pk).update(name="Ravi Kumar")
    variant = stocked_variant(stock=20)
    cod = place(user=asha, address=asha_address, lines=[line(variant)])
    upi = place(user=ravi, address=ravi_address, lines=[line(variant)], payment_method="upi")
    card = place(user=ravi, address=ravi_address, lines=[line(variant)], payment_method="card")
    callback(Payment.objects.get(order=card), "paid", sequence=1)
    # 23:30 and 00:30 in India fall on different dates although both are 25 Nov in UTC.
    _placed_on(cod, datetime(2026, 11, 20, 10, 0, tzinfo=IST))
    _placed_on(upi, datetime(2026, 11, 25, 23, 30, tzinfo=IST))
    _placed_on(card, datetime(2026, 11, 26, 0, 30, tzinfo=IST))
    return {"cod": cod.number, "upi": upi.number, "card": card.number}


def _listed(client, query: str) -> list[str]:
    response = client.get("/staff/orders/?" + query)
    assert response.status_code == 200
    return [row["order"].number for row in response.context["rows"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["card", "upi", "cod"]),
    ("status=placed", ["card", "cod"]),
    ("status=pending_payment", ["upi"]),
    ("status=shipped", []),
    ("payment_method=cod", ["cod"]),
    ("payment_method=upi", ["upi"]),
    ("payment_status=paid", ["card"]),
    ("payment_status=pending", ["cod"]),
    ("payment_status=created", ["upi"]),
    ("placed_from=2026-11-26", ["card"]),
    ("placed_to=2026-11-25", ["upi", "cod"]),
    ("placed_from=2026-11-21&placed_to=2026-11-25", ["upi"]),
    ("placed_from=2026-11-20&placed_to=2026-11-20", ["cod"]),
    ("q=kumar", ["card", "upi"]),
    ("q=ASHA%40example", ["cod"]),
    ("q=nobody", []),
    ("q=ravi&status=placed&payment_method=card", ["card"]),
    # A malformed date is shown as an error and left out; the other filters still apply.
    ("placed_from=yesterday&payment_method=cod", ["cod"]),
])
def test_the_filters_return_exactly_the_matching_orders(client, three_orders, query, expected):
    assert _listed(client, query) == [three_orders[name] for name in expected]


def test_the_search_finds_an_order_by_part_of_its_number(client, three_orders):
    number = three_orders["upi"]

    assert _listed(client, f"q={number[-6:].lower()}") == [number]


def test_the_list_shows_payment_and_status_and_errors(client, three_orders):
    body = client.get("/staff/orders/").content.decode()
    refused = client.get("/staff/orders/?placed_from=2026-11-26&placed_to=2026-11-20")

    assert "3 orders" in body and "Ravi Kumar" in body and "rk@example.com" in body
    assert 'class="status staff-payment-status-paid">Paid<' in body and "Awaiting payment" in body
    assert refused.context["form"].errors["placed_to"] == ["The end date cannot be before the start date."]
    assert [row["order"].number for row in refused.context["rows"]] == [three_orders["card"]]


def test_htmx_filtering_returns_only_the_results(client, three_orders):
    response = client.get("/staff/orders/?payment_method=cod", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="order-results">') and "<html" not in body
    assert three_orders["cod"] in body and three_orders["upi"] not in body


def test_pages_keep_the_filters(client, three_orders, monkeypatch):
    monkeypatch.setattr(order_pages, "PER_PAGE", 1)

    first = client.get("/staff/orders/?q=ravi").content.decode()
    second = client.get("/staff/orders/?q=ravi&page=2")

    assert "Page 1 of 2" in first and 'href="?q=ravi&amp;page=2"' in first
    assert [row["order"].number for row in second.context["rows"]] == [three_orders["upi"]]


def _move(client, order, to, *, from_status=None, **fields):
    data = {"transition-from_status": from_status or Order.objects.get(pk=order.pk).status, "transition-to": to}
    data.update({f"transition-{name}": value for name, value in fields.items()})
    response = client.post(f"/staff/orders/{order.number}/status/", data, follow=True)
    # Allowed or refused, the answer is the order's page with a message.
    assert response.redirect_chain == [(f"/staff/orders/{order.number}/", 302)]
    return [str(message) for message in response.context["messages"]]


def _events(order) -> list[tuple]:
    return [(event.from_status, event.to_status, event.actor_id, event.note)
            for event in OrderEvent.objects.filter(order_id=order.pk).order_by("created_at", "pk")]


def test_staff_move_an_order_through_to_delivery_and_each_move_is_recorded(client, manager, cod_order):
    order, _ = cod_order
    staff = str(manager.pk)
    customer = str(order.user_id)

    assert _move(client, order, "confirmed") == [f"Order {order.number} is now confirmed."]
    assert _move(client, order, "packed") == [f"Order {order.number} is now packed."]
    assert _move(client, order, "shipped", tracking_number=" DTDC998877 ", note="Bluedart") == [
        f"Order {order.number} is now shipped. Tracking number DTDC998877."]
    assert _move(client, order, "delivered") == [f"Order {order.number} is now delivered."]

    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.tracking_number) == ("delivered", "DTDC998877")
    assert _events(order) == [("", "placed", customer, "Order placed"), ("placed", "confirmed", staff, ""),
                              ("confirmed", "packed", staff, ""), ("packed", "shipped", staff, "Bluedart"),
                              ("shipped", "delivered", staff, "")]
    assert Payment.objects.get(order=order).status == "paid"  # cash collected on delivery
    page = client.get(f"/staff/orders/{order.number}/").content.decode()
    assert "Shipped → Delivered" in page and "by Ravi Staff (orders@example.com)" in page
    assert "by Customer (asha@example.com)" in page and "No further step: the order is delivered." in page


@pytest.mark.parametrize(("status", "buttons"), [
    ("placed", ["Confirm order", "Cancel order"]),
    ("confirmed", ["Mark packed", "Cancel order"]),
    ("packed", ["Mark shipped", "Cancel order"]),
    ("shipped", ["Mark delivered"]),
    ("delivered", []),
    ("cancelled", []),
])
def test_the_page_offers_the_moves_staff_may_make(client, cod_order, status, buttons):
    order, _ = cod_order
    Order.objects.filter(pk=order.pk).update(status=status)

    response = client.get(f"/staff/orders/{order.number}/")

    assert [move["label"] for move in response.context["moves"]] == buttons
    body = response.content.decode()
    assert ('id="tracking-number"' in body) is (status == "packed")
    assert ('id="cancel-reason"' in body) is ("Cancel order" in buttons)


@pytest.mark.parametrize(("status", "to", "message"), [
    ("placed", "packed", "An order that is placed cannot be moved to packed."),
    ("placed", "delivered", "An order that is placed cannot be moved to delivered."),
    ("shipped", "cancelled", "An order that is shipped cannot be moved to cancelled."),
    ("delivered", "shipped", "An order that is delivered cannot be moved to shipped."),
    ("pending_payment", "placed", "You are not allowed to make this change to the order."),
])
def test_a_refused_move_is_a_message_and_writes_nothing(client, cod_order, status, to, message):
    order, variant = cod_order
    Order.objects.filter(pk=order.pk).update(status=status)
    before = _events(order)

    shown = _move(client, order, to, tracking_number="T1", note="Because")

    assert shown == [message]
    assert Order.objects.get(pk=order.pk).status == status
    assert _events(order) == before and len(before) == 1
    assert stock_of(variant) == 3 and Payment.objects.get(order=order).status == "pending"


def test_shipping_without_a_tracking_number_is_refused(client, cod_order):
    order, _ = cod_order
    _move(client, order, "confirmed")
    _move(client, order, "packed")
    before = _events(order)

    shown = _move(client, order, "shipped", tracking_number="   ")

    assert shown == ["Enter the tracking number of the shipment."]
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.tracking_number) == ("packed", "")
    assert _events(order) == before and len(before) == 3


def test_a_move_from_an_out_of_date_page_is_refused(client, cod_order):
    order, variant = cod_order
    _move(client, order, "confirmed")

    # Another tab still shows the order as placed and cancels it.
    shown = _move(client, order, "cancelled", from_status="placed", note="Customer called")

    assert shown == ["This order changed in the meantime: it is now confirmed. Check it and try again."]
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert len(_events(order)) == 2 and stock_of(variant) == 3


def test_a_cancellation_needs_a_reason(client, cod_order):
    order, variant = cod_order

    shown = _move(client, order, "cancelled", note="  ")

    assert shown == ["Give the reason for cancelling the order."]
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert len(_events(order)) == 1 and stock_of(variant) == 3


def test_an_unknown_status_is_refused(client, cod_order):
    order, _ = cod_order

    shown = _move(client, order, "lost")

    assert shown == ["Select a valid choice. lost is not one of the available choices."]
    assert Order.objects.get(pk=order.pk).status == "placed" and len(_events(order)) == 1


def test_cancelling_a_paid_order_refunds_it_and_returns_the_stock(client, manager):
    user, address = customer_create()
    variant = stocked_variant(price="999.00", stock=4)
    order = place(user=user, address=address, lines=[line(variant, 2)], payment_method="card")
    callback(Payment.objects.get(order=order), "paid", sequence=1)
    assert stock_of(variant) == 2

    shown = _move(client, order, "cancelled", note="Out of stock at the warehouse")

    assert shown == [f"Order {order.number} is now cancelled."]
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert _events(order)[-1] == ("placed", "cancelled", str(manager.pk), "Out of stock at the warehouse")
    refund = Refund.objects.get(payment__order=order)
    assert (refund.amount, refund.status, refund.reason) == (
        Decimal("1998.00"), "processed", "Out of stock at the warehouse")
    assert Payment.objects.get(order=order).status == "refunded"
    assert stock_of(variant) == 4 == ledger_sum(variant)
    page = client.get(f"/staff/orders/{order.number}/").content.decode()
    assert 'class="status staff-refund-status-processed">Processed<' in page and "₹1,998" in page


def test_the_page_shows_lines_totals_address_payments_and_their_logs(client, db):
    user, address = customer_create()
    variant = stocked_variant(name="Linen Kurta", price="1200.00", stock=4)
    order = place(user=user, address=address, lines=[line(variant, 2)], payment_method="upi")
    payment = Payment.objects.get(order=order)
    callback(payment, "paid", sequence=1)

    body = client.get(f"/staff/orders/{order.number}/").content.decode()

    assert "Linen Kurta" in body and variant.sku in body and "₹2,400" in body
    assert "12 Residency Road" in body and "Bengaluru, Karnataka 560001" in body
    assert "Awaiting payment → Placed" in body and "by Store (automatic)" in body
    assert f"Gateway sandbox · reference {payment.gateway_reference}" in body and "₹2,400</strong> · UPI" in body
    assert body.count("<tr", body.index('class="staff-table staff-order-payment-log"')) >= 3
    assert "callback evt-paid-1" in body and "Callback from gateway" in body


def test_without_manage_payments_the_payments_section_is_hidden_but_refunds_show(db, cod_order):
    order, _ = cod_order
    group = Group.objects.create(name="order_desk")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="accounts",
                                                     codename__in=["view_staff_area", "manage_orders"]))
    desk = user_create(email="desk@example.com", name="Desk")
    desk.groups.add(group)
    client = Client()
    client.force_login(desk)

    response = client.get(f"/staff/orders/{order.number}/")

    body = response.content.decode()
    assert response.status_code == 200 and response.context["can_payments"] is False
    assert "Payments</h2>" not in body and "Refunds</h2>" in body
    assert Payment.objects.get(order=order).gateway_reference not in body


@pytest.mark.parametrize("role", ["catalogue_manager", "content_editor", "support_agent"])
def test_staff_without_manage_orders_are_refused(db, cod_order, role):
    order, variant = cod_order
    other = user_create(email=f"{role}@example.com")
    other.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(other)

    answers = [client.get("/staff/orders/").status_code, client.get(f"/staff/orders/{order.number}/").status_code,
               client.get(f"/staff/orders/{order.number}/invoice/").status_code,
               client.post(f"/staff/orders/{order.number}/status/",
                           {"transition-from_status": "placed", "transition-to": "cancelled",
                            "transition-note": "No"}).status_code]

    assert answers == [403, 403, 403, 403]
    assert Order.objects.get(pk=order.pk).status == "placed" and len(_events(order)) == 1
    assert stock_of(variant) == 3
    assert ">Orders<" not in client.get("/staff/").content.decode()


def test_staff_download_the_invoice(client, cod_order):
    order, _ = cod_order
    invoice = Order.objects.get(pk=order.pk).invoice

    response = client.get(f"/staff/orders/{order.number}/invoice/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.number.replace("/", "-")}.pdf"'
    assert response.content.startswith(b"%PDF")
    page = client.get(f"/staff/orders/{order.number}/").content.decode()
    assert f'href="/staff/orders/{order.number}/invoice/"' in page and f"Invoice {invoice.number} (PDF)" in page


def test_an_order_without_an_invoice_says_so(client, db):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(stock=2))], payment_method="upi")

    response = client.get(f"/staff/orders/{order.number}/invoice/")

    assert (response.status_code, response["Location"]) == (302, f"/staff/orders/{order.number}/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["This order has no invoice yet."]


def test_unknown_orders_are_404_and_moves_need_post(client, cod_order):
    order, _ = cod_order

    assert client.get("/staff/orders/TS000000-NOSUCH/").status_code == 404
    assert client.post("/staff/orders/TS000000-NOSUCH/status/", {}).status_code == 404
    assert client.get(f"/staff/orders/{order.number}/status/").status_code == 405
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_two_staff_cancelling_at_once_cancel_once(db, cod_order):
    """Both pages show the order placed; both press "Cancel order" together: one move, one stock return."""
    order, variant = cod_order
    clients = []
    for index in range(2):
        client = Client()
        client.force_login(staff_create(email=f"desk{index}@example.com"))
        clients.append(client)
    start = threading.Barrier(2)
    shown = [None, None]

    def cancel(index):
        try:
            start.wait()
            response = clients[index].post(f"/staff/orders/{order.number}/status/", {
                "transition-from_status": "placed", "transition-to": "cancelled",
                "transition-note": f"Desk {index}"}, follow=True)
            # From the page itself: the test client's captured contexts mix when threads render at once.
            shown[index] = [html.unescape(text) for text in
                            re.findall(r'<p class="message message-\w+">(.*?)</p>', response.content.decode())]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(len(messages) for messages in shown) == [1, 1]
    winners = [messages for messages in shown if messages == [f"Order {order.number} is now cancelled."]]
    assert len(winners) == 1, shown
    # The loser is refused, whichever check caught it first (the page's status, the table or the race).
    assert [messages for messages in shown if messages not in winners][0][0] in {
        "This order changed in the meantime: it is now cancelled. Check it and try again.",
        "An order that is cancelled cannot be moved to cancelled.",
        "This order changed in the meantime. Please reload it.",
    }
    assert [to for _, to, _, _ in _events(order)] == ["placed", "cancelled"]
    assert StockMovement.objects.filter(variant_id=variant.pk, reason="return").count() == 1
    assert stock_of(variant) == 5 == ledger_sum(variant)
