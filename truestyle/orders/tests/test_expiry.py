from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from truestyle.orders.models import Order, OrderEvent
from truestyle.orders.tasks import orders_expire_unpaid
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.payments.models import Payment
from truestyle.payments.tests.factories import callback


def _overdue(order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_unpaid_online_orders_past_their_deadline_are_cancelled_and_give_their_stock_back(db):
    user, address = customer_create()
    variant = stocked_variant(stock=10)
    overdue = place(user=user, address=address, lines=[line(variant, 3)], payment_method="upi")
    fresh = place(user=user, address=address, lines=[line(variant, 2)], payment_method="card")
    cod = place(user=user, address=address, lines=[line(variant, 1)])
    _overdue(overdue)
    mail.outbox.clear()

    expired = orders_expire_unpaid.delay().get()

    assert expired == 1
    statuses = {o.pk: o.status for o in Order.objects.all()}
    assert statuses == {overdue.pk: "cancelled", fresh.pk: "pending_payment", cod.pk: "placed"}
    assert stock_of(variant) == 7 == ledger_sum(variant)
    event = OrderEvent.objects.filter(order_id=overdue.pk).order_by("created_at").last()
    assert (event.from_status, event.to_status, event.actor_id, event.note) == (
        "pending_payment", "cancelled", "", "Payment was not received in time.")
    assert Payment.objects.get(order_id=overdue.pk).status == "failed"
    assert [m.subject for m in mail.outbox] == [f"Your TrueStyle order {overdue.number} is cancelled"]
    assert orders_expire_unpaid.delay().get() == 0


def test_a_paid_order_is_not_expired(db):
    user, address = customer_create()
    variant = stocked_variant(stock=3)
    order = place(user=user, address=address, lines=[line(variant)], payment_method="upi")
    callback(Payment.objects.get(order=order), "paid", sequence=1)
    _overdue(order)

    assert orders_expire_unpaid.delay().get() == 0
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert stock_of(variant) == 2


def test_money_arriving_after_expiry_is_refunded(db):
    user, address = customer_create()
    variant = stocked_variant(price="650.00", stock=3)
    order = place(user=user, address=address, lines=[line(variant)], payment_method="upi")
    _overdue(order)
    orders_expire_unpaid.delay().get()

    outcome, payment = callback(Payment.objects.get(order=order), "paid", sequence=5)

    assert outcome == "applied"
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert payment.status == "refunded"
    assert (payment.refund.status, payment.refund.amount) == ("processed", Decimal("729.00"))
    assert stock_of(variant) == 3 == ledger_sum(variant)


def test_the_expiry_runs_every_minute_from_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["orders-expire-unpaid"]
    assert (entry["task"], entry["schedule"]) == (orders_expire_unpaid.name, 60.0)
