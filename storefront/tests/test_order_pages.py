"""The shopper's order pages: list, detail with timeline, cancel, reorder, invoice, paying again; and
another shopper's order is a 404 on every one of them."""

import re
from decimal import Decimal

import pytest

from storefront.tests.conftest import signed_in_client
from truestyle.catalog.models import Product
from truestyle.orders.models import Order
from truestyle.orders.services import order_transition
from truestyle.orders.tests.factories import customer_create, line, place, staff_create, stock_of, stocked_variant
from truestyle.orders.tests.test_invoices import _pdf_text
from truestyle.payments.models import Payment
from truestyle.payments.tests.factories import callback
from truestyle.shopping.selectors import cart_for_user, cart_lines


@pytest.fixture
def shop(db):
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    kurta = stocked_variant(name="Linen Kurta", price="899.00", stock=5, size="L")
    order = place(user=user, address=address, lines=[line(shirt, 2), line(kurta, 1)], payment_method="cod")
    return {"user": user, "address": address, "shirt": shirt, "kurta": kurta, "order": order,
            "client": signed_in_client(user)}


def _ship(order):
    staff = staff_create()
    for status in ("confirmed", "packed"):
        order = order_transition(order=order, to=status, actor=staff)
    return order_transition(order=order, to="shipped", actor=staff, tracking_number="DTDC123456", note="Bluedart")


def test_the_list_shows_each_order_with_its_status(shop):
    online = place(user=shop["user"], address=shop["address"], lines=[line(shop["shirt"])], payment_method="upi")

    html = shop["client"].get("/account/orders/").content.decode()

    assert html.index(online.number) < html.index(shop["order"].number)  # newest first
    assert "Awaiting payment" in html and "Placed" in html
    assert "₹3,897" in html and 'aria-current="page">Orders<' in html


def test_the_detail_shows_lines_address_payment_totals_tracking_and_timeline(shop):
    order = _ship(shop["order"])
    Product.objects.filter(pk=shop["shirt"].product_id).update(name="Renamed Shirt", price=Decimal("999.00"))

    html = shop["client"].get(f"/account/orders/{order.number}/").content.decode()

    # The snapshot taken at placement, whatever the catalogue says now.
    assert "Oxford Shirt" in html and "Renamed Shirt" not in html and "2 × ₹1,499" in html
    assert "12 Residency Road" in html and "Bengaluru, Karnataka 560001" in html
    assert "Cash on delivery" in html and re.search(r'class="payment-status">Due on delivery<', html)
    assert re.search(r'class="summary-total">₹3,897<', html)
    assert "Tracking number <strong>DTDC123456</strong>" in html
    timeline = re.findall(r'class="timeline-status">([^<]+)<', html)
    assert timeline == ["Placed", "Confirmed", "Packed", "Shipped"]
    assert "Bluedart" in html
    assert "Cancel this order" not in html  # shipped: too late
    assert f"/account/orders/{order.number}/invoice/" in html


def test_cancelling_asks_first_then_returns_the_stock(shop):
    order = shop["order"]
    url = f"/account/orders/{order.number}/cancel/"

    confirm = shop["client"].get(url)
    assert confirm.status_code == 200 and "Yes, cancel the order" in confirm.content.decode()
    assert Order.objects.get(pk=order.pk).status == "placed"  # a GET changes nothing

    response = shop["client"].post(url, {"reason": "Ordered the wrong size"})

    assert response.status_code == 302 and response["Location"] == f"/account/orders/{order.number}/"
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert (stock_of(shop["shirt"]), stock_of(shop["kurta"])) == (5, 5)
    page = shop["client"].get(response["Location"]).content.decode()
    assert f"Order {order.number} is cancelled." in page and "Ordered the wrong size" in page


def test_a_shipped_order_cannot_be_cancelled(shop):
    order = _ship(shop["order"])
    url = f"/account/orders/{order.number}/cancel/"

    assert "can no longer be cancelled" in shop["client"].get(url).content.decode()
    response = shop["client"].post(url, follow=True)

    assert "An order that is shipped cannot be moved to cancelled." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "shipped"
    assert (stock_of(shop["shirt"]), stock_of(shop["kurta"])) == (3, 4)


def test_someone_elses_order_is_not_found_everywhere(shop):
    stranger = signed_in_client(customer_create(email="other@example.com")[0])
    number = shop["order"].number
    base = f"/account/orders/{number}"

    for url in (f"{base}/", f"{base}/cancel/", f"{base}/invoice/"):
        assert stranger.get(url).status_code == 404, url
    for url in (f"{base}/cancel/", f"{base}/reorder/", f"{base}/pay/"):
        assert stranger.post(url).status_code == 404, url
    assert Order.objects.get(pk=shop["order"].pk).status == "placed"
    assert number not in stranger.get("/account/orders/").content.decode()


def test_the_invoice_is_a_pdf_with_its_number(shop):
    response = shop["client"].get(f"/account/orders/{shop['order'].number}/invoice/")

    invoice = shop["order"].invoice
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.number.replace("/", "-")}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert invoice.number in _pdf_text(response.content)


def test_an_unpaid_order_has_no_invoice_yet(shop):
    online = place(user=shop["user"], address=shop["address"], lines=[line(shop["shirt"])], payment_method="upi")
    assert shop["client"].get(f"/account/orders/{online.number}/invoice/").status_code == 404
    assert "/invoice/" not in shop["client"].get(f"/account/orders/{online.number}/").content.decode()


def test_reorder_puts_back_what_is_still_sold_and_names_the_rest(shop):
    Product.objects.filter(pk=shop["kurta"].product_id).update(is_active=False)

    response = shop["client"].post(f"/account/orders/{shop['order'].number}/reorder/", follow=True)

    lines = cart_lines(cart=cart_for_user(user=shop["user"]))
    assert [(item.product_name, item.quantity) for item in lines] == [("Oxford Shirt", 2)]
    html = response.content.decode()
    assert "Added to your bag: Oxford Shirt." in html
    assert "Could not be added (no longer sold or not enough in stock): Linen Kurta (Indigo, L)." in html


def test_paying_again_goes_to_the_payment_page_only_while_unpaid(shop):
    online = place(user=shop["user"], address=shop["address"], lines=[line(shop["shirt"])], payment_method="upi")
    payment = Payment.objects.get(order=online)

    page = shop["client"].get(f"/account/orders/{online.number}/").content.decode()
    assert "This order is waiting for its payment." in page and "Pay ₹1,499 now" in page
    response = shop["client"].post(f"/account/orders/{online.number}/pay/")
    assert response.status_code == 302 and response["Location"] == f"/payments/sandbox/{payment.gateway_reference}/"

    refused = shop["client"].post(f"/account/orders/{shop['order'].number}/pay/", follow=True)
    assert "This order is not awaiting payment." in refused.content.decode()


@pytest.mark.parametrize(("status", "shown", "payment_label"), [
    ("failed", "Your payment did not go through.", "Failed"),
    ("pending", "Your payment is pending.", "Pending"),
    ("paid", None, "Paid"),
])
def test_the_order_page_shows_what_the_gateway_said(shop, status, shown, payment_label):
    online = place(user=shop["user"], address=shop["address"], lines=[line(shop["shirt"])], payment_method="upi")
    assert callback(Payment.objects.get(order=online), status, sequence=1)[0] == "applied"

    html = shop["client"].get(f"/account/orders/{online.number}/").content.decode()

    assert re.search(rf'class="payment-status">{payment_label}<', html)
    if shown:
        assert shown in html and "Pay ₹1,499 now" in html
    else:
        assert "Pay ₹1,499 now" not in html and "/invoice/" in html
