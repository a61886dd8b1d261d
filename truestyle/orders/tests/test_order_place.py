from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from truestyle.catalog.models import StockMovement
from truestyle.core.errors import StoreError
from truestyle.orders.models import Invoice, Order, OrderEvent, OrderLine
from truestyle.orders.services import placement
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.payments.models import Payment


def _nothing_written(*variants_with_stock):
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert OrderEvent.objects.count() == 0
    assert Payment.objects.count() == 0
    assert Invoice.objects.count() == 0
    assert StockMovement.objects.filter(reason="sale").count() == 0
    for variant, stock in variants_with_stock:
        assert stock_of(variant) == stock == ledger_sum(variant)


def test_a_cod_order_is_placed_with_snapshots_stock_ledger_payment_invoice_and_mail(db):
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5, size="L")
    kurta = stocked_variant(name="Linen Kurta", price="799.00", stock=3, category="Kurtas")

    order = place(user=user, address=address, lines=[line(shirt, 2), line(kurta, 1)])

    assert (order.status, order.payment_method, order.shipping_method) == ("placed", "cod", "standard")
    assert (order.subtotal, order.discount, order.shipping_fee, order.total) == (
        Decimal("3797.00"), Decimal("0.00"), Decimal("0.00"), Decimal("3797.00"))
    assert order.currency == "INR" and order.placed_at is not None and order.expires_at is None
    assert order.number.startswith("TS") and len(order.number) == 15
    assert order.shipping_address["pincode"] == "560001"
    lines = [(ln.product_name, ln.product_slug, ln.sku, ln.size, ln.colour, ln.unit_price, ln.quantity, ln.line_total)
             for ln in order.lines.all()]
    assert lines == [
        ("Oxford Shirt", "oxford-shirt", "OXFORD-S-IND-L", "L", "Indigo", Decimal("1499.00"), 2, Decimal("2998.00")),
        ("Linen Kurta", "linen-kurta", "LINEN-KU-IND-M", "M", "Indigo", Decimal("799.00"), 1, Decimal("799.00")),
    ]
    assert (stock_of(shirt), stock_of(kurta)) == (3, 2)
    assert (ledger_sum(shirt), ledger_sum(kurta)) == (3, 2)
    sales = StockMovement.objects.filter(reason="sale").order_by("delta")
    assert [(m.delta, m.reference, m.actor_id) for m in sales] == [
        (-2, order.number, str(user.pk)), (-1, order.number, str(user.pk))]
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [("", "placed")]
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.gateway, payment.status, payment.amount) == ("cod", "cod", "pending",
                                                                                 Decimal("3797.00"))
    assert Invoice.objects.get(order=order).total == Decimal("3797.00")
    assert [m.subject for m in mail.outbox] == [f"Your TrueStyle order {order.number} is placed"]
    assert "Oxford Shirt (Indigo, L) x 2: ₹2998.00" in mail.outbox[0].body


@pytest.mark.parametrize(("price", "quantity", "method", "fee"), [
    ("998.00", 1, "standard", "79.00"),
    ("999.00", 1, "standard", "0.00"),
    ("499.50", 2, "standard", "0.00"),
    ("999.00", 1, "express", "149.00"),
    ("300.00", 1, "express", "149.00"),
])
def test_shipping_fees(db, price, quantity, method, fee):
    user, address = customer_create()
    variant = stocked_variant(price=price, stock=5)

    order = place(user=user, address=address, lines=[line(variant, quantity)], shipping_method=method)

    assert order.shipping_fee == Decimal(fee)
    assert order.total == Decimal(price) * quantity + Decimal(fee)


def test_an_online_order_awaits_payment_and_expires_after_the_timeout(db, settings):
    settings.ORDER_PAYMENT_TIMEOUT = 1800
    user, address = customer_create()
    variant = stocked_variant(price="1200.00", stock=2)
    before = timezone.now()

    order = place(user=user, address=address, lines=[line(variant)], payment_method="upi")

    assert order.status == "pending_payment" and order.placed_at is None
    assert before + timedelta(seconds=1800) <= order.expires_at <= timezone.now() + timedelta(seconds=1800)
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.gateway, payment.status, payment.amount) == ("upi", "sandbox", "created",
                                                                                 Decimal("1200.00"))
    assert stock_of(variant) == 1
    assert Invoice.objects.count() == 0
    assert mail.outbox == []


def test_a_changed_price_refuses_and_writes_nothing(db):
    user, address = customer_create()
    variant = stocked_variant(price="1499.00", stock=4)

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(variant, 1, price="1299.00")])

    assert refusal.value.code == "price_changed"
    assert refusal.value.message == ("The price of Oxford Shirt changed from ₹1299.00 to ₹1499.00. "
                                     "Please review your bag.")
    _nothing_written((variant, 4))


def test_a_multi_line_order_takes_all_lines_or_none(db):
    user, address = customer_create()
    plenty = stocked_variant(name="Oxford Shirt", stock=10)
    scarce = stocked_variant(name="Linen Kurta", stock=1, category="Kurtas")

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(plenty, 3), line(scarce, 2)])

    assert refusal.value.code == "not_enough_stock"
    assert refusal.value.message == "Not enough stock of Linen Kurta (Indigo, M) for this order."
    _nothing_written((plenty, 10), (scarce, 1))


@pytest.mark.parametrize(("pincode", "price", "quantity"), [
    ("744101", "500.00", 1),   # listed as not serviceable
    ("912345", "500.00", 1),   # prefix 9 is not served
    ("560001", "5000.00", 2),  # total ₹10,000 is not below the limit
])
def test_cash_on_delivery_is_refused_outside_its_rules_and_writes_nothing(db, pincode, price, quantity):
    user, address = customer_create(pincode=pincode)
    variant = stocked_variant(price=price, stock=5)

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(variant, quantity)])

    assert refusal.value.code == "cod_unavailable"
    _nothing_written((variant, 5))


def test_cash_on_delivery_is_accepted_just_below_the_limit(db):
    user, address = customer_create(pincode="110001")
    variant = stocked_variant(price="4999.99", stock=5)

    order = place(user=user, address=address, lines=[line(variant, 2)])

    assert (order.total, order.payment_method, order.status) == (Decimal("9999.98"), "cod", "placed")


def test_the_same_key_and_bag_return_the_same_order(db):
    user, address = customer_create()
    variant = stocked_variant(stock=5)

    first = place(user=user, address=address, lines=[line(variant, 2)], key="checkout-1")
    second = place(user=user, address=address, lines=[line(variant, 2)], key="checkout-1")

    assert second.pk == first.pk
    assert Order.objects.count() == 1
    assert stock_of(variant) == 3


def test_the_same_key_with_a_different_bag_is_refused(db):
    user, address = customer_create()
    variant = stocked_variant(stock=5)
    place(user=user, address=address, lines=[line(variant, 2)], key="checkout-1")

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(variant, 3)], key="checkout-1")

    assert refusal.value.code == "idempotency_key_reused"
    assert Order.objects.count() == 1
    assert stock_of(variant) == 3 == ledger_sum(variant)


def test_another_customers_address_is_refused(db):
    user, _ = customer_create()
    _, other_address = customer_create(email="ravi@example.com")
    variant = stocked_variant(stock=5)

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=other_address, lines=[line(variant)])

    assert refusal.value.code == "address_not_found"
    _nothing_written((variant, 5))


@pytest.mark.parametrize("quantity", [0, 11])
def test_quantities_outside_one_to_ten_are_refused(db, quantity):
    user, address = customer_create()
    variant = stocked_variant(stock=20)

    with pytest.raises(StoreError) as refusal:
        place(user=user, address=address, lines=[line(variant, quantity)])

    assert refusal.value.code == "invalid"
    _nothing_written((variant, 20))


def test_a_failure_after_the_stock_is_taken_rolls_everything_back(db, monkeypatch):
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", stock=5)
    kurta = stocked_variant(name="Linen Kurta", stock=2, category="Kurtas")
    reached = []

    def broken(**kwargs):
        # Stock has been taken by now, inside the transaction: prove it, then fail.
        reached.append((stock_of(shirt), stock_of(kurta)))
        raise RuntimeError("disk full")

    monkeypatch.setattr(placement, "_order_records_create", broken)

    with pytest.raises(RuntimeError):
        place(user=user, address=address, lines=[line(shirt, 2), line(kurta, 1)])

    assert reached == [(3, 1)]
    _nothing_written((shirt, 5), (kurta, 2))


def test_a_failure_at_the_last_step_sends_no_mail_and_keeps_nothing(db, monkeypatch):
    from truestyle.orders.services import invoices

    user, address = customer_create()
    shirt = stocked_variant(stock=5)

    def broken(**kwargs):
        raise RuntimeError("counter unavailable")

    monkeypatch.setattr(invoices, "invoice_issue", broken)

    with pytest.raises(RuntimeError):
        place(user=user, address=address, lines=[line(shirt, 1)])

    assert mail.outbox == []
    _nothing_written((shirt, 5))


def test_an_anonymous_visitor_cannot_place_an_order(db):
    from django.contrib.auth.models import AnonymousUser

    _, address = customer_create()
    shirt = stocked_variant(stock=5)

    with pytest.raises(StoreError) as refusal:
        place(user=AnonymousUser(), address=address, lines=[line(shirt)])

    assert (refusal.value.code, refusal.value.status) == ("sign_in_required", 401)
    _nothing_written((shirt, 5))
