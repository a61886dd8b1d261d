"""The broker or the worker gone: orders still commit at once, and each order mail goes out exactly once later.

An order's mail is written to its outbox (`OrderEmail`) in the order's own transaction and handed
to a Celery task after the commit. With the broker stopped (the app's broker URL pointed at a
TcpProxy in front of Redis, then stopped) the task never leaves the shop: the periodic sender
(`orders_send_queued_emails`) sends the mail once the broker is back. With the real worker not
consuming (its consumer cancelled through Celery's own remote control), the task waits in Redis,
and the worker sends it once it consumes again.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail

from storefront.tests.conftest import signed_in_client
from truestyle.celery import app
from truestyle.orders.models import Order, OrderEmail
from truestyle.orders.tasks import orders_send_queued_emails
from truestyle.orders.tests.factories import customer_create, line, place, stock_of, stocked_variant
from truestyle.shopping.services import cart_add, cart_get_or_create
from truestyle.testing.network import TcpProxy

# Placing a small order on the embedded MongoDB, the broker aside.
PLACE_BUDGET = 1.5
WORKER_BACK_WITHIN = 15.0


def _publish_retry_seconds() -> float:
    """The most a publish sleeps between its retries before it gives up (task_publish_retry_policy)."""
    policy = app.conf.task_publish_retry_policy
    steps = [min(policy["interval_start"] + n * policy["interval_step"], policy["interval_max"])
             for n in range(policy["max_retries"])]
    return sum(steps) if app.conf.task_publish_retry else 0.0


def _use_broker(url: str) -> None:
    # The app keeps its broker connection and producer pools; they are rebuilt for the new URL.
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_proxy(db):
    """The app's broker reached through a proxy in front of the suite's Redis, tasks sent (not run inline)."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    real = urlsplit(saved[0])
    proxy = TcpProxy(real.hostname, real.port).start()
    _use_broker(f"redis://127.0.0.1:{proxy.port}{real.path}")
    app.conf.task_always_eager = False
    try:
        yield proxy
    finally:
        proxy.stop()
        app.conf.task_always_eager = saved[1]
        _use_broker(saved[0])


@pytest.fixture
def bag(db):
    """A signed-in shopper with 2 shirts (₹1,499) in the bag; 5 in stock."""
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)
    return {"user": user, "address": address, "shirt": shirt, "browser": signed_in_client(user)}


def _checkout(bag):
    page = bag["browser"].get("/checkout/").content.decode()
    data = {"idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1),
            "line": re.findall(r'name="line" value="([^"]+)"', page), "address_id": str(bag["address"].pk),
            "shipping_method": "standard", "payment_method": "cod", "coupon_code": ""}
    started = time.perf_counter()
    response = bag["browser"].post("/checkout/place/", data)
    return response, time.perf_counter() - started


def _outbox_rows() -> list[tuple]:
    return [(str(row.order_id), row.status, row.sent_at is not None) for row in OrderEmail.objects.all()]


def test_with_the_broker_stopped_an_order_commits_at_once_and_its_mail_goes_out_once_when_it_is_back(
        bag, broker_proxy):
    broker_proxy.stop()

    response, seconds = _checkout(bag)

    order = Order.objects.get(user=bag["user"])
    assert (response.status_code, response["Location"]) == (302, f"/account/orders/{order.number}/?placed=1")
    # The lost publish costs its few quick retries (connections are refused), never a hang.
    assert seconds < PLACE_BUDGET + _publish_retry_seconds()
    assert (order.status, Order.objects.count(), stock_of(bag["shirt"])) == ("placed", 1, 3)
    assert _outbox_rows() == [(str(order.pk), "placed", False)]
    assert mail.outbox == []

    broker_proxy.start()
    # What beat runs every few minutes, here with no minimum age.
    first_run = orders_send_queued_emails.apply(kwargs={"older_than_seconds": 0}).get()
    second_run = orders_send_queued_emails.apply(kwargs={"older_than_seconds": 0}).get()

    assert (first_run, second_run) == (1, 0)
    assert [(message.subject, message.to) for message in mail.outbox] == [
        (f"Your TrueStyle order {order.number} is placed", [bag["user"].email])]
    assert _outbox_rows() == [(str(order.pk), "placed", True)]


def test_with_the_worker_not_consuming_the_mail_waits_in_the_broker_and_is_sent_once_when_it_consumes_again(
        db, celery_worker):
    queue = django_settings.CELERY_TASK_DEFAULT_QUEUE
    worker = [f"{queue}@truestyle-test"]
    broker = redis.Redis.from_url(app.conf.broker_url, socket_timeout=2)
    user, address = customer_create()
    shirt = stocked_variant(stock=5)
    assert app.control.cancel_consumer(queue, destination=worker, reply=True, timeout=5)
    try:
        started = time.perf_counter()
        order = place(user=user, address=address, lines=[line(shirt, 2)])
        seconds = time.perf_counter() - started

        assert seconds < PLACE_BUDGET
        assert (Order.objects.count(), stock_of(shirt)) == (1, 3)
        assert broker.llen(queue) == 1  # the task waits in Redis
        assert _outbox_rows() == [(str(order.pk), "placed", False)]
        # The periodic sender leaves a mail this young to its own task.
        assert orders_send_queued_emails.apply().get() == 0
    finally:
        assert app.control.add_consumer(queue, destination=worker, reply=True, timeout=5)

    deadline = time.monotonic() + WORKER_BACK_WITHIN
    while _outbox_rows() != [(str(order.pk), "placed", True)] and time.monotonic() < deadline:
        time.sleep(0.1)

    assert _outbox_rows() == [(str(order.pk), "placed", True)]
    assert broker.llen(queue) == 0
    # Sent by the worker (its own mailbox), so neither this process nor a later sender run sends it again.
    assert orders_send_queued_emails.apply(kwargs={"older_than_seconds": 0}).get() == 0
    assert mail.outbox == []
