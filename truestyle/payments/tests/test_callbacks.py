import threading
import time
from decimal import Decimal

from django.core import mail
from django.db import connections

from truestyle.orders.models import Invoice, Order, OrderEvent
from truestyle.orders.tests.factories import ledger_sum, stock_of
from truestyle.payments.models import Payment, PaymentLog, ProcessedCallback
from truestyle.payments.tests.factories import callback, online_order


def _state(order, payment):
    order = Order.objects.get(pk=order.pk)
    payment = Payment.objects.get(pk=payment.pk)
    return order.status, payment.status, payment.last_sequence, OrderEvent.objects.filter(order=order).count(), \
        Invoice.objects.filter(order=order).count()


def test_a_paid_callback_places_the_order_issues_the_invoice_and_mails_the_customer(db):
    order, payment, _, _ = online_order(price="1499.00", quantity=2)

    outcome, payment = callback(payment, "paid", sequence=100)

    assert outcome == "applied"
    assert (payment.status, payment.last_sequence) == ("paid", 100) and payment.paid_at is not None
    order = Order.objects.get(pk=order.pk)
    assert order.status == "placed" and order.placed_at is not None
    event = OrderEvent.objects.filter(order=order).order_by("created_at").last()
    assert (event.from_status, event.to_status, event.actor_id) == ("pending_payment", "placed", "")
    assert event.note == f"Paid (upi, {payment.gateway_reference})"
    assert Invoice.objects.get(order=order).total == Decimal("2998.00")
    assert [m.subject for m in mail.outbox] == [f"Your TrueStyle order {order.number} is placed"]
    logs = [(log.kind, log.outcome, log.from_status, log.to_status) for log in
            PaymentLog.objects.filter(payment=payment).order_by("created_at")]
    assert logs == [("status", "created", "", "created"), ("callback", "applied", "created", "paid"),
                    ("status", "callback evt-paid-100", "created", "paid")]


def test_a_forged_signature_changes_nothing_and_is_logged(db):
    order, payment, _, _ = online_order()
    before = _state(order, payment)

    outcome, _ = callback(payment, "paid", sequence=100, signature="0" * 64)

    assert outcome == "forged_signature"
    assert _state(order, payment) == before == ("pending_payment", "created", 0, 1, 0)
    log = PaymentLog.objects.get(kind="callback")
    assert (log.outcome, log.payment_id) == ("forged_signature", None)
    assert payment.gateway_reference in log.payload["body"]
    assert ProcessedCallback.objects.count() == 0


def test_a_replayed_event_changes_nothing_and_is_logged(db):
    order, payment, _, _ = online_order()
    callback(payment, "failed", sequence=100, event_id="evt-1")
    after_first = _state(order, payment)

    outcome, _ = callback(payment, "failed", sequence=100, event_id="evt-1")

    assert outcome == "replay"
    assert _state(order, payment) == after_first == ("pending_payment", "failed", 100, 1, 0)
    assert list(PaymentLog.objects.filter(kind="callback").values_list("outcome", flat=True).order_by("created_at")) \
        == ["applied", "replay"]


def test_an_older_callback_after_a_newer_one_changes_nothing(db):
    order, payment, _, _ = online_order()
    callback(payment, "failed", sequence=200)

    outcome, _ = callback(payment, "pending", sequence=150)

    assert outcome == "out_of_order"
    assert _state(order, payment) == ("pending_payment", "failed", 200, 1, 0)
    assert PaymentLog.objects.filter(kind="callback", outcome="out_of_order").count() == 1


def test_paid_never_moves_back_to_pending(db):
    order, payment, _, _ = online_order()
    callback(payment, "paid", sequence=100)

    outcome, _ = callback(payment, "pending", sequence=300)

    assert outcome == "regression"
    assert _state(order, payment) == ("placed", "paid", 100, 2, 1)
    assert PaymentLog.objects.filter(kind="callback", outcome="regression").count() == 1


def test_a_declined_payment_can_still_be_paid_later(db):
    order, payment, _, _ = online_order()

    assert callback(payment, "pending", sequence=1)[0] == "applied"
    assert callback(payment, "pending", sequence=2)[0] == "unchanged"
    assert callback(payment, "failed", sequence=3)[0] == "applied"
    assert _state(order, payment) == ("pending_payment", "failed", 3, 1, 0)
    assert callback(payment, "paid", sequence=4)[0] == "applied"
    assert _state(order, payment) == ("placed", "paid", 4, 2, 1)


def test_unknown_references_and_stale_callbacks_are_logged_and_ignored(db):
    order, payment, _, _ = online_order()
    ghost = Payment(gateway_reference="pay_nobody")

    assert callback(ghost, "paid", sequence=1)[0] == "unknown_reference"
    assert callback(payment, "paid", sequence=1, timestamp=int(time.time()) - 2 * 24 * 3600)[0] == "stale"

    assert _state(order, payment) == ("pending_payment", "created", 0, 1, 0)
    assert sorted(PaymentLog.objects.filter(kind="callback").values_list("outcome", flat=True)) == [
        "stale", "unknown_reference"]


def test_cancelling_a_paid_order_refunds_it_and_returns_the_stock(db):
    order, payment, variant, user = online_order(price="999.00", quantity=2, stock=4)
    callback(payment, "paid", sequence=1)
    from truestyle.orders.services import order_transition

    order_transition(order=Order.objects.get(pk=order.pk), to="cancelled", actor=user)

    payment.refresh_from_db()
    assert payment.status == "refunded"
    assert (payment.refund.status, payment.refund.amount) == ("processed", Decimal("1998.00"))
    assert payment.refund.gateway_reference.startswith("sbx_rf_")
    assert stock_of(variant) == 4 == ledger_sum(variant)


def test_the_same_event_delivered_concurrently_is_applied_once(db):
    order, payment, _, _ = online_order()
    start = threading.Barrier(5)
    outcomes = []

    def deliver():
        try:
            start.wait()
            outcomes.append(callback(payment, "paid", sequence=7, event_id="evt-dup")[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(outcomes) == ["applied", "replay", "replay", "replay", "replay"]
    assert _state(order, payment) == ("placed", "paid", 7, 2, 1)
    assert len(mail.outbox) == 1
