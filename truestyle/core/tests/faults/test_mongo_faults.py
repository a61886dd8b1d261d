"""MongoDB stopped during order placement: a fast 503, no half order, and a retry that places exactly one.

The outage is real. The `mongodb` connection goes through a TcpProxy (truestyle/testing/network.py)
in front of the suite's embedded server, and the proxy stops at an exact moment: when the insert of
the order document has succeeded inside the placement's transaction, before its lines, payment and
invoice are written (a pymongo command listener watches for it). The stock and the coupon were
already taken in that transaction. To the store a stopped proxy is a stopped server (live
connections cut, new ones refused), and starting it again on the same port is the server coming
back. The embedded server, like a restarted one, must have dropped the transaction whose connection
was cut; otherwise every other session would also wait behind it.

The suite's shared server is never stopped, so the other tests are not disturbed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import pymongo
import pytest
from django.conf import settings
from django.db import DatabaseError, connections
from pymongo import monitoring
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError
from pymongo.uri_parser import parse_uri
from rest_framework.test import APIClient

from storefront.tests.conftest import signed_in_client
from truestyle.accounts import services as account_services
from truestyle.catalog.models import StockMovement
from truestyle.core.database_outage import MESSAGE, RETRY_AFTER_SECONDS, database_unreachable
from truestyle.core.db_router import MONGO_DATABASE
from truestyle.core.transactions import run_in_mongo_transaction
from truestyle.orders.models import Order, OrderLine
from truestyle.orders.tests.factories import customer_create, stock_of, stocked_variant
from truestyle.payments.models import Payment
from truestyle.promotions.models import Coupon, CouponUse
from truestyle.promotions.tests.factories import coupon_create
from truestyle.shopping.selectors import cart_for_user, cart_item_count
from truestyle.shopping.services import cart_add, cart_get_or_create
from truestyle.testing.mongo_servers import client_for, embedded_server
from truestyle.testing.network import TcpProxy

# Short, so that the outage costs the test about two seconds; production uses
# MONGODB_SERVER_SELECTION_TIMEOUT_MS (5 s), checked below.
SELECTION_TIMEOUT_MS = 1000
# A placement that meets a dead server waits out at most two server selections: the driver's abort
# of the cut transaction, then the one run mongo_atomic tries again. Retrying all 8 placement
# attempts would take 8 of them.
FAST_503_SECONDS = 2 * SELECTION_TIMEOUT_MS / 1000 + 2.0
BACK_WITHIN_SECONDS = 5


class CutAfterInsert(monitoring.CommandListener):
    """Stops the proxy the moment an insert into `collection` has succeeded, once armed."""

    def __init__(self, proxy: TcpProxy, collection: str) -> None:
        self.proxy = proxy
        self.collection = collection
        self.armed = False
        self.cut = threading.Event()
        self.cut_at = 0.0  # time.perf_counter() of the cut
        self._inserts: set[int] = set()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.armed and event.command_name == "insert" and event.command.get("insert") == self.collection:
            self._inserts.add(event.request_id)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if self.armed and event.request_id in self._inserts:
            self.armed = False
            self.proxy.stop()
            self.cut_at = time.perf_counter()
            self.cut.set()

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@dataclass
class CuttableMongo:
    proxy: TcpProxy
    cutter: CutAfterInsert

    def restart(self) -> None:
        self.proxy.start()


@pytest.fixture
def cuttable_mongo(db):
    """The `mongodb` connection, through a proxy that cuts it after the order's insert once armed."""
    connection = connections[MONGO_DATABASE]
    settings_dict = connection.settings_dict
    host, port = parse_uri(settings_dict["HOST"])["nodelist"][0]
    proxy = TcpProxy(host, port).start()
    cutter = CutAfterInsert(proxy, Order._meta.db_table)
    saved = settings_dict["HOST"], settings_dict["OPTIONS"]
    connection.close_pool()
    # A direct connection: as a replica set member the server names its own address, and the driver
    # would go there instead of through the proxy.
    settings_dict["HOST"] = f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true"
    settings_dict["OPTIONS"] = {**saved[1], "serverSelectionTimeoutMS": SELECTION_TIMEOUT_MS,
                                "event_listeners": [cutter]}
    try:
        yield CuttableMongo(proxy=proxy, cutter=cutter)
    finally:
        connection.close_pool()
        settings_dict["HOST"], settings_dict["OPTIONS"] = saved
        proxy.stop()


@pytest.fixture
def shopper_with_a_bag(cuttable_mongo):
    """Asha (address in Bengaluru) with 2 shirts at ₹1,499 in her bag, 5 in stock, and the coupon SAVE10."""
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)
    coupon_create(code="SAVE10", kind="percent", value="10")
    return user, address, shirt


def _api_client(user) -> APIClient:
    access, _ = account_services.token_pair_issue(user=user, device="Pixel 9", ip="127.0.0.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _seconds_after_the_cut(request, cutter: CutAfterInsert):
    """The response, and how long it came after the cut (the work before it is not the outage's cost)."""
    response = request()
    assert cutter.cut.is_set()
    return response, time.perf_counter() - cutter.cut_at


def _wait_until_reachable() -> None:
    """After the restart: the driver finds the server again (it re-checks every half second)."""
    deadline = time.monotonic() + BACK_WITHIN_SECONDS
    while True:
        try:
            connections[MONGO_DATABASE].database.command("ping")
            return
        except pymongo.errors.ConnectionFailure:
            if time.monotonic() > deadline:
                raise


def _assert_nothing_placed(user, shirt) -> None:
    assert Order.objects.filter(user=user).count() == 0
    assert OrderLine.objects.count() == 0
    assert Payment.objects.count() == 0
    assert stock_of(shirt) == 5
    assert StockMovement.objects.filter(variant_id=shirt.pk, reason="sale").count() == 0
    assert Coupon.objects.get(code="SAVE10").uses == 0
    assert CouponUse.objects.count() == 0
    assert cart_item_count(cart=cart_for_user(user=user)) == 2


def _assert_placed_once(user, shirt) -> Order:
    order = Order.objects.get(user=user)
    assert [(line.sku, line.quantity, line.unit_price, line.line_total) for line in order.lines.all()] == [
        (shirt.sku, 2, Decimal("1499.00"), Decimal("2998.00"))]
    assert (order.subtotal, order.discount, order.coupon_code, order.total) == (
        Decimal("2998.00"), Decimal("299.80"), "SAVE10", Decimal("2698.20"))
    assert Payment.objects.filter(order=order).count() == 1
    assert stock_of(shirt) == 3
    assert [movement.delta for movement in StockMovement.objects.filter(variant_id=shirt.pk, reason="sale")] == [-2]
    assert Coupon.objects.get(code="SAVE10").uses == 1
    assert CouponUse.objects.count() == 1
    assert cart_item_count(cart=cart_for_user(user=user)) == 0
    return order


# --- The API ------------------------------------------------------------------------------------------


def test_with_mongodb_stopped_during_placement_the_api_answers_503_fast_and_a_retry_places_one_order(
        cuttable_mongo, shopper_with_a_bag):
    # Given Asha's app places her bag with a coupon, and MongoDB stops right after the order's insert
    user, address, shirt = shopper_with_a_bag
    app = _api_client(user)
    body = {"address_id": str(address.pk), "shipping_method": "standard", "payment_method": "cod",
            "coupon_code": "SAVE10"}
    cuttable_mongo.cutter.armed = True

    # When she places it
    refused, elapsed = _seconds_after_the_cut(lambda: app.post(
        "/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="checkout-outage-1"), cuttable_mongo.cutter)

    # Then she gets a 503 within two server selections of the cut, with the code to retry on
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert refused.json() == {"error": {"code": "database_unavailable", "message": MESSAGE, "fields": {}}}
    assert elapsed < FAST_503_SECONDS

    # And once MongoDB is back, nothing of the cut placement is there
    cuttable_mongo.restart()
    _wait_until_reachable()
    _assert_nothing_placed(user, shirt)

    # When the app retries with the same key
    placed = app.post("/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="checkout-outage-1")
    again = app.post("/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="checkout-outage-1")

    # Then exactly one order is placed: its line, the stock taken once, the coupon used once
    assert (placed.status_code, again.status_code) == (201, 200)
    order = _assert_placed_once(user, shirt)
    assert placed.json()["order"]["number"] == again.json()["order"]["number"] == order.number


# --- The browser ----------------------------------------------------------------------------------------


def _checkout_form(browser) -> dict:
    html = browser.get("/checkout/").content.decode()
    return {"idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1),
            "line": re.findall(r'name="line" value="([^"]+)"', html)}


def test_with_mongodb_stopped_during_placement_the_browser_gets_a_clear_page_and_a_resubmit_places_one_order(
        cuttable_mongo, shopper_with_a_bag):
    # Given Asha's checkout page, and MongoDB stops right after the order's insert
    user, address, shirt = shopper_with_a_bag
    browser = signed_in_client(user)
    form = {**_checkout_form(browser), "address_id": str(address.pk), "shipping_method": "standard",
            "payment_method": "cod", "coupon_code": "SAVE10"}
    cuttable_mongo.cutter.armed = True

    # When she places her order
    refused, elapsed = _seconds_after_the_cut(lambda: browser.post("/checkout/place/", form), cuttable_mongo.cutter)

    # Then she sees the "back in a moment" page, soon
    page = refused.content.decode()
    assert refused.status_code == 503
    assert refused["Content-Type"].startswith("text/html")
    assert refused["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "<h1>We will be back in a moment</h1>" in page and MESSAGE in page
    assert elapsed < FAST_503_SECONDS

    # And once MongoDB is back, nothing was placed; submitting the same page again places one order
    cuttable_mongo.restart()
    _wait_until_reachable()
    _assert_nothing_placed(user, shirt)
    placed = browser.post("/checkout/place/", form)
    order = _assert_placed_once(user, shirt)
    assert (placed.status_code, placed["Location"]) == (302, f"/account/orders/{order.number}/?placed=1")


# --- mongo_atomic ---------------------------------------------------------------------------------------


def test_against_a_stopped_mongodb_a_transaction_gives_up_after_one_server_selection(cuttable_mongo):
    # Given MongoDB is stopped
    cuttable_mongo.proxy.stop()
    runs = []

    def coupon_create_counted():
        runs.append(1)
        return coupon_create(code="NEVER")

    # When a transaction that may run 8 times is started
    started = time.perf_counter()
    with pytest.raises(DatabaseError) as failure:
        run_in_mongo_transaction(coupon_create_counted, attempts=8)
    elapsed = time.perf_counter() - started

    # Then it ran once and reported the unreachable server (Django wraps the driver's error) after one
    # selection timeout, not eight
    assert isinstance(failure.value.__cause__, ServerSelectionTimeoutError)
    assert database_unreachable(failure.value)
    assert runs == [1]
    assert SELECTION_TIMEOUT_MS / 1000 <= elapsed < SELECTION_TIMEOUT_MS / 1000 + 1.5
    cuttable_mongo.restart()
    _wait_until_reachable()
    assert Coupon.objects.filter(code="NEVER").count() == 0


# --- The embedded server ----------------------------------------------------------------------------


def test_a_client_cut_off_mid_transaction_does_not_hold_the_embedded_server():
    # Given a client inside a transaction on the embedded server, through a proxy
    with embedded_server() as port:
        proxy = TcpProxy("127.0.0.1", port).start()
        cut_off = pymongo.MongoClient(f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true",
                                      serverSelectionTimeoutMS=SELECTION_TIMEOUT_MS)
        other = client_for(port)
        other.shop.items.insert_one({"_id": "seed"})
        session = cut_off.start_session()
        session.start_transaction()
        cut_off.shop.items.insert_one({"_id": "half"}, session=session)

        # When its connection is cut, another client writes and reads
        proxy.stop()
        started = time.monotonic()
        other.shop.items.insert_one({"_id": "next"})
        seen = sorted(document["_id"] for document in other.shop.items.find())
        waited = time.monotonic() - started

        # And the cut-off client, back, tries to commit what it had
        proxy.start()
        with pytest.raises(OperationFailure) as commit:
            session.commit_transaction()
        after = sorted(document["_id"] for document in other.shop.items.find())
        cut_off.close()
        other.close()
        proxy.stop()

    # Then the others went on at once, and the cut transaction was aborted, never committed
    assert seen == after == ["next", "seed"]
    assert waited < 1.0
    assert commit.value.code == 251  # NoSuchTransaction: the driver starts it again, MongoDB-style


# --- Settings -------------------------------------------------------------------------------------------


def _selection_timeout_in_production(tmp_path, **env: str) -> float:
    """The server selection timeout of the client the production settings build (no connection made)."""
    script = ("import django; django.setup(); from django.db import connections; from pymongo import MongoClient; "
              "client = MongoClient(**connections['mongodb'].get_connection_params(), connect=False); "
              "print(client.options.server_selection_timeout)")
    values = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
              "DJANGO_SETTINGS_MODULE": "truestyle.settings", "DEBUG": "0", "SECRET_KEY": "x" * 64,
              "ALLOWED_HOSTS": "shop.example.com", "MONGODB_URI": "mongodb://127.0.0.1:1/?replicaSet=truestyle",
              "TRUESTYLE_VAR_DIR": str(tmp_path / "var"), **env}
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=values,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return float(result.stdout.strip())


def test_production_waits_seconds_for_an_unreachable_mongodb_not_pymongos_thirty(tmp_path):
    # Given a production MONGODB_URI that says nothing about timeouts
    # When the settings build the client, by default and with the variable set
    default = _selection_timeout_in_production(tmp_path)
    configured = _selection_timeout_in_production(tmp_path, MONGODB_SERVER_SELECTION_TIMEOUT_MS="2500")

    # Then a dead server is given up after 5 s by default, or what the variable says
    assert (default, configured) == (5.0, 2.5)
