import html
import json
import re

import pytest

from truestyle.core.errors import StoreError
from truestyle.orders.models import Order
from truestyle.payments.gateways.sandbox import sandbox_callback_build
from truestyle.payments.models import Payment, PaymentLog
from truestyle.payments.services import payment_start
from truestyle.payments.tests.factories import online_order

CALLBACK = "/payments/callback/sandbox/"


def test_payment_start_hands_the_order_to_the_sandbox_page_and_logs_it(db):
    order, payment, _, _ = online_order()

    url = payment_start(order=order)

    assert url == f"/payments/sandbox/{payment.gateway_reference}/"
    log = PaymentLog.objects.get(kind="request")
    assert (log.outcome, log.payload["redirect_url"], log.payload["amount"]) == ("redirect", url, "1499.00")


def test_a_cod_or_paid_order_cannot_be_started_again(db):
    order, payment, _, _ = online_order()
    Order.objects.filter(pk=order.pk).update(status="placed")

    with pytest.raises(StoreError) as refusal:
        payment_start(order=Order.objects.get(pk=order.pk))

    assert refusal.value.code == "not_awaiting_payment"
    assert PaymentLog.objects.filter(kind="request").count() == 0


def test_a_server_to_server_callback_is_verified_by_its_header(db, client):
    order, payment, _, _ = online_order()
    body, signature = sandbox_callback_build(reference=payment.gateway_reference, status="paid", sequence=10)

    forged = client.post(CALLBACK, body, content_type="application/json", headers={"X-Signature": "ab" * 32})
    good = client.post(CALLBACK, body, content_type="application/json", headers={"X-Signature": signature})
    again = client.post(CALLBACK, body, content_type="application/json", headers={"X-Signature": signature})

    assert (forged.status_code, forged.json()) == (409, {"outcome": "forged_signature"})
    assert (good.status_code, good.json()) == (200, {"outcome": "applied"})
    assert (again.status_code, again.json()) == (409, {"outcome": "replay"})
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_an_unknown_gateway_is_not_found(db, client):
    response = client.post("/payments/callback/paypal/", b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "gateway_unknown"


def test_the_sandbox_page_approves_and_the_browser_carries_the_signed_verdict_back(db, client):
    order, payment, _, _ = online_order()
    page_url = payment_start(order=order)

    shown = client.get(page_url)
    decided = client.post(page_url, {"decision": "approve"})
    fields = dict(re.findall(r'name="(payload|signature)" value="([^"]+)"', decided.content.decode()))
    body = html.unescape(fields["payload"])  # exactly the bytes the browser posts back
    payload = json.loads(body)
    returned = client.post(CALLBACK, {"payload": body, "signature": fields["signature"]})

    assert shown.status_code == 200 and "₹1499.00" in shown.content.decode()
    assert (payload["reference"], payload["status"]) == (payment.gateway_reference, "paid")
    assert returned.status_code == 200
    assert "Thank you, your payment is received" in returned.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_the_sandbox_page_of_an_unknown_payment_is_not_found(db, client):
    assert client.get("/payments/sandbox/pay_nothing/").status_code == 404


def test_without_the_sandbox_its_page_and_callbacks_do_not_exist(db, client, settings):
    order, payment, _, _ = online_order()
    settings.PAYMENT_GATEWAYS = {}
    body, signature = sandbox_callback_build(reference=payment.gateway_reference, status="paid", sequence=1)

    page = client.get(f"/payments/sandbox/{payment.gateway_reference}/")
    paid = client.post(CALLBACK, body, content_type="application/json", headers={"X-Signature": signature})

    assert page.status_code == 404
    assert (paid.status_code, paid.json()["error"]["code"]) == (404, "gateway_unknown")
    assert Payment.objects.get(pk=payment.pk).status == "created"
