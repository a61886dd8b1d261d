"""The bag in a real browser: add a size from the product page, watch the header badge update
without a reload, then change the quantity on the bag page and see the totals follow."""

import pytest

from storefront.tests.catalog_data import catalogue_create
from truestyle.shopping.models import CartLine
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def _badge(page) -> str:
    return page.locator("#cart-badge").inner_text().strip()


def test_add_to_bag_updates_the_badge_and_the_bag_page_updates_totals(db, live_server, page):
    catalogue = catalogue_create()
    page.goto(live_server.url + "/p/oxford-shirt/")
    page.wait_for_function("window.htmx !== undefined")
    page.wait_for_load_state("networkidle")
    assert _badge(page) == "Bag"
    page.evaluate("window.notReloaded = true")

    page.click(".swatch[title=White]")
    page.wait_for_function("document.querySelector('#product-main').dataset.colour === 'white'")
    page.click(".size-option[data-size=S]")
    page.click("#add-to-bag button[type=submit]")

    page.wait_for_function("document.querySelector('#cart-badge .cart-count')?.textContent === '1'")
    assert page.locator("#bag-status .message").inner_text() == (
        "Added to your bag: 1 × Oxford Shirt, White, size S. View bag")
    assert page.evaluate("window.notReloaded") is True  # htmx answered; the page never reloaded
    assert [(line.variant_id, line.quantity) for line in CartLine.objects.all()] == [(catalogue["white_s"].pk, 1)]

    page.click("#cart-badge")
    page.wait_for_url(live_server.url + "/cart/")
    assert page.locator(".cart-subtotal").inner_text() == "₹1,499"
    page.evaluate("window.notReloaded = true")

    quantity = page.locator(f"#qty-{catalogue['white_s'].pk}")
    quantity.fill("2")
    quantity.press("Tab")  # a change event: the form posts itself
    page.wait_for_function("document.querySelector('.cart-subtotal').textContent === '₹2,998'")
    page.wait_for_function("document.querySelector('#cart-badge .cart-count')?.textContent === '2'")
    assert page.locator(".cart-line-total").text_content() == "Line total: ₹2,998"
    assert page.locator(".cart-summary-count").inner_text() == "2"

    page.locator(f"#qty-{catalogue['white_s'].pk}").fill("3")  # only 2 in stock
    page.locator(f"#qty-{catalogue['white_s'].pk}").press("Tab")
    page.locator(".cart-line .form-error").wait_for()
    assert page.locator(".cart-line .form-error").inner_text() == "Only 2 left in this size."
    assert page.locator(f"#qty-{catalogue['white_s'].pk}").input_value() == "2"
    assert page.locator(".cart-subtotal").inner_text() == "₹2,998"
    assert page.evaluate("window.notReloaded") is True
    assert CartLine.objects.get().quantity == 2
    page.screenshot(path="/tmp/cart.png", full_page=True)
    page.screenshot(path=str(ARTIFACTS / "cart.png"), full_page=True)
