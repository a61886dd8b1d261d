"""The sandbox provider's hosted page in a real browser: decline, then approve, as a shopper would."""

import pytest

from truestyle.orders.models import Order
from truestyle.payments.models import Payment
from truestyle.payments.services import payment_start
from truestyle.payments.tests.factories import online_order
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def test_a_shopper_declines_then_approves_on_the_sandbox_page(db, live_server, page):
    order, payment, _, _ = online_order(method="card", price="2499.00")
    url = live_server.url + payment_start(order=order)

    page.goto(url)
    assert page.locator(".amount").inner_text() == "₹2499.00"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sandbox_payment_page.png"), full_page=True)
    page.click("button.decline")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Your payment did not go through"
    assert Payment.objects.get(pk=payment.pk).status == "failed"

    page.goto(url)
    page.click("button.approve")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Thank you, your payment is received"
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    assert Order.objects.get(pk=order.pk).status == "placed"
