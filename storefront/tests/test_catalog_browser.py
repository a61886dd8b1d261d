"""The catalogue in a real browser: facets swap the results with htmx and push a shareable URL; the
product page's colour swatches swap the gallery and the size picker."""

import re

import pytest

from storefront.tests.catalog_data import catalogue_create
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def _cards(page) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in page.locator(".product-card-name").all_inner_texts()]


def _sizes(page) -> list[tuple[str, str]]:
    return [(label.get_attribute("data-size"), label.get_attribute("data-available"))
            for label in page.locator(".size-option").all()]


def _gallery_image_loaded(page) -> bool:
    return page.locator(".gallery img").first.evaluate("img => img.complete && img.naturalWidth > 0")


def test_filter_by_size_and_colour_then_switch_the_products_colour(db, live_server, page):
    catalogue = catalogue_create()
    page.goto(live_server.url + "/shop/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.notReloaded = true")
    assert len(_cards(page)) == 4

    page.click("label[for=f-size-m]")
    page.wait_for_url(re.compile(r"/shop/\?.*size=M"))
    page.wait_for_function("document.querySelectorAll('.product-card').length === 3")
    assert _cards(page) == ["Graphic Tee · Black", "Oxford Shirt · Indigo", "Oxford Shirt · White"]

    page.click("label[for=f-colour-indigo]")
    page.wait_for_url(re.compile(r"/shop/\?(?=.*size=M)(?=.*colour=indigo)"))
    page.wait_for_function("document.querySelectorAll('.product-card').length === 1")
    assert _cards(page) == ["Oxford Shirt · Indigo"]
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx, not a page load
    assert page.locator("#f-size-m").is_checked() and page.locator("#f-colour-indigo").is_checked()
    page.screenshot(path=str(ARTIFACTS / "catalog-listing-filtered.png"), full_page=True)

    shared = page.url  # the pushed URL works on its own, without htmx
    page.goto(shared)
    assert _cards(page) == ["Oxford Shirt · Indigo"]

    page.click(".product-card-link")
    page.wait_for_url(live_server.url + "/p/oxford-shirt/?colour=indigo")
    assert page.locator(".gallery img").first.get_attribute("src") == f"/files/{catalogue['images']['indigo']}"
    assert _gallery_image_loaded(page)
    assert _sizes(page) == [("M", "yes"), ("L", "no")]
    page.evaluate("window.notReloaded = true")

    page.click(".swatch[title=White]")
    page.wait_for_url(live_server.url + "/p/oxford-shirt/?colour=white")
    page.wait_for_function("document.querySelector('#product-main').dataset.colour === 'white'")
    assert page.locator(".gallery img").first.get_attribute("src") == f"/files/{catalogue['images']['white']}"
    page.wait_for_function("[...document.querySelectorAll('.gallery img')].every(i => i.complete)")
    assert _gallery_image_loaded(page)
    assert _sizes(page) == [("S", "yes"), ("M", "no")]
    assert page.locator(".option-value").inner_text() == "White"
    assert page.evaluate("window.notReloaded") is True


def test_notify_me_when_back_for_a_sold_out_size(db, live_server, page):
    catalogue_create()
    page.goto(live_server.url + "/p/oxford-shirt/?colour=white")
    page.wait_for_function("window.htmx !== undefined")

    page.select_option("#waitlist-size", label="M")
    page.fill("#waitlist-email", "asha@example.com")
    page.click("#waitlist button[type=submit]")

    page.wait_for_selector("#waitlist .message")
    assert page.locator("#waitlist .message").inner_text() == (
        "Done: we will email asha@example.com when M in White is back.")


def test_the_demo_catalogue_pages(db, live_server, page):
    """Renders the demo data (screenshots in test-artifacts/ for a look at the design)."""
    from truestyle.catalog.demo import demo_catalogue_load

    demo_catalogue_load(products=12)

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".home-shelf .product-card").count() > 0
    page.screenshot(path=str(ARTIFACTS / "catalog-home.png"), full_page=True)

    page.goto(live_server.url + "/shop/c/men/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".product-card").count() > 0
    page.screenshot(path=str(ARTIFACTS / "catalog-listing.png"), full_page=True)

    page.click(".product-card-link")
    page.wait_for_load_state("networkidle")
    assert _gallery_image_loaded(page)
