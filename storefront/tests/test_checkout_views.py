"""Checkout pages: placing COD and online orders, every refusal shown with nothing written, coupons,
cash-on-delivery eligibility, a new address, and a double submit giving one order."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client

from storefront.tests.conftest import signed_in_client
from truestyle.accounts.models import Address
from truestyle.catalog.models import Product, Variant
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import customer_create, stock_of, stocked_variant
from truestyle.payments.models import Payment
from truestyle.promotions.models import Coupon
from truestyle.promotions.tests.factories import coupon_create
from truestyle.shopping.selectors import cart_for_user, cart_item_count
from truestyle.shopping.services import cart_add, cart_get_or_create

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bag(db):
    """A signed-in shopper (default address in Bengaluru) with 2 shirts at ₹1,499 in the bag; 5 in stock."""
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)
    return {"user": user, "address": address, "shirt": shirt, "client": signed_in_client(user)}


def _form(client) -> dict:
    """What the checkout page would submit as rendered: its key and its lines."""
    html = client.get("/checkout/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    return {"idempotency_key": key, "line": re.findall(r'name="line" value="([^"]+)"', html)}


def _place(bag, form=None, **choices):
    data = {**(form or _form(bag["client"])), "address_id": str(bag["address"].pk), "shipping_method": "standard",
            "payment_method": "cod", "coupon_code": "", **choices}
    return bag["client"].post("/checkout/place/", data)


def _nothing_written(bag, *, stock=5):
    assert Order.objects.count() == 0 and Payment.objects.count() == 0
    assert stock_of(bag["shirt"]) == stock
    assert cart_item_count(cart=cart_for_user(user=bag["user"])) == 2


def test_a_guest_is_sent_to_sign_in_and_back(db):
    response = Client().get("/checkout/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/checkout/"


def test_the_page_shows_the_bag_addresses_shipping_and_payment(bag):
    response = bag["client"].get("/checkout/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Oxford Shirt" in html and "Qty 2" in html
    assert f'name="line" value="{bag["shirt"].pk}|2|1499.00"' in html
    assert "12 Residency Road" in html and f'value="{bag["address"].pk}" checked' in html
    assert "₹79, free on orders of ₹999 or more" in html and "₹149 on every order" in html
    assert re.search(r'class="summary-subtotal">₹2,998<', html)
    assert re.search(r'class="summary-shipping">Free<', html)
    assert re.search(r'class="summary-total">₹2,998<', html)
    assert re.search(r'name="payment_method" value="cod"(?! disabled)', html)
    assert len(re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)) >= 24


def test_an_empty_bag_has_nothing_to_check_out(db):
    user, _ = customer_create()
    html = signed_in_client(user).get("/checkout/").content.decode()
    assert "Your bag is empty" in html and "checkout-place" not in html and 'name="line"' not in html


def test_placing_a_cod_order_goes_to_its_confirmation(bag):
    response = _place(bag, shipping_method="express")

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/account/orders/{order.number}/?placed=1"
    assert (order.status, order.payment_method, order.subtotal, order.shipping_fee, order.total) == (
        "placed", "cod", Decimal("2998.00"), Decimal("149.00"), Decimal("3147.00"))
    assert stock_of(bag["shirt"]) == 3
    assert cart_item_count(cart=cart_for_user(user=bag["user"])) == 0
    page = bag["client"].get(response["Location"]).content.decode()
    assert "Thank you, your order is placed" in page and "keep ₹3,147 ready" in page


@pytest.mark.parametrize("method", ["upi", "card"])
def test_an_online_payment_goes_to_the_payment_page(bag, method):
    response = _place(bag, payment_method=method)

    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert (order.status, payment.method) == ("pending_payment", method)
    assert response.status_code == 302
    assert response["Location"] == f"/payments/sandbox/{payment.gateway_reference}/"


def test_a_double_submit_gives_one_order(bag):
    form = _form(bag["client"])

    first = _place(bag, form)
    second = _place(bag, form)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert stock_of(bag["shirt"]) == 3


def test_simultaneous_submits_of_one_page_give_one_order(bag):
    """Four clicks of the same page at once (the same browser session), in real threads."""
    form = _form(bag["client"])
    data = {**form, "address_id": str(bag["address"].pk), "shipping_method": "standard", "payment_method": "cod"}
    start, answers = threading.Barrier(4), [None] * 4

    def submit(index):
        browser = Client()
        browser.cookies = bag["client"].cookies
        try:
            start.wait()
            answers[index] = browser.post("/checkout/place/", data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    order = Order.objects.get()
    assert [answer.status_code for answer in answers] == [302] * 4
    assert {answer["Location"] for answer in answers} == {f"/account/orders/{order.number}/?placed=1"}
    assert Payment.objects.count() == 1 and stock_of(bag["shirt"]) == 3


def test_the_same_key_for_a_different_bag_is_refused_with_a_fresh_key(bag):
    form = _form(bag["client"])
    _place(bag, form)
    other = stocked_variant(name="Linen Kurta", price="899.00", stock=4, size="L")
    cart_add(cart=cart_get_or_create(user=bag["user"]), variant_id=other.pk, quantity=1)

    response = _place(bag, {**form, "line": [f"{other.pk}|1|899.00"]})

    html = response.content.decode()
    assert response.status_code == 409
    assert "already used for a different bag" in html
    assert f'name="idempotency_key" value="{form["idempotency_key"]}"' not in html
    assert Order.objects.count() == 1 and stock_of(other) == 4


def test_a_changed_price_is_shown_and_nothing_is_charged(bag):
    form = _form(bag["client"])
    Product.objects.filter(pk=bag["shirt"].product_id).update(price=Decimal("1599.00"))

    response = _place(bag, form)

    html = response.content.decode()
    assert response.status_code == 409
    assert "The price of Oxford Shirt changed from ₹1499.00 to ₹1599.00" in html
    assert "Price changed: now ₹1,599 (was ₹1,499)" in html
    assert re.search(r'class="summary-total">₹3,198<', html)
    _nothing_written(bag)

    # The page now carries the new price: placing again agrees to it.
    again = _place(bag, {**form, "line": re.findall(r'name="line" value="([^"]+)"', html)})
    assert again.status_code == 302 and Order.objects.get().total == Decimal("3198.00")


def test_out_of_stock_is_refused_and_writes_nothing(bag):
    form = _form(bag["client"])
    Variant.objects.filter(pk=bag["shirt"].pk).update(stock=1)

    response = _place(bag, form)

    assert response.status_code == 409
    assert "Not enough stock of Oxford Shirt (Indigo, M) for this order." in response.content.decode()
    _nothing_written(bag, stock=1)


def test_cod_is_disabled_with_its_reason_for_an_unserviceable_pin(db):
    user, address = customer_create(pincode="744101")
    shirt = stocked_variant(stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=1)
    client = signed_in_client(user)

    html = client.get("/checkout/").content.decode()
    assert 'name="payment_method" value="cod" disabled' in html
    assert "Cash on delivery is not available for this PIN code." in html

    bag = {"user": user, "address": address, "shirt": shirt, "client": client}
    response = _place(bag, payment_method="cod")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-error checkout-banner" role="alert"><p>Cash on delivery is not available for this PIN code.' in html
    assert 'class="field-error" role="alert">Pay by UPI or card for this address.<' in html
    assert Order.objects.count() == 0 and stock_of(shirt) == 5


def test_cod_is_disabled_from_the_maximum_total(db):
    user, _ = customer_create()
    coat = stocked_variant(name="Wool Coat", price="5000.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=coat.pk, quantity=2)

    html = signed_in_client(user).get("/checkout/").content.decode()

    assert 'name="payment_method" value="cod" disabled' in html
    assert "Cash on delivery is available for orders below ₹10,000." in html


def test_without_an_online_gateway_only_cod_is_offered_and_upi_is_refused(bag, settings):
    settings.PAYMENT_GATEWAYS = {}

    html = bag["client"].get("/checkout/").content.decode()
    assert 'name="payment_method" value="upi" disabled aria-describedby="upi-reason"' in html
    assert 'name="payment_method" value="card" disabled aria-describedby="card-reason"' in html
    assert 'name="payment_method" value="cod" checked>' in html
    assert html.count("Online payment is not available right now; choose cash on delivery.") == 2

    response = _place(bag, payment_method="upi")

    assert response.status_code == 400
    assert ('class="field-error" role="alert">Online payment is not available right now; choose cash on delivery.<'
            in response.content.decode())
    _nothing_written(bag)


def test_a_coupon_applies_in_the_summary_and_a_refusal_shows_on_the_field(bag):
    coupon_create(code="SAVE10", kind="percent", value="10")
    base = {"address_id": str(bag["address"].pk), "shipping_method": "standard", "payment_method": "upi"}

    applied = bag["client"].post("/checkout/summary/", {**base, "coupon_code": "save10"}, **HTMX).content.decode()
    assert applied.lstrip().startswith('<div id="checkout-summary"')
    assert "SAVE10 applied: you save ₹299.80." in applied
    assert re.search(r'class="summary-discount">−₹299.80<', applied)
    assert re.search(r'class="summary-total">₹2,698.20<', applied)
    assert 'id="checkout-payment" class="card checkout-step" hx-swap-oob="true"' in applied
    assert '<div id="coupon-message" hx-swap-oob="true">' in applied
    assert 'name="coupon_code"' not in applied  # what the shopper types is never swapped away

    refused = bag["client"].post("/checkout/summary/", {**base, "coupon_code": "NOPE"}, **HTMX).content.decode()
    assert 'id="coupon-error">We do not know that coupon code.<' in refused
    assert "summary-discount" not in refused and re.search(r'class="summary-total">₹2,998<', refused)


def test_the_summary_follows_the_shipping_method(bag):
    data = {"address_id": str(bag["address"].pk), "shipping_method": "express", "payment_method": "upi"}
    html = bag["client"].post("/checkout/summary/", data, **HTMX).content.decode()
    assert re.search(r'class="summary-shipping">₹149<', html) and re.search(r'class="summary-total">₹3,147<', html)


def test_a_coupon_is_redeemed_with_the_order(bag):
    coupon_create(code="SAVE10", kind="percent", value="10")
    response = _place(bag, coupon_code="save10")
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.discount, order.coupon_code, order.total) == (Decimal("299.80"), "SAVE10", Decimal("2698.20"))
    assert Coupon.objects.get().uses == 1


def test_a_coupon_gone_at_placement_is_refused_on_its_field_and_writes_nothing(bag):
    form = _form(bag["client"])
    coupon_create(code="ONCE", kind="flat", value="200", usage_limit=1, uses=1)

    response = _place(bag, form, coupon_code="ONCE")

    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="coupon-error">This coupon is no longer available.<' in html
    assert Coupon.objects.get().uses == 1
    _nothing_written(bag)


def test_a_new_address_is_saved_once_and_shipped_to(bag):
    form = _form(bag["client"])
    new = {"address_id": "new", "new-label": "Office", "new-name": "Asha Rao", "new-phone": "9876543210",
           "new-line1": "4 MG Road", "new-line2": "", "new-city": "Pune", "new-state": "Maharashtra",
           "new-pincode": "411001"}

    first = _place(bag, form, **new)
    second = _place(bag, form, **new)  # the same page submitted twice

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Address.objects.filter(user=bag["user"]).count() == 2
    order = Order.objects.get()
    assert (order.shipping_address["line1"], order.shipping_address["pincode"]) == ("4 MG Road", "411001")


def test_an_incomplete_new_address_is_shown_with_its_errors(bag):
    response = _place(bag, address_id="new", **{"new-name": "Asha Rao", "new-pincode": "0123"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please check the delivery address." in html and "This field is required." in html
    assert Address.objects.filter(user=bag["user"]).count() == 1
    _nothing_written(bag)


def test_a_missing_payment_method_is_refused_not_guessed(bag):
    response = _place(bag, payment_method="")

    assert response.status_code == 400
    assert 'class="field-error" role="alert">Choose a payment method.<' in response.content.decode()
    _nothing_written(bag)


def test_an_address_of_someone_else_is_refused(bag):
    _, stranger_address = customer_create(email="other@example.com")

    response = _place(bag, address_id=str(stranger_address.pk))

    assert response.status_code == 400
    assert "That address does not exist." in response.content.decode()
    _nothing_written(bag)
