"""A new provider is one PaymentGateway subclass plus one settings line."""

import pytest

from truestyle.core.errors import StoreError
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant
from truestyle.payments.gateways import CallbackEvent, PaymentGateway, gateway_get
from truestyle.payments.models import Payment
from truestyle.payments.services import payment_callback_receive, payment_start


class ExampleGateway(PaymentGateway):
    name = "examplepay"

    def create_payment(self, *, payment, return_url=""):
        return f"https://pay.example/checkout/{payment.gateway_reference}"

    def verify_callback(self, *, body, signature):
        reference, status = body.decode().split(":")
        return CallbackEvent(event_id=f"{reference}-{status}", reference=reference, status=status, sequence=1,
                             timestamp=int(__import__("time").time()), payload={"raw": body.decode()})

    def refund(self, *, refund):
        return "ex-refund"


@pytest.fixture
def examplepay(settings):
    settings.PAYMENT_GATEWAYS = {**settings.PAYMENT_GATEWAYS,
                                 "examplepay": "truestyle.payments.tests.test_gateways.ExampleGateway"}
    settings.PAYMENT_DEFAULT_GATEWAY = "examplepay"


def test_a_registered_gateway_takes_payments_without_other_changes(db, examplepay):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(stock=2))], payment_method="card")
    payment = Payment.objects.get(order=order)

    url = payment_start(order=order)
    outcome, payment = payment_callback_receive(gateway_name="examplepay",
                                                body=f"{payment.gateway_reference}:paid".encode(), signature="")

    assert payment.gateway == "examplepay"
    assert url == f"https://pay.example/checkout/{payment.gateway_reference}"
    assert (outcome, payment.status, payment.order.status) == ("applied", "paid", "placed")


def test_an_unregistered_gateway_is_refused():
    with pytest.raises(StoreError) as refusal:
        gateway_get("nopay")
    assert refusal.value.code == "gateway_unknown"
