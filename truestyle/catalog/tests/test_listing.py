"""The listing's filters, facets and sorting, with exact counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from truestyle.catalog.models import Category, Colourway, Product, SizeProfile, Variant
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.selectors import ListingFilters, product_listing
from truestyle.catalog.services import stock_adjust
from truestyle.catalog.tests.factories import occasion_create, product_create, variant_create
from truestyle.accounts.tests.factories import user_create


@pytest.fixture
def catalogue(db):
    now = timezone.now()
    office, party = occasion_create("Office"), occasion_create("Party")
    oxford = product_create(name="Oxford Shirt", brand="Loom", category="Shirts", price="1499.00",
                            created_at=now - timedelta(days=3), popularity=40, tags=["cotton"])
    oxford.occasions.set([office])
    variant_create(product=oxford, colour="Indigo", hex="#2E3A87", size="M", stock=4)
    variant_create(product=oxford, colour="Indigo", hex="#2E3A87", size="L", stock=0)
    variant_create(product=oxford, colour="White", hex="#FFFFFF", size="S", stock=2)
    linen = product_create(name="Linen Kurta", brand="Weave", category="Kurtas", price="2499.00", mrp="2999.00",
                           created_at=now - timedelta(days=1), popularity=90)
    linen.occasions.set([party, office])
    variant_create(product=linen, colour="Sage", hex="#9CAF88", size="L", stock=1)
    tee = product_create(name="Graphic Tee", brand="Loom", category="Tees", price="799.00", mrp="799.00",
                         created_at=now - timedelta(days=2), popularity=10)
    variant_create(product=tee, colour="Black", hex="#111111", size="M", stock=0)
    return {"oxford": oxford, "linen": linen, "tee": tee}


def _names(page):
    return [(card.name, card.colour) for card in page.cards]


def test_one_card_per_colourway_newest_first(catalogue):
    page = product_listing(filters=ListingFilters())

    assert page.total == 4
    assert _names(page) == [("Linen Kurta", "Sage"), ("Graphic Tee", "Black"), ("Oxford Shirt", "Indigo"),
                            ("Oxford Shirt", "White")]
    assert page.cards[2].sizes_in_stock == ["M"]
    assert page.cards[2].other_colours == [{"name": "White", "slug": "white", "hex": "#FFFFFF"}]


def test_facet_counts_apply_every_other_filter(catalogue):
    page = product_listing(filters=ListingFilters(brands=("loom",)))

    facets = {name: {(v.value, v.count, v.selected) for v in values} for name, values in page.facets.items()}
    assert page.total == 3
    assert facets["brands"] == {("loom", 3, True), ("weave", 1, False)}
    assert facets["occasions"] == {("office", 2, False)}
    assert facets["colours"] == {("indigo", 1, False), ("white", 1, False), ("black", 1, False)}
    assert facets["sizes"] == {("M", 2, False), ("L", 1, False), ("S", 1, False)}
    assert facets["price_bands"] == {("0-999", 1, False), ("1000-1999", 2, False)}
    assert facets["in_stock"] == {("yes", 2, False)}


@pytest.mark.parametrize(("filters", "expected"), [
    (ListingFilters(sizes=("L",), in_stock=True), [("Linen Kurta", "Sage")]),
    (ListingFilters(sizes=("L",)), [("Linen Kurta", "Sage"), ("Oxford Shirt", "Indigo")]),
    (ListingFilters(colours=("white", "black")), [("Graphic Tee", "Black"), ("Oxford Shirt", "White")]),
    (ListingFilters(occasions=("party",)), [("Linen Kurta", "Sage")]),
    (ListingFilters(price_bands=("2000-3999",)), [("Linen Kurta", "Sage")]),
    (ListingFilters(category="shirts"), [("Oxford Shirt", "Indigo"), ("Oxford Shirt", "White")]),
    (ListingFilters(sort="price_asc"), [("Graphic Tee", "Black"), ("Oxford Shirt", "Indigo"),
                                        ("Oxford Shirt", "White"), ("Linen Kurta", "Sage")]),
    (ListingFilters(sort="popular"), [("Linen Kurta", "Sage"), ("Oxford Shirt", "Indigo"),
                                      ("Oxford Shirt", "White"), ("Graphic Tee", "Black")]),
])
def test_filters_and_sorting(catalogue, filters, expected):
    assert _names(product_listing(filters=filters)) == expected


def test_search_is_case_insensitive_and_ranks_name_matches_first(catalogue):
    page = product_listing(filters=ListingFilters(q="LOOM shirt"))

    assert _names(page) == [("Oxford Shirt", "Indigo"), ("Oxford Shirt", "White")]
    assert _names(product_listing(filters=ListingFilters(q="cotton"))) == [("Oxford Shirt", "Indigo"),
                                                                             ("Oxford Shirt", "White")]


def test_in_my_size_uses_the_shoppers_size_profile(catalogue):
    shopper = user_create()
    SizeProfile.objects.create(user=shopper, sizes={"shirt": "S"})

    page = product_listing(filters=ListingFilters(my_size=True), user=shopper)

    assert _names(page) == [("Oxford Shirt", "White")]


def test_the_category_filter_includes_the_subtree(db):
    men = Category.objects.create(name="Men", slug="men", path="men")
    Category.objects.create(name="Shirts", slug="shirts", path="men/shirts", parent=men, depth=1)
    product = product_create(name="Poplin Shirt", category="Shirts")
    product.category = Category.objects.get(path="men/shirts")
    product.save()
    variant_create(product=product, stock=1)

    assert product_listing(filters=ListingFilters(category="men")).total == 1


def test_pagination(catalogue):
    page = product_listing(filters=ListingFilters(), page=2, page_size=3)

    assert (page.page, page.pages, page.total, len(page.cards)) == (2, 2, 4, 1)


def test_the_query_count_does_not_grow_with_the_page_size(db):
    template = product_create(name="Tee 0", slug="tee-0")
    products = Product.objects.bulk_create([
        Product(name=f"Tee {i}", slug=f"tee-{i}", brand=template.brand, category=template.category,
                product_type=template.product_type, price=Decimal("599.00"), mrp=Decimal("799.00"))
        for i in range(1, 48)])
    colourways = Colourway.objects.bulk_create([
        Colourway(product=p, name="Black", slug="black", hex="#111111") for p in [template, *products]])
    Variant.objects.bulk_create([Variant(product_id=c.product_id, colourway=c, size="M", stock=1, sku=f"TEE{i}-BLK-M")
                                 for i, c in enumerate(colourways)])

    with CaptureQueriesContext(connections["mongodb"]) as small:
        assert len(product_listing(filters=ListingFilters(), page_size=12).cards) == 12
    catalog_cache_bump()  # a change to the catalogue: the candidate cards are read again
    with CaptureQueriesContext(connections["mongodb"]) as large:
        assert len(product_listing(filters=ListingFilters(), page_size=48).cards) == 48
    with CaptureQueriesContext(connections["mongodb"]) as again:
        assert len(product_listing(filters=ListingFilters(), page_size=48, page=1).cards) == 48

    # Products, occasions and their links, variants, colourways and images; and the taxonomy's brands,
    # categories and types (cached on their own, under the same version).
    assert len(small.captured_queries) == len(large.captured_queries) == 9
    # The same listing again: everything a card shows comes from the cache.
    assert len(again.captured_queries) == 0


def test_a_sale_that_sells_a_size_out_shows_in_the_next_listing(db):
    product = product_create(name="Linen Shirt", slug="linen-shirt")
    variant = Variant.objects.create(product=product, colourway=Colourway.objects.create(
        product=product, name="White", slug="white", hex="#FFFFFF"), size="M", stock=1, sku="LIN-WHT-M")
    in_stock = ListingFilters(in_stock=True)
    assert [card.name for card in product_listing(filters=in_stock).cards] == ["Linen Shirt"]

    stock_adjust(variant_id=variant.pk, delta=-1, reason="sale")

    assert product_listing(filters=in_stock).cards == []


def test_concurrent_first_requests_for_a_listing_build_its_cards_once(db):
    from truestyle.catalog import selectors
    from truestyle.testing.concurrency import race

    for index in range(3):
        variant_create(product=product_create(name=f"Tee {index}", slug=f"tee-{index}"), stock=1, sku=f"T{index}")
    catalog_cache_bump()
    builds = []
    build = selectors._listing_base_build

    def counted_build(filters):
        builds.append(filters)
        return build(filters)

    selectors._listing_base_build = counted_build
    try:
        results = race(6, lambda _: len(product_listing(filters=ListingFilters()).cards))
    finally:
        selectors._listing_base_build = build

    assert results == [3] * 6
    assert len(builds) == 1
