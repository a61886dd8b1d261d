"""Reviews in a real browser: the product page loads its reviews section, sorting and the star bars
swap the list with htmx, and a signed-in shopper marks a review helpful once."""

import re
import shutil

import pytest

from storefront.tests.catalog_data import catalogue_create
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.catalog.models import Product
from truestyle.reviews.models import Review
from truestyle.reviews.tests.factories import moderator_create, photo, review_create
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser

REVIEWS = [  # name, title, rating, fit, size, text, photos
    ("Meera Iyer", "Crisp and comfortable", 5, "true_to_size", "M",
     "Wore it to a client meeting and it held its shape all day. The cotton breathes well.", 1),
    ("Ravi Kumar", "Sleeves a touch short", 3, "runs_small", "L",
     "Nice fabric, but I have long arms and the sleeves stop short; size up if you are between sizes.", 0),
    ("Anu Joseph", "My new office favourite", 5, "true_to_size", "M",
     "True to the size chart. Washed it three times and the colour has not faded.", 2),
    ("Kabir Shah", "Good, not great", 4, "true_to_size", "S",
     "Fits well across the shoulders; the collar is a little stiff.", 0),
]


def _titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".review-title").all_inner_texts()]


def test_reviews_section_sort_filter_and_helpful(db, live_server, page):
    catalogue_create()
    oxford = Product.objects.get(slug="oxford-shirt")
    moderator = moderator_create()
    for index, (name, title, rating, fit, size, text, photos) in enumerate(REVIEWS):
        review_create(oxford, email=f"r{index}@example.com", name=name, title=title, rating=rating, fit=fit,
                      size=size, text=text, photos=[photo(f"p{i}.jpg", size=(120, 120), colour=(40 + 60 * i, 70, 120))
                                                    for i in range(photos)] or None, approve_by=moderator)
    user_create(email="reader@example.com")

    page.goto(live_server.url + "/account/sign-in/")
    page.fill("#id_email", "reader@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/account/sign-in/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/account/"))

    page.goto(live_server.url + "/p/oxford-shirt/")
    page.wait_for_selector("#reviews .review")
    assert page.locator(".average-number").inner_text().startswith("4.3")
    assert page.locator(".fit-verdict").inner_text() == "Most say true to size"
    assert _titles(page) == ["Good, not great", "My new office favourite", "Sleeves a touch short",
                             "Crisp and comfortable"]
    page.evaluate("window.notReloaded = true")

    page.select_option("select[name=sort]", "lowest")
    page.wait_for_function("document.querySelector('.review-title').textContent.includes('Sleeves')")
    assert _titles(page)[:2] == ["Sleeves a touch short", "Good, not great"]

    page.click(".star-bar-link >> text=5 ★")
    page.wait_for_function("document.querySelectorAll('.review').length === 2")
    assert sorted(_titles(page)) == ["Crisp and comfortable", "My new office favourite"]
    assert page.locator("select[name=stars]").input_value() == "5"

    helpful = page.locator(".review", has_text="Crisp and comfortable").locator(".helpful-button")
    helpful.click()
    page.wait_for_selector(".helpful-done")
    assert "1 person does" in page.locator(".helpful-done").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert Review.objects.get(title="Crisp and comfortable").helpful_count == 1

    page.select_option("select[name=stars]", "")
    page.wait_for_function("document.querySelectorAll('.review').length === 4")
    page.locator("#reviews").screenshot(path=str(ARTIFACTS / "reviews-section.png"))
    shutil.copy(ARTIFACTS / "reviews-section.png", "/tmp/reviews.png")
    page.screenshot(path=str(ARTIFACTS / "reviews-product-page.png"), full_page=True)
