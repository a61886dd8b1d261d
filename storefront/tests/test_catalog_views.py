"""Storefront catalogue pages: full page or htmx fragment, filters, errors, the waitlist form."""

import re

import pytest

from storefront.tests.catalog_data import catalogue_create
from truestyle.catalog.models import BackInStockRequest

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def catalogue(db):
    return catalogue_create()


def _cards(response) -> list[str]:
    """(name · colour) of each product card, in order."""
    html = response.content.decode()
    return [f"{name} · {colour}" for name, colour in
            re.findall(r'class="product-card-name">([^<]+?) <span class="product-card-colour">· ([^<]+)</span>', html)]


def test_the_listing_renders_the_full_page_without_htmx(catalogue, client):
    response = client.get("/shop/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert '<div id="listing-results"' in html
    assert 'hx-get="/shop/"' in html and 'hx-push-url="true"' in html
    assert _cards(response) == ["Linen Kurta · Sage", "Graphic Tee · Black", "Oxford Shirt · Indigo",
                                "Oxford Shirt · White"]
    assert "4 styles" in html


def test_htmx_gets_only_the_results_and_facets_fragment(catalogue, client):
    response = client.get("/shop/", {"size": "S"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="listing-results"')
    assert "<html" not in html and "<header" not in html
    assert _cards(response) == ["Oxford Shirt · White"]
    assert 'id="f-size-s"' in html and "checked" in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_full_page(catalogue, client):
    response = client.get("/shop/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert response.content.decode().startswith("<!doctype html>")


@pytest.mark.parametrize(("url", "expected"), [
    ("/shop/?size=M", ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/?size=M&in_stock=1", ["Oxford Shirt · Indigo"]),
    ("/shop/?colour=white&colour=sage", ["Linen Kurta · Sage", "Oxford Shirt · White"]),
    ("/shop/?colour=white,sage", ["Linen Kurta · Sage", "Oxford Shirt · White"]),
    ("/shop/?price=2000-3999", ["Linen Kurta · Sage"]),
    ("/shop/?brand=weave", ["Linen Kurta · Sage"]),
    ("/shop/?sort=price_asc", ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White",
                               "Linen Kurta · Sage"]),
    ("/shop/?q=KURTA", ["Linen Kurta · Sage"]),
    ("/shop/?q=loom", ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/c/men/", ["Linen Kurta · Sage", "Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/c/men/shirts/", ["Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/c/men/shirts/?colour=white", ["Oxford Shirt · White"]),
    ("/shop/brand/loom/", ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/brand/loom/?brand=weave", ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White"]),
    ("/shop/occasion/party/", ["Linen Kurta · Sage"]),
    ("/shop/?page_size=2&page=2", ["Oxford Shirt · Indigo", "Oxford Shirt · White"]),
])
def test_filters_from_the_url(catalogue, client, url, expected):
    response = client.get(url)

    assert response.status_code == 200
    assert _cards(response) == expected


def test_facets_show_counts_and_the_chosen_values(catalogue, client):
    html = client.get("/shop/", {"brand": "loom"}).content.decode()

    facet = re.compile(r'name="(\w+)" value="([^"]+)" ?(checked)?>.*?class="facet-count">(\d+)<', re.S)
    found = {(name, value, count, bool(checked)) for name, value, checked, count in facet.findall(html)}
    assert found == {
        ("in_stock", "1", "2", False),
        ("brand", "loom", "3", True), ("brand", "weave", "1", False),
        ("size", "S", "1", False), ("size", "M", "3", False), ("size", "L", "1", False),
        ("colour", "black", "1", False), ("colour", "indigo", "1", False), ("colour", "white", "1", False),
        ("price", "0-999", "1", False), ("price", "1000-1999", "2", False),
        ("occasion", "office", "2", False),
    }
    assert 'href="/shop/" hx-get="/shop/"' in html  # the "Brand: Loom" chip removes the filter


def test_the_category_page_has_breadcrumbs_and_the_brand_page_hides_the_brand_facet(catalogue, client):
    category = client.get("/shop/c/men/shirts/").content.decode()
    brand = client.get("/shop/brand/loom/").content.decode()

    assert '<a href="/shop/c/men/">Men</a>' in category
    assert '<span aria-current="page">Shirts</span>' in category
    assert "<h1>Shirts</h1>" in category
    assert 'name="brand"' not in brand
    assert "<h1>Loom</h1>" in brand


def test_signed_in_shoppers_get_the_in_my_size_facet(catalogue, client):
    from truestyle.accounts.tests.factories import user_create
    from truestyle.catalog.models import SizeProfile

    user = user_create()
    SizeProfile.objects.create(user=user, sizes={"shirt": "S"})
    anonymous = client.get("/shop/", {"my_size": "1"})
    client.force_login(user)

    response = client.get("/shop/", {"my_size": "1"})

    assert 'name="my_size"' not in anonymous.content.decode()
    assert len(_cards(anonymous)) == 4  # ignored for anonymous shoppers
    assert 'name="my_size" value="1" checked' in response.content.decode()
    assert _cards(response) == ["Oxford Shirt · White"]


@pytest.mark.parametrize("url", ["/p/no-such-thing/", "/shop/c/nowhere/", "/shop/c/men/nowhere/",
                                 "/shop/brand/nobody/", "/shop/occasion/never/"])
def test_unknown_pages_are_404(catalogue, client, url):
    assert client.get(url).status_code == 404


def test_an_inactive_product_is_404(catalogue, client):
    catalogue["tee"].is_active = False
    catalogue["tee"].save()

    assert client.get("/p/graphic-tee/").status_code == 404


@pytest.mark.parametrize(("query", "message"), [
    ("sort=cheapest", "Unknown sort order."),
    ("price=1-2", "Unknown price range."),
    ("size=%24where", "A filter value is not valid."),
    ("page=two", "Pages are whole numbers."),
    ("page_size=500", "Page out of range."),
    ("q=%7B%24gt%7D", "Search for words only."),
])
def test_bad_filter_values_are_a_400_page_with_the_message(catalogue, client, query, message):
    response = client.get(f"/shop/c/men/?{query}")

    assert response.status_code == 400
    assert f"<h1>{message}</h1>" in response.content.decode()
    assert 'href="/shop/c/men/"' in response.content.decode()


def test_the_product_page_shows_the_chosen_colour(catalogue, client):
    response = client.get("/p/oxford-shirt/", {"colour": "white"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert '<div id="product-main" class="product-main" data-colour="white">' in html
    assert f'src="/files/{catalogue["images"]["white"]}"' in html
    assert catalogue["images"]["indigo"] not in html
    assert re.findall(r'data-size="(\w+)" data-available="(\w+)"', html) == [("S", "yes"), ("M", "no")]
    assert '<span class="price-now">₹1,499</span>' in html and '<del class="price-mrp"' in html
    assert '<span class="price-off">25% off</span>' in html
    assert 'href="/p/oxford-shirt/?colour=indigo" hx-get="/p/oxford-shirt/?colour=indigo"' in html
    assert '<section id="reviews-summary"' in html and "No reviews yet" in html
    assert '<form id="add-to-bag" class="bag-row" method="post" action="/cart/add/"' in html
    assert re.search(r"<caption>Shirt measurements in cm</caption>", html)
    assert "<th scope=\"row\">Chest (cm)</th><td>86</td><td>91</td><td>96</td><td>101</td><td>106</td>" in html
    assert "Measure across the chest." in html
    assert re.findall(r'<option value="(\w+)" >(\w+)</option>', html) == [(str(catalogue["white_m"].pk), "M")]


def test_the_first_colour_is_chosen_by_default_and_an_unknown_colour_falls_back(catalogue, client):
    default = client.get("/p/oxford-shirt/").content.decode()
    unknown = client.get("/p/oxford-shirt/?colour=purple").content.decode()

    assert 'data-colour="indigo"' in default and 'data-colour="indigo"' in unknown


def test_switching_colour_with_htmx_returns_the_gallery_and_size_picker_only(catalogue, client):
    response = client.get("/p/oxford-shirt/", {"colour": "indigo"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="product-main"')
    assert "<html" not in html and "reviews-summary" not in html
    assert f'src="/files/{catalogue["images"]["indigo"]}"' in html
    assert re.findall(r'data-size="(\w+)" data-available="(\w+)"', html) == [("M", "yes"), ("L", "no")]
    assert "HX-Request" in response["Vary"]


def test_an_anonymous_shopper_joins_the_waitlist_for_a_sold_out_size(catalogue, client):
    variant = catalogue["white_m"]

    response = client.post("/p/oxford-shirt/notify/", {"variant": str(variant.pk), "email": " Asha@Example.com ",
                                                         "colour": "white"}, follow=True)

    assert response.redirect_chain == [("/p/oxford-shirt/?colour=white", 302)]
    assert "Done: we will email asha@example.com when M in White is back." in response.content.decode()
    assert list(BackInStockRequest.objects.values_list("variant_id", "email", "user_id")) == [
        (variant.pk, "asha@example.com", "")]


def test_the_waitlist_form_over_htmx_swaps_in_the_confirmation(catalogue, client):
    response = client.post("/p/oxford-shirt/notify/", {"variant": str(catalogue["indigo_l"].pk),
                                                         "email": "ravi@example.com"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="waitlist"')
    assert "we will email ravi@example.com when L in Indigo is back" in html
    assert BackInStockRequest.objects.filter(variant=catalogue["indigo_l"], email="ravi@example.com").count() == 1


def test_a_signed_in_shopper_joins_with_their_account_email(catalogue, client):
    from truestyle.accounts.tests.factories import user_create

    user = user_create(email="meera@example.com")
    client.force_login(user)

    client.post("/p/oxford-shirt/notify/", {"variant": str(catalogue["white_m"].pk), "email": ""})

    assert list(BackInStockRequest.objects.values_list("email", "user_id")) == [("meera@example.com", str(user.pk))]


@pytest.mark.parametrize(("variant_key", "email", "message"), [
    ("white_s", "asha@example.com", "This size is in stock: add it to your bag."),
    ("white_m", "not-an-email", "Enter a valid email address."),
    ("other", "asha@example.com", "Choose a size of this product."),
    ("nonsense", "asha@example.com", "Choose a size of this product."),
])
def test_the_waitlist_refuses_with_a_message_and_writes_nothing(catalogue, client, variant_key, email, message):
    variant_id = {"other": lambda: str(catalogue["linen"].variants.get().pk), "nonsense": lambda: "$where"}.get(
        variant_key, lambda: str(catalogue[variant_key].pk))()

    page = client.post("/p/oxford-shirt/notify/", {"variant": variant_id, "email": email, "colour": "white"})
    fragment = client.post("/p/oxford-shirt/notify/", {"variant": variant_id, "email": email}, **HTMX)

    assert page.status_code == 400
    assert f'<p class="form-error" role="alert">{message}</p>' in page.content.decode()
    assert fragment.status_code == 200
    assert f'<p class="form-error" role="alert">{message}</p>' in fragment.content.decode()
    assert BackInStockRequest.objects.count() == 0


def test_the_home_page_shows_featured_products_and_new_arrivals(catalogue, client):
    html = client.get("/").content.decode()

    featured, new = html.split('id="new-title"')
    assert re.findall(r'class="product-card-name">([^<]+?) <', featured) == ["Oxford Shirt"]
    assert re.findall(r'class="product-card-name">([^<]+?) <', new) == ["Linen Kurta", "Graphic Tee", "Oxford Shirt"]
    assert "<h1 id=\"hero-title\">Clothes that fit, for every occasion</h1>" in html
