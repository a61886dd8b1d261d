"""Refunds of returns: exact amounts (full, partial quantity, with a coupon), methods, and the payment's cap."""

from decimal import Decimal

import pytest

from truestyle.core.errors import StoreError
from truestyle.orders.tests.factories import customer_create, stocked_variant
from truestyle.payments.models import Payment, PaymentLog, Refund
from truestyle.payments.services import payment_refund_partial
from truestyle.promotions.tests.factories import coupon_create
from truestyle.returns.rules import line_paid
from truestyle.returns.tests.factories import complete, delivered_order, request_for, returns_staff_create


@pytest.fixture
def staff(db):
    return returns_staff_create()


def _payment(order) -> Payment:
    return Payment.objects.get(order=order)


def test_returning_the_whole_online_order_refunds_it_through_the_gateway(staff):
    order, user = delivered_order(items=[(stocked_variant(stock=5), 1)], payment_method="upi")
    assert _payment(order).amount == Decimal("1499.00")

    request = complete(request_for(order, user), staff=staff)

    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.method, refund.source) == (
        Decimal("1499.00"), "processed", "original", f"return {request.number}")
    assert refund.gateway_reference.startswith("sbx_rf_")
    assert (request.refund_amount, request.refund_id) == (Decimal("1499.00"), str(refund.pk))
    payment = _payment(order)
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("1499.00"))
    logged = list(PaymentLog.objects.filter(payment=payment).order_by("created_at").values_list("kind", "outcome"))
    assert logged[-3:] == [("refund", "requested"), ("request", "refund"), ("status", f"refund {refund.pk}")]


def test_a_partial_quantity_refunds_its_units_and_the_payment_stays_paid_until_all_come_back(staff):
    order, user = delivered_order(payment_method="card")  # 2 × ₹1499

    first = complete(request_for(order, user, quantity=1), staff=staff)

    assert first.refund_amount == Decimal("1499.00")
    payment = _payment(order)
    assert (payment.status, payment.refunded_amount) == ("paid", Decimal("1499.00"))

    second = complete(request_for(order, user, quantity=1), staff=staff)

    assert second.refund_amount == Decimal("1499.00")
    payment = _payment(order)
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("2998.00"))
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [Decimal("1499.00")] * 2


def test_with_a_coupon_each_item_refunds_its_share_of_what_was_paid(staff):
    coupon_create(code="SAVE10", kind="percent", value="10")
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    trousers = stocked_variant(name="Chinos", price="999.00", stock=5)
    order, user = delivered_order(items=[(shirt, 2), (trousers, 1)], payment_method="upi", coupon_code="SAVE10")
    # 2998 + 999 = 3997, less 10% (399.70): 3597.30 paid, no shipping fee.
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("3997.00"), Decimal("399.70"), Decimal("3597.30"))
    shirt_line, trousers_line = order.lines.order_by("position")
    # Shared pro rata by line total: 2998/3997 of 399.70 is 299.80; the trousers take the other 99.90.
    assert (line_paid(order=order, line=shirt_line), line_paid(order=order, line=trousers_line)) == (
        Decimal("2698.20"), Decimal("899.10"))

    one_shirt = complete(request_for(order, user, position=0, quantity=1), staff=staff)
    the_trousers = complete(request_for(order, user, position=1, quantity=1), staff=staff)
    other_shirt = complete(request_for(order, user, position=0, quantity=1), staff=staff)

    assert [one_shirt.refund_amount, the_trousers.refund_amount, other_shirt.refund_amount] == [
        Decimal("1349.10"), Decimal("899.10"), Decimal("1349.10")]
    payment = _payment(order)
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("3597.30"))


def test_units_refunded_one_by_one_add_up_to_exactly_what_was_paid(staff):
    coupon_create(code="FLAT100", kind="flat", value="100")
    order, user = delivered_order(items=[(stocked_variant(price="999.00", stock=5), 3)], payment_method="upi",
                                  coupon_code="FLAT100")
    assert order.total == Decimal("2897.00")  # 2997 - 100; each unit is worth 965.666…

    amounts = [complete(request_for(order, user, quantity=1), staff=staff).refund_amount for _ in range(3)]

    assert amounts == [Decimal("965.67"), Decimal("965.66"), Decimal("965.67")]
    assert sum(amounts) == Decimal("2897.00") == _payment(order).refunded_amount


def test_cash_on_delivery_is_refunded_as_store_credit_when_asked(staff):
    order, user = delivered_order()  # cash on delivery, 2 × ₹1499, collected at delivery

    request = complete(request_for(order, user, quantity=2, refund_method="store_credit"), staff=staff)

    refund = Refund.objects.get()
    assert (refund.amount, refund.method, refund.status) == (Decimal("2998.00"), "store_credit", "processed")
    assert refund.gateway_reference.startswith("credit_")
    assert request.refund_method == "store_credit"
    assert _payment(order).status == "refunded"


def test_cash_on_delivery_defaults_to_a_bank_transfer(staff):
    order, user = delivered_order()

    complete(request_for(order, user), staff=staff)

    refund = Refund.objects.get()
    assert (refund.amount, refund.method) == (Decimal("1499.00"), "bank_transfer")
    assert refund.gateway_reference.startswith("cash_")


def test_an_online_order_cannot_ask_for_store_credit(db):
    order, user = delivered_order(payment_method="upi")

    # The method is only a choice for cash on delivery; an online payment goes back where it came from.
    request = request_for(order, user, refund_method="store_credit")

    assert request.refund_method == "original"


def test_refunds_never_exceed_what_was_paid_and_a_refused_one_writes_nothing(db):
    order, _ = delivered_order(payment_method="upi")  # ₹2998 paid
    payment_refund_partial(order=order, amount=Decimal("2000.00"), reason="Goodwill")
    logs = PaymentLog.objects.count()

    with pytest.raises(StoreError) as refusal:
        payment_refund_partial(order=order, amount=Decimal("998.01"), reason="Too much")

    assert refusal.value.code == "refund_exceeds_payment"
    assert Refund.objects.count() == 1
    assert PaymentLog.objects.count() == logs
    assert _payment(order).refunded_amount == Decimal("2000.00")
    # Exactly the rest is still allowed.
    payment_refund_partial(order=order, amount=Decimal("998.00"), reason="The rest")
    assert (_payment(order).status, _payment(order).refunded_amount) == ("refunded", Decimal("2998.00"))


def test_a_cod_refund_cannot_go_to_a_gateway_and_unpaid_orders_cannot_be_refunded(db):
    order, _ = delivered_order()
    with pytest.raises(StoreError) as refusal:
        payment_refund_partial(order=order, amount=Decimal("10.00"), reason="x", method="original")
    assert refusal.value.code == "refund_invalid"

    from truestyle.orders.tests.factories import line, place

    user, address = customer_create(email="later@example.com")
    unpaid = place(user=user, address=address, lines=[line(stocked_variant(name="Polo", stock=2), 1)])
    with pytest.raises(StoreError) as refusal:
        payment_refund_partial(order=unpaid, amount=Decimal("10.00"), reason="x")
    assert refusal.value.code == "not_paid"
    assert Refund.objects.count() == 0
