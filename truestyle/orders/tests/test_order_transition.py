
import pytest
from django.core import mail

from truestyle.catalog.models import StockMovement
from truestyle.core.errors import StoreError
from truestyle.orders.models import Order, OrderEvent
from truestyle.orders.services import order_transition
from truestyle.orders.statuses import TRANSITIONS, Actor, OrderStatus, next_statuses_for
from truestyle.orders.tests.factories import (
    customer_create, ledger_sum, line, place, staff_create, stock_of, stocked_variant,
)
from truestyle.payments.models import Payment


@pytest.fixture
def cod_order(db):
    user, address = customer_create()
    variant = stocked_variant(stock=5)
    order = place(user=user, address=address, lines=[line(variant, 2)])
    mail.outbox.clear()
    return order, user, variant


def test_staff_move_an_order_through_to_delivery_and_every_move_is_recorded(cod_order):
    order, user, _ = cod_order
    staff = staff_create()

    for to in ("confirmed", "packed"):
        order = order_transition(order=order, to=to, actor=staff)
    order = order_transition(order=order, to="shipped", actor=staff, tracking_number=" DTDC123456 ", note="Bluedart")
    order = order_transition(order=order, to="delivered", actor=staff)

    assert (order.status, order.tracking_number) == ("delivered", "DTDC123456")
    events = [(e.from_status, e.to_status, e.actor_id, e.note) for e in OrderEvent.objects.filter(order=order)
              .order_by("created_at")]
    assert events == [("", "placed", str(user.pk), "Order placed"),
                      ("placed", "confirmed", str(staff.pk), ""), ("confirmed", "packed", str(staff.pk), ""),
                      ("packed", "shipped", str(staff.pk), "Bluedart"), ("shipped", "delivered", str(staff.pk), "")]
    assert [m.subject for m in mail.outbox] == [f"Your TrueStyle order {order.number} is on its way",
                                                f"Your TrueStyle order {order.number} was delivered"]
    assert "Tracking number: DTDC123456" in mail.outbox[0].body
    # Cash on delivery is collected when the parcel is delivered.
    assert Payment.objects.get(order=order).status == "paid"


def test_shipping_needs_a_tracking_number(cod_order):
    order, _, _ = cod_order
    staff = staff_create()
    order = order_transition(order=order, to="confirmed", actor=staff)
    order = order_transition(order=order, to="packed", actor=staff)

    with pytest.raises(StoreError) as refusal:
        order_transition(order=order, to="shipped", actor=staff, tracking_number="  ")

    assert refusal.value.code == "tracking_number_required"
    assert Order.objects.get(pk=order.pk).status == "packed"
    assert OrderEvent.objects.filter(order=order).count() == 3


def test_the_customer_cancels_before_shipping_and_the_stock_comes_back(cod_order):
    order, user, variant = cod_order
    assert stock_of(variant) == 3

    order = order_transition(order=order, to="cancelled", actor=user, note="Ordered the wrong size")

    assert order.status == "cancelled"
    assert stock_of(variant) == 5 == ledger_sum(variant)
    back = StockMovement.objects.get(variant_id=variant.pk, reason="return")
    assert (back.delta, back.reference) == (2, order.number)
    assert Payment.objects.get(order=order).status == "failed"
    assert [m.subject for m in mail.outbox] == [f"Your TrueStyle order {order.number} is cancelled"]


def test_the_customer_cannot_cancel_once_shipped(cod_order):
    order, user, variant = cod_order
    staff = staff_create()
    for to in ("confirmed", "packed"):
        order = order_transition(order=order, to=to, actor=staff)
    order = order_transition(order=order, to="shipped", actor=staff, tracking_number="T1")

    with pytest.raises(StoreError) as refusal:
        order_transition(order=order, to="cancelled", actor=user)

    assert refusal.value.code == "invalid_transition"
    assert Order.objects.get(pk=order.pk).status == "shipped"
    assert stock_of(variant) == 3


@pytest.mark.parametrize("to", ["confirmed", "packed", "delivered"])
def test_a_customer_cannot_do_staff_moves_nor_skip_steps(cod_order, to):
    order, user, _ = cod_order

    with pytest.raises(StoreError) as refusal:
        order_transition(order=order, to=to, actor=user)

    assert refusal.value.code == ("not_allowed" if to == "confirmed" else "invalid_transition")
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert OrderEvent.objects.filter(order=order).count() == 1


def test_another_customer_cannot_cancel_someone_elses_order(cod_order):
    order, _, variant = cod_order
    stranger, _ = customer_create(email="ravi@example.com")

    with pytest.raises(StoreError) as refusal:
        order_transition(order=order, to="cancelled", actor=stranger)

    assert (refusal.value.code, refusal.value.status) == ("not_allowed", 403)
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert stock_of(variant) == 3


def test_staff_can_cancel_and_a_stale_copy_of_the_order_cannot_move_it_again(cod_order):
    order, _, variant = cod_order
    staff = staff_create()
    stale = Order.objects.get(pk=order.pk)
    order_transition(order=order, to="cancelled", actor=staff)

    with pytest.raises(StoreError) as refusal:
        order_transition(order=stale, to="cancelled", actor=staff)

    assert refusal.value.code == "order_changed"
    assert stock_of(variant) == 5 == ledger_sum(variant)
    assert StockMovement.objects.filter(reason="return").count() == 1


def test_only_the_store_moves_an_order_from_awaiting_payment_to_placed(db):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(stock=2))], payment_method="card")

    for actor in (user, staff_create()):
        with pytest.raises(StoreError) as refusal:
            order_transition(order=order, to="placed", actor=actor)
        assert refusal.value.code == "not_allowed"
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


def test_the_transition_table_is_the_single_source_of_the_moves():
    assert set(TRANSITIONS) == set(OrderStatus.values)
    assert next_statuses_for("placed", Actor.CUSTOMER) == ["cancelled"]
    assert next_statuses_for("placed", Actor.STAFF) == ["confirmed", "cancelled"]
    assert next_statuses_for("shipped", Actor.CUSTOMER) == []
    assert next_statuses_for("delivered", Actor.STAFF) == []
