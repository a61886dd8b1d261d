"""Trending: activity counted exactly (also under concurrency), scores decay with age, the ranking is pinned."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connections

from truestyle.analytics.models import ProductActivity, TrendingScore
from truestyle.analytics.selectors import trending_product_ids
from truestyle.analytics.trending import activity_flush, activity_record, trending_recompute, trending_scores
from truestyle.catalog.models import Product
from truestyle.catalog.selectors import product_cards
from truestyle.catalog.tests.factories import product_create, variant_create

TODAY = date(2026, 11, 20)


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def products(db):
    made = {}
    for name in ("Linen Shirt", "Silk Saree", "Denim Jacket", "Wool Coat", "Cotton Kurta"):
        product = product_create(name=name)
        variant_create(product=product, size="M", stock=4)
        made[name] = product
    return made


def _history(products):
    shirt, saree, jacket, coat, kurta = (products[name] for name in products)
    activity_record(product_id=shirt.pk, kind="views", count=10, day=TODAY)                 # 10
    activity_record(product_id=saree.pk, kind="purchases", count=1, day=_days_ago(3))       # 10 · 0.5 = 5
    activity_record(product_id=saree.pk, kind="cart_adds", count=2, day=TODAY)              # + 10 = 15
    activity_record(product_id=jacket.pk, kind="views", count=40, day=_days_ago(9))         # 40 · 0.125 = 5
    activity_record(product_id=jacket.pk, kind="wishlist_adds", count=1, day=_days_ago(1))  # + 3 · 0.5^(1/3)
    activity_record(product_id=coat.pk, kind="views", count=100, day=TODAY)                 # switched off below
    activity_record(product_id=kurta.pk, kind="views", count=500, day=_days_ago(30))        # outside the window
    Product.objects.filter(pk=coat.pk).update(is_active=False)
    return shirt, saree, jacket, coat, kurta


def test_the_ranking_of_a_constructed_history_is_exact(products):
    shirt, saree, jacket, coat, kurta = _history(products)

    scores = dict(trending_scores(today=TODAY))
    ranked = trending_recompute(today=TODAY)

    assert scores == {str(saree.pk): 15.0, str(coat.pk): 100.0, str(shirt.pk): 10.0, str(jacket.pk): 7.3811}
    assert ranked == 3
    assert list(TrendingScore.objects.order_by("rank").values_list("product_id", "rank", "score")) == [
        (saree.pk, 1, 15.0), (shirt.pk, 2, 10.0), (jacket.pk, 3, 7.3811)]
    assert [card.name for card in product_cards(product_ids=trending_product_ids())] == [
        "Silk Saree", "Linen Shirt", "Denim Jacket"]


def test_a_recomputation_replaces_the_ranking_whole(products):
    shirt, saree, *_ = _history(products)
    trending_recompute(today=TODAY)

    activity_record(product_id=shirt.pk, kind="purchases", count=3, day=TODAY + timedelta(days=1))
    trending_recompute(today=TODAY + timedelta(days=1))

    assert trending_product_ids(limit=2) == [str(shirt.pk), str(saree.pk)]
    assert TrendingScore.objects.count() == 3
    assert TrendingScore.objects.get(product_id=shirt.pk).score == pytest.approx(30 + 10 * 0.5 ** (1 / 3), abs=1e-4)


def test_twenty_simultaneous_views_are_all_counted_in_one_document(products):
    shirt = products["Linen Shirt"]
    barrier = threading.Barrier(20)

    def view():
        barrier.wait()
        activity_record(product_id=shirt.pk, kind="views", day=TODAY)
        connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    rows = list(ProductActivity.objects.filter(product_id=str(shirt.pk)).values("day", "views", "cart_adds"))
    assert rows == [{"day": "2026-11-20", "views": 20, "cart_adds": 0}]


def test_batched_activity_is_counted_in_memory_and_written_exactly_in_one_flush(products, settings):
    settings.TRENDING_ACTIVITY_FLUSH_SECONDS = 600  # the test flushes itself
    shirt, saree = products["Linen Shirt"], products["Silk Saree"]
    barrier = threading.Barrier(10)

    def shopper():
        barrier.wait()
        for _ in range(3):
            activity_record(product_id=shirt.pk, kind="views", day=TODAY)
        activity_record(product_id=saree.pk, kind="cart_adds", count=2, day=TODAY)

    threads = [threading.Thread(target=shopper) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written_before = ProductActivity.objects.count()
    flushed = activity_flush()

    assert (written_before, flushed, activity_flush()) == (0, 50, 0)
    rows = sorted(ProductActivity.objects.values_list("product_id", "day", "views", "cart_adds", "purchases"))
    assert rows == sorted([(str(shirt.pk), "2026-11-20", 30, 0, 0), (str(saree.pk), "2026-11-20", 0, 20, 0)])


def test_batched_activity_is_written_in_the_background_and_counts_in_the_ranking(products, settings):
    import time

    settings.TRENDING_ACTIVITY_FLUSH_SECONDS = 0.2
    shirt, saree = products["Linen Shirt"], products["Silk Saree"]
    for _ in range(3):
        activity_record(product_id=shirt.pk, kind="views", day=TODAY)
    deadline = time.monotonic() + 10
    while not ProductActivity.objects.filter(product_id=str(shirt.pk)).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    background = list(ProductActivity.objects.filter(product_id=str(shirt.pk)).values_list("views", flat=True))

    settings.TRENDING_ACTIVITY_FLUSH_SECONDS = 600  # counted, not yet written: the ranking flushes first
    activity_record(product_id=saree.pk, kind="purchases", day=TODAY)

    assert background == [3]
    assert trending_scores(today=TODAY) == [(str(saree.pk), 10.0), (str(shirt.pk), 3.0)]


def test_a_malformed_product_id_or_count_records_nothing_and_an_unknown_kind_is_a_bug(products):
    assert activity_record(product_id="not-an-id", kind="views") is False
    assert activity_record(product_id=products["Linen Shirt"].pk, kind="views", count=0) is False
    with pytest.raises(ValueError):
        activity_record(product_id=products["Linen Shirt"].pk, kind="likes")

    assert ProductActivity.objects.count() == 0


def test_the_api_lists_trending_products_in_rank_order_and_counts_product_views(products, client):
    _history(products)
    trending_recompute(today=TODAY)

    listed = client.get("/api/v1/catalog/trending?limit=2")
    refused = client.get("/api/v1/catalog/trending?limit=0")
    viewed = client.get(f"/api/v1/catalog/products/{products['Linen Shirt'].slug}")

    assert listed.status_code == 200
    assert [card["name"] for card in listed.json()] == ["Silk Saree", "Linen Shirt"]
    assert listed.json()[0]["sizes_in_stock"] == ["M"]
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"limit": ["Ensure this value is greater than or equal to 1."]}
    assert viewed.status_code == 200
    shirt_today = ProductActivity.objects.filter(product_id=str(products["Linen Shirt"].pk)).exclude(
        day=TODAY.isoformat()).values_list("views", flat=True)
    assert list(shirt_today) == [1]


def test_the_home_page_shows_the_trending_shelf_in_rank_order(products, client):
    _history(products)
    trending_recompute(today=TODAY)

    page = client.get("/").content.decode()

    shelf = page[page.index('id="trending-title"'):]
    shelf = shelf[:shelf.index("</section>")]
    assert shelf.index("Silk Saree") < shelf.index("Linen Shirt") < shelf.index("Denim Jacket")
    assert "Wool Coat" not in shelf


def test_adding_to_a_cart_or_wishlist_and_buying_are_counted(products):
    from truestyle.orders.tests.factories import customer_create, line, place
    from truestyle.shopping.services import cart_add, cart_get_or_create, wishlist_add

    shopper, home = customer_create()
    shirt = products["Linen Shirt"]
    variant = shirt.variants.get()
    cart_add(cart=cart_get_or_create(user=shopper), variant_id=str(variant.pk), quantity=2)
    wishlist_add(user=shopper, product_id=str(shirt.pk))
    wishlist_add(user=shopper, product_id=str(shirt.pk))  # saved again: not another add
    place(user=shopper, address=home, lines=[line(variant, 3)])

    row = ProductActivity.objects.filter(product_id=str(shirt.pk)).values("cart_adds", "wishlist_adds", "purchases")
    assert list(row) == [{"cart_adds": 2, "wishlist_adds": 1, "purchases": 3}]
