"""Checkout in a real browser: a guest bags a shirt, signs in at checkout and places a COD order; a
shopper pays by UPI on the sandbox's hosted page and downloads the invoice."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from storefront.tests.catalog_data import catalogue_create
from truestyle.accounts.tests.factories import PASSWORD
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import customer_create, stock_of, stocked_variant
from truestyle.promotions.tests.factories import coupon_create
from truestyle.shopping.services import cart_add, cart_get_or_create
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def _sign_in(page, email):
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/account/sign-in/'] button[type=submit]")


def test_a_guest_bags_a_shirt_signs_in_at_checkout_and_pays_cash_on_delivery(db, live_server, page):
    catalogue = catalogue_create()
    user, _ = customer_create(email="meera@example.com")  # a saved default address in Bengaluru
    coupon_create(code="SAVE10", kind="percent", value="10")

    page.goto(live_server.url + "/p/oxford-shirt/")
    page.wait_for_function("window.htmx !== undefined")
    page.wait_for_load_state("networkidle")
    page.click(".swatch[title=White]")
    page.wait_for_function("document.querySelector('#product-main').dataset.colour === 'white'")
    page.click(".size-option[data-size=S]")
    page.click("#add-to-bag button[type=submit]")
    page.wait_for_function("document.querySelector('#cart-badge .cart-count')?.textContent === '1'")

    page.goto(live_server.url + "/cart/")
    page.click(".cart-checkout")
    page.wait_for_url(live_server.url + "/account/sign-in/?next=/checkout/")
    _sign_in(page, "meera@example.com")
    page.wait_for_url(live_server.url + "/checkout/")

    # The guest's bag came along through sign-in.
    assert page.locator(".summary-line-name").all_inner_texts() == ["Oxford Shirt"]
    assert page.locator(".summary-total").inner_text() == "₹1,499"
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.notReloaded = true")

    page.fill("#coupon-code", "SAVE10")
    page.click(".coupon-row button")
    page.locator(".coupon-ok").wait_for()
    assert page.locator(".coupon-ok").inner_text() == "SAVE10 applied: you save ₹149.90."
    assert page.locator(".summary-total").inner_text() == "₹1,349.10"  # standard shipping is free from ₹999

    page.check("input[name=shipping_method][value=express]")
    page.wait_for_function("document.querySelector('.summary-shipping').textContent === '₹149'")
    page.check("input[name=payment_method][value=cod]")
    page.wait_for_function("document.querySelector('button[name=place]').textContent.trim() === 'Place order'")
    assert page.evaluate("window.notReloaded") is True  # every recompute was an htmx swap
    assert page.locator(".summary-total").inner_text() == "₹1,498.10"
    page.screenshot(path="/tmp/checkout.png", full_page=True)
    page.screenshot(path=str(ARTIFACTS / "checkout.png"), full_page=True)

    page.click("button[name=place]")
    page.wait_for_url(re.compile(r"/account/orders/TS\d{6}-[A-Z0-9]{6}/\?placed=1$"))
    assert page.locator(".order-thanks h2").inner_text() == "Thank you, your order is placed"
    page.screenshot(path=str(ARTIFACTS / "order-confirmation.png"), full_page=True)
    order = Order.objects.get()
    assert (order.user_id, order.status, order.payment_method, order.shipping_method, order.coupon_code,
            order.total) == (user.pk, "placed", "cod", "express", "SAVE10", Decimal("1498.10"))
    lines = [(line.product_name, line.colour, line.size) for line in order.lines.all()]
    assert lines == [("Oxford Shirt", "White", "S")]
    assert stock_of(catalogue["white_s"]) == 1


def test_a_shopper_pays_by_upi_in_the_sandbox_and_downloads_the_invoice(db, live_server, page):
    user, _ = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)

    page.goto(live_server.url + "/checkout/")
    _sign_in(page, user.email)
    page.wait_for_url(live_server.url + "/checkout/")
    assert page.locator("input[name=payment_method][value=upi]").is_checked()
    page.click("button[name=place]")

    page.wait_for_url(re.compile(r"/payments/sandbox/pay_[0-9a-f]+/$"))
    assert page.locator(".amount").inner_text() == "₹2998.00"
    page.click("button.approve")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Thank you, your payment is received"

    order = Order.objects.get()
    assert order.status == "placed"
    page.goto(f"{live_server.url}/account/orders/{order.number}/")
    assert page.locator(".payment-status").inner_text() == "Paid"
    assert page.locator(".order-head .order-status").inner_text() == "Placed"
    assert page.locator(".timeline-status").all_inner_texts() == ["Awaiting payment", "Placed"]
    page.screenshot(path="/tmp/order.png", full_page=True)
    page.screenshot(path=str(ARTIFACTS / "order.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("text=Download invoice")
    download = download_info.value
    invoice = order.invoice
    assert page.locator(".invoice-number").inner_text() == invoice.number
    assert download.suggested_filename == f"invoice-{invoice.number.replace('/', '-')}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.click("text=All orders")
    page.wait_for_url(live_server.url + "/account/orders/")
    ordered_on = f"{timezone.localtime(order.created_at):%-d %b %Y}"  # the store's day, Asia/Kolkata
    assert page.locator(".orders-table tbody td").all_inner_texts() == [order.number, ordered_on, "Placed", "₹2,998"]
    page.screenshot(path=str(ARTIFACTS / "orders.png"), full_page=True)
