"""Customer mails about an order's status, through an outbox (`OrderEmail`), so each goes out exactly once.

The status change writes the outbox row in its own transaction and, once committed, hands the send
to a Celery task. If that task is lost (the broker was away when it was sent, or the worker dropped
it), the periodic sender (`order_emails_send_queued`) finds the row still unsent and sends it. Task
and periodic sender may both try: a conditional claim lets only one of them send.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bson import ObjectId
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from truestyle.orders.models import Order, OrderEmail
from truestyle.orders.statuses import EMAILED_STATUSES

logger = logging.getLogger(__name__)

SUBJECTS = {
    "placed": "Your {store} order {number} is placed",
    "shipped": "Your {store} order {number} is on its way",
    "delivered": "Your {store} order {number} was delivered",
    "cancelled": "Your {store} order {number} is cancelled",
}
# A send claimed this long ago and never finished (its process died) may be tried again.
CLAIM_SECONDS = 10 * 60
# The periodic sender leaves younger mails to their own task, which is normally on its way.
QUEUED_AFTER_SECONDS = 60


def order_email_queue_in_transaction(*, order: Order, status: str) -> bool:
    """Inside the status change's transaction: record that the customer is owed a mail about `status`.

    Returns False for statuses that are not mailed.
    """
    if status not in EMAILED_STATUSES:
        return False
    OrderEmail.objects.create(order=order, status=status)
    return True


def order_email_deliver(*, order_id: str, status: str) -> bool:
    """Send the mail about `status` unless it was sent already or another process is sending it;
    True when this call sent it. A failed send is released for the next try and re-raised."""
    if status not in EMAILED_STATUSES or not ObjectId.is_valid(str(order_id)):
        return False
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None:
        return False
    email = _outbox_row(order, status)
    now = timezone.now()
    claimed = (OrderEmail.objects.filter(pk=email.pk, sent_at__isnull=True)
               .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_SECONDS)))
               .update(claimed_at=now))
    if claimed != 1:
        return False
    context = {"order": order, "lines": list(order.lines.all()), "user": order.user,
               "store_name": settings.STORE_NAME}
    try:
        send_mail(SUBJECTS[status].format(store=settings.STORE_NAME, number=order.number),
                  render_to_string(f"emails/order_{status}.txt", context), None, [order.user.email])
    except Exception:
        OrderEmail.objects.filter(pk=email.pk).update(claimed_at=None)
        raise
    OrderEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now())
    return True


def _outbox_row(order: Order, status: str) -> OrderEmail:
    # A task sent before the outbox existed has no row: it gets one, and the claim below still holds.
    email = OrderEmail.objects.filter(order=order, status=status).first()
    if email is not None:
        return email
    try:
        return OrderEmail.objects.create(order=order, status=status)
    except IntegrityError:
        return OrderEmail.objects.get(order=order, status=status)


def order_emails_send_queued(*, older_than_seconds: int = QUEUED_AFTER_SECONDS) -> int:
    """Periodic: send the mails still waiting after `older_than_seconds` (their task was lost); returns
    how many this call sent. One that fails stays queued for the next run."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    for order_id, status in (OrderEmail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
                             .values_list("order_id", "status")):
        try:
            sent += order_email_deliver(order_id=str(order_id), status=status)
        except Exception:  # noqa: BLE001 - one failing mail must not hold up the rest
            logger.exception("order mail (%s, %s) not sent; it stays queued", order_id, status)
    return sent
