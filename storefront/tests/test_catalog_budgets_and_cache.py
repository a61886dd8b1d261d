"""Query budgets of the listing and product pages, and the anonymous listing cache."""

from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from storefront.tests.catalog_data import catalogue_create
from truestyle.catalog.models import Colourway, Product, ProductImage, Variant
from truestyle.catalog.selectors import catalogue_taxonomy
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.services import product_save, stock_adjust
from truestyle.catalog.tests.factories import product_create, product_type_create

LISTING_QUERIES = 9
PRODUCT_PAGE_QUERIES = 4
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]


def _many_products(count: int) -> None:
    """`count` products in one colour, with one size in stock, written in bulk (the embedded server writes slowly)."""
    template = product_create(name="Tee 0", slug="tee-0")
    Product.objects.bulk_create([
        Product(name=f"Tee {i}", slug=f"tee-{i}", brand=template.brand, category=template.category,
                product_type=template.product_type, price=Decimal("499.00"), mrp=Decimal("999.00"))
        for i in range(1, count)])
    products = list(Product.objects.all())
    colourways = Colourway.objects.bulk_create([Colourway(product=p, name="Black", slug="black", hex="#111111")
                                                for p in products])
    Variant.objects.bulk_create([Variant(product=c.product, colourway=c, size="M", sku=f"TEE-{i}", stock=1)
                                 for i, c in enumerate(colourways)])
    ProductImage.objects.bulk_create([ProductImage(product=c.product, colourway=c, image=f"{i:024x}.jpg",
                                                   alt_text="A tee") for i, c in enumerate(colourways)])


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connections["mongodb"]) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_listing_page_runs_a_fixed_number_of_queries_whatever_the_page_size(db, client):
    _many_products(48)

    small = _queries(client, "/shop/?page_size=12")
    catalog_cache_bump()  # the candidate cards are cached across requests: read them again
    large = _queries(client, "/shop/?page_size=48")
    warm = _queries(client, "/shop/?page_size=24")

    # product_listing's 6 (candidate products, occasions, product-occasion links, variants, colourways,
    # images) + the taxonomy's 3 (brands, categories with the category tree, types).
    assert small == large == LISTING_QUERIES
    # A signed-out shopper's other page size: everything from the cache.
    assert warm == 0


def test_the_product_page_runs_a_fixed_number_of_queries_whatever_the_number_of_variants(db, client):
    shirt_type = product_type_create(sizes=SIZES)
    pages = {}
    for colours in (2, 8):  # 12 and 48 variants, one image per colour
        product = product_create(name=f"Shirt {colours}", product_type=shirt_type)
        colourways = Colourway.objects.bulk_create([
            Colourway(product=product, name=f"C{i}", slug=f"c{i}", hex="#123456", position=i) for i in range(colours)])
        Variant.objects.bulk_create([Variant(product=product, colourway=c, size=s, sku=f"S{colours}-{c.slug}-{s}",
                                             stock=i % 2) for c in colourways for i, s in enumerate(SIZES)])
        ProductImage.objects.bulk_create([ProductImage(product=product, colourway=c, image=f"{i:024x}.jpg",
                                                       alt_text="A shirt") for i, c in enumerate(colourways)])
        pages[colours * len(SIZES)] = f"/p/{product.slug}/?colour=c1"

    catalogue_taxonomy()  # brands, categories and types: cached for every page
    # product, colourways, variants, images
    assert _queries(client, pages[12]) == _queries(client, pages[48]) == PRODUCT_PAGE_QUERIES
    # Viewed again (another colour too): from the cache.
    assert _queries(client, pages[48]) == _queries(client, pages[48].replace("c1", "c2")) == 0


@pytest.fixture
def catalogue(db):
    return catalogue_create()


def test_anonymous_listings_are_served_from_the_cache(catalogue, client):
    first = client.get("/shop/c/men/?size=M")
    with CaptureQueriesContext(connections["mongodb"]) as captured:
        second = client.get("/shop/c/men/?size=M")

    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert captured.captured_queries == []
    assert second.content == first.content.replace(_csrf(first), _csrf(second))
    assert b"Oxford Shirt" in second.content


def test_full_pages_and_fragments_are_cached_apart_and_vary_on_hx_request(catalogue, client):
    page = client.get("/shop/")
    fragment = client.get("/shop/", HTTP_HX_REQUEST="true")
    fragment_again = client.get("/shop/", HTTP_HX_REQUEST="true")
    page_again = client.get("/shop/")

    assert [r["X-Cache"] for r in (page, fragment, fragment_again, page_again)] == ["miss", "miss", "hit", "hit"]
    assert fragment_again.content == fragment.content and b"<html" not in fragment_again.content
    assert page_again.content.startswith(b"<!doctype html>")
    for response in (page, fragment, fragment_again, page_again):
        assert "HX-Request" in response["Vary"]


def test_a_price_change_shows_on_the_next_request(catalogue, client):
    oxford = catalogue["oxford"]
    assert "₹1,499" in client.get("/shop/c/men/shirts/").content.decode()

    product_save(actor=None, product=oxford, values={
        "name": oxford.name, "slug": oxford.slug, "mrp": "1999.00", "price": "1299.00", "brand": oxford.brand,
        "category": oxford.category, "product_type": oxford.product_type})
    response = client.get("/shop/c/men/shirts/")

    assert response["X-Cache"] == "miss"
    assert "₹1,299" in response.content.decode() and "₹1,499" not in response.content.decode()


def test_a_product_page_shows_a_price_change_and_a_size_selling_out_or_running_low_at_once(catalogue, client):
    oxford, indigo_l = catalogue["oxford"], catalogue["indigo_l"]
    stock_adjust(variant_id=indigo_l.pk, delta=5, reason="restock")
    indigo_l.refresh_from_db()
    url = f"/p/{oxford.slug}/?colour={indigo_l.colourway.slug}"
    before = client.get(url).content.decode()
    assert _queries(client, url) == 0  # served from the cache

    product_save(actor=None, product=oxford, values={
        "name": oxford.name, "slug": oxford.slug, "mrp": "1999.00", "price": "1299.00", "brand": oxford.brand,
        "category": oxford.category, "product_type": oxford.product_type})
    repriced = client.get(url).content.decode()
    stock_adjust(variant_id=indigo_l.pk, delta=-(indigo_l.stock - 2), reason="sale")
    low = _size_button(client.get(url).content.decode(), "L")
    stock_adjust(variant_id=indigo_l.pk, delta=-2, reason="sale")
    sold_out = _size_button(client.get(url).content.decode(), "L")

    assert "₹1,499" in before and "₹1,299" in repriced and "₹1,499" not in repriced
    assert "disabled" not in _size_button(before, "L") and "few left" in low.lower()
    assert "disabled" in sold_out


def _size_button(page: str, size: str) -> str:
    """The size picker's choice for `size` (its label and state)."""
    import re

    match = re.search(rf'<label class="size-option[^"]*" data-size="{size}".*?</label>', page, re.S)
    assert match, f"no size {size} on the page"
    return match.group(0)


def test_a_stock_change_shows_on_the_next_request(catalogue, client):
    assert "Oxford Shirt" not in client.get("/shop/?size=L&in_stock=1").content.decode()

    stock_adjust(variant_id=catalogue["indigo_l"].pk, delta=3, reason="restock")

    assert "Oxford Shirt" in client.get("/shop/?size=L&in_stock=1").content.decode()


def test_a_new_image_shows_on_the_next_request(catalogue, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from truestyle.catalog.services.images import product_image_add

    linen = catalogue["linen"]
    assert "/files/" not in _card_of(client.get("/shop/occasion/party/"), "Linen Kurta")

    with open(_image_file(), "rb") as data:
        image = product_image_add(actor=None, product=linen, alt_text="Linen kurta in sage",
                                  upload=SimpleUploadedFile("kurta.jpg", data.read(), content_type="image/jpeg"))

    card = _card_of(client.get("/shop/occasion/party/"), "Linen Kurta")
    image.refresh_from_db()
    assert f'/files/{image.thumbnail or image.image}' in card


def test_signed_in_shoppers_are_not_served_from_the_cache(catalogue, client):
    from truestyle.accounts.tests.factories import user_create

    client.get("/shop/")
    client.force_login(user_create())

    assert "X-Cache" not in client.get("/shop/")


def _csrf(response) -> bytes:
    import re

    return re.search(rb'"X-CSRFToken": "([A-Za-z0-9]+)"', response.content).group(1)


def _card_of(response, name: str) -> str:
    html = response.content.decode()
    start = html.index(f'class="product-card-name">{name}')
    return html[html.rindex("<article", 0, start):html.index("</article>", start)]


def _image_file():
    import tempfile

    from PIL import Image

    path = tempfile.NamedTemporaryFile(suffix=".jpg", delete=False).name
    Image.new("RGB", (300, 400), "#9CAF88").save(path, "JPEG")
    return path
