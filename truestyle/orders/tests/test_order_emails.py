"""The order mail outbox: every mailed status has its row, and each mail goes out exactly once.

The broker and worker outages themselves are in truestyle/core/tests/faults/test_celery_faults.py.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from django.core import mail

from truestyle.orders.models import OrderEmail
from truestyle.orders.services import order_transition
from truestyle.orders.services.emails import order_email_deliver, order_emails_send_queued
from truestyle.orders.tests.factories import customer_create, line, place, staff_create, stocked_variant


def _placed_order(email: str = "asha@example.com", product: str = "Oxford Shirt"):
    user, address = customer_create(email=email)
    return place(user=user, address=address, lines=[line(stocked_variant(name=product, stock=5), 1)])


def _rows(order):
    return [(row.status, row.sent_at is not None) for row in OrderEmail.objects.filter(order=order)]


def test_a_placed_order_has_its_mail_in_the_outbox_marked_sent_by_its_task(db):
    order = _placed_order()

    assert _rows(order) == [("placed", True)]
    assert [message.subject for message in mail.outbox] == [f"Your TrueStyle order {order.number} is placed"]


def test_only_mailed_statuses_get_a_row(db):
    order = _placed_order()

    order_transition(order=order, to="confirmed", actor=staff_create())

    assert _rows(order) == [("placed", True)]
    assert len(mail.outbox) == 1


def test_a_mail_whose_task_was_lost_is_sent_once_by_the_periodic_sender_and_a_young_one_is_left_to_its_task(db):
    order = _placed_order()
    lost = OrderEmail.objects.create(order=order, status="cancelled")
    OrderEmail.objects.filter(pk=lost.pk).update(created_at=lost.created_at - timedelta(minutes=5))
    other = _placed_order(email="ravi@example.com", product="Linen Kurta")
    young = OrderEmail.objects.create(order=other, status="cancelled")
    mail.outbox.clear()

    assert order_emails_send_queued() == 1
    assert order_emails_send_queued() == 0

    assert [message.subject for message in mail.outbox] == [f"Your TrueStyle order {order.number} is cancelled"]
    assert sorted(_rows(order)) == [("cancelled", True), ("placed", True)]
    assert OrderEmail.objects.get(pk=young.pk).sent_at is None


def test_a_task_and_the_periodic_sender_racing_for_one_mail_send_it_once(db):
    order = _placed_order()
    OrderEmail.objects.create(order=order, status="shipped")
    mail.outbox.clear()
    start = threading.Barrier(4)
    results = []

    def deliver():
        start.wait()
        results.append(order_email_deliver(order_id=str(order.pk), status="shipped"))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(results) == [False, False, False, True]
    assert [message.subject for message in mail.outbox] == [f"Your TrueStyle order {order.number} is on its way"]
    assert _rows(order) == [("placed", True), ("shipped", True)]


def test_an_unknown_order_or_an_unmailed_status_sends_nothing_and_writes_nothing(db):
    order = _placed_order()
    mail.outbox.clear()

    assert order_email_deliver(order_id="0" * 24, status="placed") is False
    assert order_email_deliver(order_id="not-an-id", status="placed") is False
    assert order_email_deliver(order_id=str(order.pk), status="confirmed") is False

    assert mail.outbox == []
    assert OrderEmail.objects.count() == 1
