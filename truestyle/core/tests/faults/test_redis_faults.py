"""Redis stopped or hung: whole requests still answer, in time, and the cache is written again once it is back.

The store's cache (settings.CACHES, with its own OPTIONS) is pointed at the suite's Redis through a
TcpProxy: `stop()` is Redis stopped (connections refused, open ones cut), `start()` is Redis back on
the same port. A hung Redis is a SilentListener: it accepts connections and never answers.
test_cache_outage.py covers single cache calls; these tests cover pages, staff permission checks
and an API checkout, end to end.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.test import Client
from rest_framework.test import APIClient

from storefront.tests.catalog_data import catalogue_create
from truestyle.accounts import services as account_services
from truestyle.accounts.models import User
from truestyle.accounts.permissions import permissions_cache_key
from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import customer_create, stock_of, stocked_variant
from truestyle.shopping.services import cart_add, cart_get_or_create
from truestyle.testing.network import SilentListener, TcpProxy

# Rendering one page of the small test catalogue on the embedded MongoDB, Redis aside (with the
# permission set computed from MongoDB once); a few tenths of a second, more on a busy 2-core machine.
PAGE_BUDGET = 1.5
LISTING = "/shop/"
STAFF_PAGE = "/staff/catalogue/products/"
PRODUCT_NAMES = ("Oxford Shirt", "Linen Kurta", "Graphic Tee")
REFUSED = "You do not have permission to see this page."


def _options(settings) -> dict:
    return settings.CACHES["default"]["OPTIONS"]


def _redis_wait(settings) -> float:
    """The longest one cache call may wait on a dead Redis: one connect or one read, per the OPTIONS."""
    options = _options(settings)
    return max(options["SOCKET_CONNECT_TIMEOUT"], options["SOCKET_TIMEOUT"])


def _point_cache_at(settings, port: int, **options) -> str:
    """The store's own cache settings, at another port; returns the new location."""
    real = settings.CACHES["default"]
    location = f"redis://127.0.0.1:{port}{urlsplit(real['LOCATION']).path}"
    settings.CACHES = {"default": {**real, "LOCATION": location, "OPTIONS": {**real["OPTIONS"], **options}}}
    # Assigning CACHES makes Django close and rebuild its cache handlers; the store's `cache` follows.
    assert caches["default"]._server == location
    return location


def _timed_get(client: Client, url: str):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


@pytest.fixture
def real_redis(db, settings) -> redis.Redis:
    """The suite's Redis itself, read directly (not through the store's cache or the proxy)."""
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=2)


@pytest.fixture
def redis_proxy(db, settings, real_redis):
    """The store's cache going to the suite's Redis through a proxy that the test stops and starts."""
    real = urlsplit(settings.CACHES["default"]["LOCATION"])
    proxy = TcpProxy(real.hostname, real.port).start()
    _point_cache_at(settings, proxy.port, SKIP_AFTER_FAILURE_SECONDS=1.0)  # short, so the test waits little
    yield proxy
    proxy.stop()


@pytest.fixture
def hung_redis(db, settings):
    with SilentListener() as hung:
        # The store's own timeouts; the pause after a failure outlasts the test, so that every cache
        # call after the first falls inside it (the production pause is SKIP_AFTER_FAILURE_SECONDS).
        _point_cache_at(settings, hung.port, SKIP_AFTER_FAILURE_SECONDS=60.0)
        yield hung


@pytest.fixture
def catalogue(db):
    return catalogue_create()


@pytest.fixture
def people(catalogue):
    """A catalogue manager and a shopper, each signed in in their own browser, in a store that has
    served its pages once already (templates compiled), as a running store has."""
    manager = user_create(email="catalogue@example.com")
    manager.groups.add(Group.objects.get(name=Role.CATALOGUE_MANAGER))
    shopper = user_create(email="shopper@example.com")
    browsers = {}
    for name, user in (("manager", manager), ("shopper", shopper)):
        browsers[f"{name}_browser"] = browser = Client()
        browser.force_login(user)
    for url in ("/", LISTING, f"/p/{catalogue['oxford'].slug}/"):
        assert Client().get(url).status_code == 200
    assert browsers["manager_browser"].get(STAFF_PAGE).status_code == 200
    assert browsers["shopper_browser"].get(STAFF_PAGE).status_code == 403
    return {"manager": User.objects.get(pk=manager.pk), "shopper": shopper, **browsers}


def _page_keys(real_redis) -> list[bytes]:
    return sorted(real_redis.keys(cache.make_key("catalog:page:*")))


def test_with_redis_hung_pages_and_permission_checks_wait_one_timeout_in_all(settings, catalogue, people,
                                                                            hung_redis):
    oxford = catalogue["oxford"]

    listing, listing_seconds = _timed_get(Client(), LISTING)
    product, product_seconds = _timed_get(Client(), f"/p/{oxford.slug}/")
    home, home_seconds = _timed_get(Client(), "/")
    staff, staff_seconds = _timed_get(people["manager_browser"], STAFF_PAGE)
    refused, refused_seconds = _timed_get(people["shopper_browser"], STAFF_PAGE)

    assert [r.status_code for r in (listing, product, home, staff, refused)] == [200, 200, 200, 200, 403]
    assert all(name in listing.content.decode() for name in PRODUCT_NAMES)
    assert (listing["X-Cache"], home["X-Cache"]) == ("miss", "miss")
    assert "A crisp oxford." in product.content.decode() and "Oxford Shirt" in product.content.decode()
    assert "Oxford Shirt" in home.content.decode()
    assert "Oxford Shirt" in staff.content.decode()
    assert REFUSED in refused.content.decode()
    # The first cache call waited out its timeout; every later one, in these and the next requests,
    # missed at once instead of waiting again (a home page used to wait about 17 s in all).
    assert listing_seconds < _redis_wait(settings) + PAGE_BUDGET
    assert max(product_seconds, home_seconds, staff_seconds, refused_seconds) < PAGE_BUDGET
    assert len(hung_redis.accepted) == 1


def test_with_redis_stopped_the_store_serves_and_checks_from_mongodb_then_caches_again_when_it_is_back(
        redis_proxy, real_redis, settings, catalogue, people):
    manager = people["manager"]
    assert Client().get(LISTING)["X-Cache"] == "hit"  # cached by the warm-up, through the proxy
    real_redis.delete(*_page_keys(real_redis), cache.make_key(permissions_cache_key(manager)))

    redis_proxy.stop()
    answers = [_timed_get(Client(), LISTING), _timed_get(Client(), LISTING),
               _timed_get(Client(), f"/p/{catalogue['oxford'].slug}/"),
               _timed_get(people["manager_browser"], STAFF_PAGE), _timed_get(people["shopper_browser"], STAFF_PAGE)]

    assert [response.status_code for response, _ in answers] == [200, 200, 200, 200, 403]
    assert [response["X-Cache"] for response, _ in answers[:2]] == ["miss", "miss"]
    assert all(name in answers[1][0].content.decode() for name in PRODUCT_NAMES)
    assert "A crisp oxford." in answers[2][0].content.decode()
    assert REFUSED in answers[4][0].content.decode()
    # A refused connection costs nothing like a timeout.
    assert max(seconds for _, seconds in answers) < PAGE_BUDGET
    # Nothing could be cached meanwhile.
    assert _page_keys(real_redis) == []
    assert real_redis.exists(cache.make_key(permissions_cache_key(manager))) == 0

    redis_proxy.start()
    time.sleep(_options(settings)["SKIP_AFTER_FAILURE_SECONDS"])  # the store asks Redis again after this
    first, second = Client().get(LISTING), Client().get(LISTING)
    staff = people["manager_browser"].get(STAFF_PAGE)

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content.decode().count("Oxford Shirt") == first.content.decode().count("Oxford Shirt") > 0
    assert len(_page_keys(real_redis)) == 1
    assert staff.status_code == 200
    cached_permissions = caches["default"].get(permissions_cache_key(manager))
    assert real_redis.exists(cache.make_key(permissions_cache_key(manager))) == 1
    assert "accounts.manage_catalogue" in cached_permissions and "accounts.manage_orders" not in cached_permissions


def test_with_redis_stopped_an_order_placed_through_the_api_is_answered_at_once(redis_proxy, settings):
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    cart_add(cart=cart_get_or_create(user=user), variant_id=shirt.pk, quantity=2)
    access, _ = account_services.token_pair_issue(user=user, device="Pixel 9", ip="127.0.0.1")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    redis_proxy.stop()

    started = time.perf_counter()
    response = api.post("/api/v1/orders", {"address_id": str(address.pk), "shipping_method": "standard",
                                           "payment_method": "cod"}, format="json",
                        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    elapsed = time.perf_counter() - started

    assert response.status_code == 201, response.content
    # The one-request-per-key lock lives in the cache; without Redis the request goes ahead without it
    # (order_place itself never places twice for one key) instead of waiting 30 s for a lock.
    assert elapsed < PAGE_BUDGET
    assert Order.objects.filter(user=user).count() == 1
    assert stock_of(shirt) == 3
