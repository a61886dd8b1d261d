"""PostgreSQL stopped: the shop still sells, staff still work, and every log line is written once it is back.

PostgreSQL holds only the request log, the audit log and contact messages, so while it is away an
order is still placed (MongoDB), a staff member still moves it on, and their log entries wait in
the spool; a contact message cannot be kept, so the visitor is told so plainly. The outage is real:
the `default` alias and the request-log writer reach the test database through a TcpProxy, whose
`stop()` refuses new connections and cuts open ones, and whose `start()` is PostgreSQL back.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.db import connections
from django.test import Client

from storefront.tests.conftest import signed_in_client
from truestyle.auditlog.models import AuditEntry, RequestLogEntry
from truestyle.auditlog.services import request_log_flush_spool, request_log_writer
from truestyle.auditlog.tests.factories import logged_requests, spooled_records
from truestyle.contact.models import ContactMessage
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import customer_create, ledger_sum, stock_of, stocked_variant
from truestyle.orders.tests.factories import staff_create
from truestyle.shopping.services import cart_add, cart_get_or_create
from truestyle.testing.network import TcpProxy

WRITER_ALIAS = "request_log_writer_faults"
CONTACT_FORM = {"name": "Meera Iyer", "email": "meera@example.com", "phone": "", "subject": "Kurta sizes",
                "message": "Does the cotton kurta run small?", "website": ""}


@pytest.fixture
def postgres(db, settings, tmp_path):
    """PostgreSQL behind a proxy for this thread's `default` connections and for the request-log writer
    (on an alias of its own, so that its thread opens a new connection, through the proxy)."""
    settings.REQUEST_LOG_SPOOL_DIR = tmp_path / "spool"
    request_log_writer.flush()  # entries of earlier requests are written now, not during the outage
    source = connections.settings["default"]
    proxy = TcpProxy(source["HOST"] or "127.0.0.1", int(source["PORT"] or 5432)).start()
    saved = source["HOST"], source["PORT"]
    connections["default"].close()
    source["HOST"], source["PORT"] = "127.0.0.1", str(proxy.port)
    connections.settings[WRITER_ALIAS] = {**source}
    request_log_writer.database = WRITER_ALIAS
    try:
        yield proxy
    finally:
        proxy.stop()
        request_log_writer.database = "default"
        connections[WRITER_ALIAS].close()
        del connections[WRITER_ALIAS]
        del connections.settings[WRITER_ALIAS]
        source["HOST"], source["PORT"] = saved
        connections["default"].close()


@pytest.fixture
def shop(db):
    """A shopper with 2 shirts (₹1,499) in the bag, 5 in stock; an order manager; both signed in."""
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)
    manager = staff_create()
    staff_browser = Client()
    staff_browser.force_login(manager)
    return {"user": user, "address": address, "shirt": shirt, "shopper_browser": signed_in_client(user),
            "manager": manager, "staff_browser": staff_browser}


def _timed(call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


def test_with_postgresql_stopped_orders_are_placed_and_the_logs_are_written_once_it_is_back(shop, postgres, settings):
    shopper, staff = shop["shopper_browser"], shop["staff_browser"]
    # A refused connection is answered at once; no request may wait even one connect timeout.
    connect_timeout = settings.DATABASES["default"]["OPTIONS"]["connect_timeout"]
    request_log_writer.flush()
    RequestLogEntry.objects.all().delete()  # the set-up's own (signing in), so that only the outage's remain
    AuditEntry.objects.all().delete()

    postgres.stop()
    page, page_seconds = _timed(shopper.get, "/checkout/")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    placed, placed_seconds = _timed(shopper.post, "/checkout/place/", {
        "idempotency_key": key, "line": re.findall(r'name="line" value="([^"]+)"', page.content.decode()),
        "address_id": str(shop["address"].pk), "shipping_method": "standard", "payment_method": "cod",
        "coupon_code": ""})
    order = Order.objects.get(user=shop["user"])
    confirmation, confirmation_seconds = _timed(shopper.get, f"/account/orders/{order.number}/?placed=1")
    moved, moved_seconds = _timed(staff.post, f"/staff/orders/{order.number}/status/",
                                  {"transition-from_status": "placed", "transition-to": "confirmed"})
    contact, contact_seconds = _timed(Client(REMOTE_ADDR="203.0.113.9").post, "/contact/", CONTACT_FORM)
    assert request_log_writer.flush() == 0  # what PostgreSQL cannot take now goes to the spool

    assert (page.status_code, placed.status_code, confirmation.status_code, moved.status_code) == (200, 302, 200, 302)
    assert placed["Location"] == f"/account/orders/{order.number}/?placed=1"
    assert order.number in confirmation.content.decode()
    assert max(page_seconds, placed_seconds, confirmation_seconds, moved_seconds, contact_seconds) < connect_timeout
    # Exactly one order in MongoDB, stock down by exactly the 2 bought, moved on by staff, mailed once.
    assert Order.objects.filter(user=shop["user"]).count() == 1
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert stock_of(shop["shirt"]) == 3 == ledger_sum(shop["shirt"])
    assert [message.subject for message in mail.outbox] == [f"Your TrueStyle order {order.number} is placed"]
    # The visitor is told, and keeps what they typed.
    assert contact.status_code == 503
    assert "We could not send your message just now." in contact.content.decode()
    assert "Does the cotton kurta run small?" in contact.content.decode()
    # Every log line waits in the spool: five requests and the staff member's audit entry.
    spooled = spooled_records(settings.REQUEST_LOG_SPOOL_DIR)
    assert sorted((record["kind"], record.get("path") or record.get("action")) for record in spooled) == sorted([
        ("request", "/checkout/"), ("request", "/checkout/place/"), ("request", f"/account/orders/{order.number}/"),
        ("request", f"/staff/orders/{order.number}/status/"), ("request", "/contact/"),
        ("audit", "order.transition")])

    postgres.start()
    connections["default"].close()  # the test's own connection was cut; a request would drop it the same way
    # Back, but nothing written before the spool is flushed (the writer's next batch or the beat task).
    assert (RequestLogEntry.objects.count(), AuditEntry.objects.count(), ContactMessage.objects.count()) == (0, 0, 0)

    assert request_log_flush_spool() == 6

    assert sorted(logged_requests()) == sorted([
        ("GET", "/checkout/", 200, str(shop["user"].pk), "127.0.0.1"),
        ("POST", "/checkout/place/", 302, str(shop["user"].pk), "127.0.0.1"),
        ("GET", f"/account/orders/{order.number}/", 200, str(shop["user"].pk), "127.0.0.1"),
        ("POST", f"/staff/orders/{order.number}/status/", 302, str(shop["manager"].pk), "127.0.0.1"),
        ("POST", "/contact/", 503, "", "203.0.113.9"),
    ])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor_id, entry.before) == (
        "order.transition", "order", order.number, str(shop["manager"].pk), {"status": "placed"})
    assert entry.after == {"status": "confirmed", "tracking_number": "", "note": ""}
    assert ContactMessage.objects.count() == 0
    # Written once: the spool is empty and a second flush writes nothing more.
    assert spooled_records(settings.REQUEST_LOG_SPOOL_DIR) == []
    assert request_log_flush_spool() == 0
    assert (RequestLogEntry.objects.count(), AuditEntry.objects.count()) == (5, 1)
