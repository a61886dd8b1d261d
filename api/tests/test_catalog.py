from django.db import connections
from django.test.utils import CaptureQueriesContext

from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.tests.factories import occasion_create, product_create, variant_create


def _seed():
    shirt = product_create(name="Oxford Shirt", brand="Loom", price="1499.00", mrp="1999.00")
    shirt.occasions.set([occasion_create("Office")])
    variant_create(product=shirt, colour="Indigo", size="M", stock=3)
    variant_create(product=shirt, colour="Indigo", size="L", stock=0)
    return shirt


def test_listing_with_filters_and_facets(api, db):
    _seed()

    body = api.get("/api/v1/catalog/products", {"size": "M", "in_stock": "true", "brand": "loom"}).json()

    assert body["count"] == 1
    card = body["results"][0]
    assert (card["name"], card["colour"], card["price"], card["mrp"], card["discount_percent"], card["currency"]) == (
        "Oxford Shirt", "Indigo", "1499.00", "1999.00", 25, "INR")
    assert card["sizes_in_stock"] == ["M"]
    assert body["facets"]["occasions"] == [{"value": "office", "label": "Office", "count": 1, "selected": False}]


def test_bad_filter_values_are_refused(api, db):
    for params, field in [({"sort": "cheapest"}, "sort"), ({"brand": '{"$ne": 1}'}, "brand"),
                          ({"page_size": "500"}, "page_size"), ({"price": "1-2"}, "price"), ({"q": "$where"}, "q")]:
        response = api.get("/api/v1/catalog/products", params)
        assert response.status_code == 400, params
        assert list(response.json()["error"]["fields"]) == [field]


def test_product_detail_shows_availability_per_size(api, db):
    shirt = _seed()

    body = api.get(f"/api/v1/catalog/products/{shirt.slug}").json()

    assert [(s["size"], s["in_stock"]) for s in body["colourways"][0]["sizes"]] == [("M", True), ("L", False)]
    assert body["size_chart"]["measurements"][0]["name"] == "Chest"
    assert api.get("/api/v1/catalog/products/no-such-thing").status_code == 404


def test_the_api_list_query_count_does_not_grow_with_the_page_size(api, db):
    for index in range(6):
        product = product_create(name=f"Tee {index}", slug=f"tee-{index}")
        variant_create(product=product, colour="Black", size="M", stock=1, sku=f"TEE{index}-BLK-M")

    with CaptureQueriesContext(connections["mongodb"]) as small:
        api.get("/api/v1/catalog/products", {"page_size": 2})
    catalog_cache_bump()  # the candidate cards are cached across requests: read them again
    with CaptureQueriesContext(connections["mongodb"]) as large:
        api.get("/api/v1/catalog/products", {"page_size": 6})
    with CaptureQueriesContext(connections["mongodb"]) as warm:
        api.get("/api/v1/catalog/products", {"page_size": 4})

    # products, occasions and their links, variants, colourways, images; the taxonomy's brands, categories, types
    assert len(small.captured_queries) == len(large.captured_queries) == 9
    assert len(warm.captured_queries) == 0  # every card from the cache


def test_categories_brands_occasions(api, db):
    _seed()

    assert api.get("/api/v1/catalog/brands").json() == [{"name": "Loom", "slug": "loom"}]
    assert api.get("/api/v1/catalog/occasions").json() == [{"name": "Office", "slug": "office"}]
    assert [node["path"] for node in api.get("/api/v1/catalog/categories").json()] == ["shirts"]
