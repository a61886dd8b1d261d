"""Checkout and orders over the API: exact totals, idempotent placement, cancel, pay, invoice, callback."""

import json
import threading
import urllib.error
import urllib.request
from decimal import Decimal

import pytest

from truestyle.accounts import services as account_services
from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import stock_of, stocked_variant
from truestyle.payments.gateways.sandbox import sandbox_callback_build
from truestyle.payments.models import Payment, PaymentLog, ProcessedCallback
from truestyle.promotions.tests.factories import coupon_create
from truestyle.shopping.models import CartLine

KEY = {"HTTP_IDEMPOTENCY_KEY": "checkout-1"}


@pytest.fixture
def address(shopper):
    return Address.objects.create(user=shopper, name="Asha Rao", phone="9876543210", line1="12 Residency Road",
                                  city="Bengaluru", state="Karnataka", pincode="560001", is_default=True)


@pytest.fixture
def shirt(db):
    return stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)


@pytest.fixture
def tee(db):
    return stocked_variant(name="Linen Tee", price="799.00", stock=5, size="S", category="Tees", brand="Weft")


def _add(client, variant, quantity=1):
    response = client.post("/api/v1/cart/lines", {"variant_id": str(variant.pk), "quantity": quantity},
                           format="json")
    assert response.status_code == 200, response.json()


def _body(address, **extra):
    return {"address_id": str(address.pk), "shipping_method": "standard", "payment_method": "cod", **extra}


def _place(client, address, key="checkout-1", **extra):
    return client.post("/api/v1/orders", _body(address, **extra), format="json", HTTP_IDEMPOTENCY_KEY=key)


# --- Quote --------------------------------------------------------------------------------------

def test_a_quote_gives_exact_totals_with_a_coupon_and_free_shipping(signed_in, address, shirt, tee):
    coupon_create(code="SAVE10", value="10", max_discount="200")
    _add(signed_in, shirt)
    _add(signed_in, tee)

    response = signed_in.post("/api/v1/checkout/quote", _body(address, coupon_code="save10"), format="json")

    assert response.status_code == 200
    body = response.json()
    assert [(line["sku"], line["quantity"], line["line_total"]) for line in body.pop("lines")] == [
        (shirt.sku, 1, "1499.00"), (tee.sku, 1, "799.00")]
    assert body == {"item_count": 2, "subtotal": "2298.00", "discount": "200.00", "coupon_code": "SAVE10",
                    "shipping_fee": "0.00", "total": "2098.00", "currency": "INR", "payment_method": "cod",
                    "cod_available": True, "cod_unavailable_reason": "",
                    "online_payment_available": True}


def test_a_quote_below_the_threshold_charges_shipping_and_says_why_cod_is_unavailable(signed_in, shopper, tee):
    far = Address.objects.create(user=shopper, name="A", phone="9876543210", line1="1 Road", city="Port Blair",
                                 state="Andaman", pincode="744101")
    _add(signed_in, tee)

    body = signed_in.post("/api/v1/checkout/quote", _body(far, shipping_method="standard"), format="json").json()

    assert (body["subtotal"], body["shipping_fee"], body["total"]) == ("799.00", "79.00", "878.00")
    assert (body["cod_available"], body["cod_unavailable_reason"]) == (
        False, "Cash on delivery is not available for this PIN code.")


def test_a_quote_refuses_an_empty_bag_an_unknown_coupon_and_another_users_address(signed_in, address, tee):
    empty = signed_in.post("/api/v1/checkout/quote", _body(address), format="json")
    _add(signed_in, tee)
    coupon = signed_in.post("/api/v1/checkout/quote", _body(address, coupon_code="NOPE"), format="json")
    other = user_create(email="other@example.com")
    theirs = Address.objects.create(user=other, name="O", phone="9876543210", line1="x", city="y", state="z",
                                    pincode="560002")
    foreign = signed_in.post("/api/v1/checkout/quote", _body(theirs), format="json")

    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "cart_empty")
    assert (coupon.status_code, coupon.json()["error"]["code"]) == (409, "coupon_not_found")
    assert (foreign.status_code, foreign.json()["error"]["code"]) == (404, "address_not_found")


# --- Placing --------------------------------------------------------------------------------------

def test_placing_a_cod_order_answers_201_with_the_order_and_empties_the_bag(signed_in, shopper, address, shirt):
    _add(signed_in, shirt, 2)

    response = _place(signed_in, address)

    assert response.status_code == 201
    order = Order.objects.get(user=shopper)
    body = response.json()
    assert body["payment_url"] is None
    placed = body["order"]
    assert placed["number"] == order.number
    assert {key: placed[key] for key in ("status", "payment_method", "payment_status", "subtotal", "discount",
                                         "shipping_fee", "total", "can_cancel", "can_pay", "has_invoice")} == {
        "status": "placed", "payment_method": "cod", "payment_status": "pending", "subtotal": "2998.00",
        "discount": "0.00", "shipping_fee": "0.00", "total": "2998.00", "can_cancel": True, "can_pay": False,
        "has_invoice": True}
    assert placed["lines"] == [{"variant_id": str(shirt.pk), "product_name": "Oxford Shirt",
                                "product_slug": shirt.product.slug, "sku": shirt.sku, "size": "M",
                                "colour": "Indigo", "unit_price": "1499.00", "quantity": 2, "line_total": "2998.00"}]
    assert placed["shipping_address"]["pincode"] == "560001"
    assert [event["to_status"] for event in placed["timeline"]] == ["placed"]
    assert stock_of(shirt) == 3
    assert CartLine.objects.count() == 0


def test_a_retry_with_the_same_key_and_body_is_the_same_order_with_200(signed_in, shopper, address, shirt):
    _add(signed_in, shirt)
    first = _place(signed_in, address)

    again = _place(signed_in, address)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["order"]["number"] == first.json()["order"]["number"]
    assert Order.objects.count() == 1 and stock_of(shirt) == 4


def test_the_same_key_with_a_different_body_is_refused_and_nothing_is_placed(signed_in, shopper, address, shirt):
    _add(signed_in, shirt)
    _place(signed_in, address)
    _add(signed_in, shirt)

    response = _place(signed_in, address, shipping_method="express")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1 and stock_of(shirt) == 4
    assert CartLine.objects.count() == 1


@pytest.mark.parametrize("headers", [{}, {"HTTP_IDEMPOTENCY_KEY": ""}, {"HTTP_IDEMPOTENCY_KEY": "k" * 101}])
def test_placing_without_a_proper_idempotency_key_is_refused(signed_in, address, shirt, headers):
    _add(signed_in, shirt)

    response = signed_in.post("/api/v1/orders", _body(address), format="json", **headers)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["Idempotency-Key"]
    assert Order.objects.count() == 0 and stock_of(shirt) == 5


def test_price_total_status_or_owner_in_the_body_are_refused_and_nothing_is_placed(signed_in, address, shirt):
    _add(signed_in, shirt)

    response = _place(signed_in, address, total="1.00", status="delivered", user="65f000000000000000000000",
                      unit_price="1.00")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_field"
    assert sorted(response.json()["error"]["fields"]) == ["status", "total", "unit_price", "user"]
    assert Order.objects.count() == 0 and stock_of(shirt) == 5 and CartLine.objects.count() == 1


def test_a_changed_total_is_shown_not_charged(signed_in, address, shirt):
    _add(signed_in, shirt)
    shirt.product.__class__.objects.filter(pk=shirt.product_id).update(price=Decimal("1599.00"))

    response = _place(signed_in, address, expected_total="1499.00")

    assert response.status_code == 409
    assert response.json()["error"] == {"code": "price_changed",
                                        "message": "The total changed from ₹1499.00 to ₹1599.00. "
                                                   "Please review your bag.",
                                        "fields": {"expected_total": ["1599.00"]}}
    assert Order.objects.count() == 0 and stock_of(shirt) == 5


def test_an_empty_bag_places_nothing(signed_in, address):
    response = _place(signed_in, address)

    assert (response.status_code, response.json()["error"]["code"]) == (400, "cart_empty")
    assert Order.objects.count() == 0


@pytest.mark.parametrize("method", ["upi", "card"])
def test_online_payment_without_a_gateway_is_refused_before_anything_is_placed(signed_in, address, shirt, settings,
                                                                             method):
    settings.PAYMENT_GATEWAYS = {}
    _add(signed_in, shirt, 2)

    quote = signed_in.post("/api/v1/checkout/quote", _body(address, payment_method=method), format="json")
    response = _place(signed_in, address, payment_method=method)

    assert (quote.status_code, quote.json()["online_payment_available"]) == (200, False)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "payment_unavailable"
    assert response.json()["error"]["fields"] == {
        "payment_method": ["Online payment is not available right now; choose cash on delivery."]}
    assert Order.objects.count() == 0 and Payment.objects.count() == 0 and stock_of(shirt) == 5
    assert CartLine.objects.count() == 1


def test_cod_beyond_its_limit_is_refused_and_nothing_is_written(signed_in, address):
    coat = stocked_variant(name="Wool Coat", price="5200.00", stock=5)
    _add(signed_in, coat, 2)

    response = _place(signed_in, address)

    assert (response.status_code, response.json()["error"]["code"]) == (400, "cod_unavailable")
    assert Order.objects.count() == 0 and Payment.objects.count() == 0 and stock_of(coat) == 5


def test_ten_concurrent_submits_with_one_key_place_exactly_one_order(db, live_server, shopper, address, shirt):
    access, _ = account_services.token_pair_issue(user=shopper, device="Pixel", ip="127.0.0.1")
    from truestyle.shopping.services import cart_add, cart_get_or_create

    cart_add(cart=cart_get_or_create(user=shopper), variant_id=shirt.pk, quantity=2)
    barrier = threading.Barrier(10)
    results = []

    def submit():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/orders", data=json.dumps(_body(address)).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {access}",
                     "Idempotency-Key": "same-key"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                results.append((response.status, json.loads(response.read())["order"]["number"]))
        except urllib.error.HTTPError as error:
            results.append((error.code, error.read().decode()))

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    order = Order.objects.get()
    assert len(results) == 10
    assert sorted(results) == [(200, order.number)] * 9 + [(201, order.number)]
    assert stock_of(shirt) == 3
    assert Payment.objects.count() == 1


# --- After placing --------------------------------------------------------------------------------

def test_an_upi_order_gives_a_payment_page_and_pay_restarts_it(signed_in, address, shirt):
    _add(signed_in, shirt)

    placed = _place(signed_in, address, payment_method="upi")
    payment = Payment.objects.get()
    number = placed.json()["order"]["number"]
    again = signed_in.post(f"/api/v1/orders/{number}/pay")

    assert placed.status_code == 201
    assert placed.json()["order"]["status"] == "pending_payment" and placed.json()["order"]["can_pay"] is True
    url = f"http://testserver/payments/sandbox/{payment.gateway_reference}/"
    assert placed.json()["payment_url"] == url
    assert (again.status_code, again.json()) == (200, {"payment_url": url})


def test_cancelling_returns_the_stock_and_a_second_cancel_or_pay_is_refused(signed_in, address, shirt):
    _add(signed_in, shirt, 2)
    number = _place(signed_in, address, payment_method="upi").json()["order"]["number"]

    cancelled = signed_in.post(f"/api/v1/orders/{number}/cancel")
    twice = signed_in.post(f"/api/v1/orders/{number}/cancel")
    pay = signed_in.post(f"/api/v1/orders/{number}/pay")

    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["can_cancel"], cancelled.json()["payment_status"]) == (
        "cancelled", False, "failed")
    assert [e["to_status"] for e in cancelled.json()["timeline"]] == ["pending_payment", "cancelled"]
    assert stock_of(shirt) == 5
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "invalid_transition")
    assert (pay.status_code, pay.json()["error"]["code"]) == (409, "not_awaiting_payment")


def test_my_orders_are_listed_newest_first_page_by_page(signed_in, address, shirt):
    numbers = []
    for index in range(3):
        _add(signed_in, shirt)
        numbers.append(_place(signed_in, address, key=f"k{index}").json()["order"]["number"])

    page = signed_in.get("/api/v1/orders?page_size=2").json()
    last = signed_in.get("/api/v1/orders?page_size=2&page=2").json()
    beyond = signed_in.get("/api/v1/orders?page=9")

    assert (page["count"], page["previous"]) == (3, None)
    assert page["next"] == "http://testserver/api/v1/orders?page=2&page_size=2"
    assert [o["number"] for o in page["results"] + last["results"]] == numbers[::-1]
    assert page["results"][0] == {"number": numbers[2], "status": "placed", "status_label": "Placed",
                                  "payment_method": "cod", "total": "1499.00", "currency": "INR",
                                  "created_at": page["results"][0]["created_at"],
                                  "placed_at": page["results"][0]["placed_at"]}
    assert beyond.status_code == 404 and beyond.json()["error"]["code"] == "not_found"


def test_the_invoice_is_a_pdf_once_issued(signed_in, address, shirt):
    _add(signed_in, shirt)
    cod = _place(signed_in, address, key="a").json()["order"]["number"]
    _add(signed_in, shirt)
    upi = _place(signed_in, address, key="b", payment_method="upi").json()["order"]["number"]

    pdf = signed_in.get(f"/api/v1/orders/{cod}/invoice", HTTP_ACCEPT="application/pdf")
    missing = signed_in.get(f"/api/v1/orders/{upi}/invoice", HTTP_ACCEPT="application/pdf")

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith('attachment; filename="invoice-')
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert missing.json()["error"]["code"] == "invoice_not_found"


# --- Payment callback -----------------------------------------------------------------------------

def _callback(api, body, signature, gateway="sandbox"):
    return api.generic("POST", f"/api/v1/payments/callback/{gateway}", body, content_type="application/json",
                       HTTP_X_SIGNATURE=signature)


@pytest.fixture
def upi_order(signed_in, address, shirt):
    _add(signed_in, shirt)
    _place(signed_in, address, payment_method="upi")
    return Order.objects.get(), Payment.objects.get()


def _snapshot(order, payment):
    order, payment = Order.objects.get(pk=order.pk), Payment.objects.get(pk=payment.pk)
    return order.status, payment.status, payment.last_sequence, ProcessedCallback.objects.count()


def test_a_signed_callback_marks_the_order_paid_without_a_token(api, upi_order):
    order, payment = upi_order
    body, signature = sandbox_callback_build(reference=payment.gateway_reference, status="paid", sequence=10)

    response = _callback(api, body, signature)

    assert (response.status_code, response.json()) == (200, {"outcome": "applied", "payment_status": "paid"})
    assert _snapshot(order, payment) == ("placed", "paid", 10, 1)


def test_a_forged_callback_changes_nothing_and_is_logged(api, upi_order):
    order, payment = upi_order
    body, _ = sandbox_callback_build(reference=payment.gateway_reference, status="paid", sequence=10)

    response = _callback(api, body, "0" * 64)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "forged_signature", "message": "The callback signature is not "
                                                                               "valid.", "fields": {}}}
    assert _snapshot(order, payment) == ("pending_payment", "created", 0, 0)
    assert PaymentLog.objects.filter(kind="callback", outcome="forged_signature").count() == 1


def test_a_replayed_callback_changes_nothing(api, upi_order):
    order, payment = upi_order
    body, signature = sandbox_callback_build(reference=payment.gateway_reference, status="failed", sequence=10)
    assert _callback(api, body, signature).status_code == 200
    before = _snapshot(order, payment)

    response = _callback(api, body, signature)

    assert (response.status_code, response.json()["error"]["code"]) == (409, "replay")
    assert _snapshot(order, payment) == before == ("pending_payment", "failed", 10, 1)


def test_an_older_callback_after_a_newer_one_changes_nothing(api, upi_order):
    order, payment = upi_order
    newer, newer_signature = sandbox_callback_build(reference=payment.gateway_reference, status="paid", sequence=20)
    older, older_signature = sandbox_callback_build(reference=payment.gateway_reference, status="failed",
                                                    sequence=10)
    _callback(api, newer, newer_signature)

    response = _callback(api, older, older_signature)

    assert (response.status_code, response.json()["error"]["code"]) == (409, "out_of_order")
    assert _snapshot(order, payment) == ("placed", "paid", 20, 1)


def test_a_callback_with_an_unknown_field_or_gateway_is_refused(api, upi_order):
    order, payment = upi_order
    payload = {"event_id": "e1", "reference": payment.gateway_reference, "status": "paid", "sequence": 5,
               "timestamp": 1, "amount": "1.00"}
    body = json.dumps(payload).encode()
    from truestyle.payments.gateways.sandbox import sandbox_sign

    extra = _callback(api, body, sandbox_sign(body))
    gateway = _callback(api, body, sandbox_sign(body), gateway="nowhere")

    assert (extra.status_code, extra.json()["error"]["fields"]) == (400, {"amount": ["This field is not allowed."]})
    assert (gateway.status_code, gateway.json()["error"]["code"]) == (400, "unknown_field")
    assert _snapshot(order, payment) == ("pending_payment", "created", 0, 0)
