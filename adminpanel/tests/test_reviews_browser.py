"""Staff review moderation in a real browser: approve one review and reject another with a reason;
each row is swapped in place by htmx, and the product page then shows only the approved review."""

import pytest

from truestyle.accounts.tests.factories import PASSWORD
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.reviews.models import Review
from truestyle.reviews.tests.factories import moderator_create, photo, review_create
from truestyle.testing.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def test_a_support_agent_approves_and_rejects_reviews(db, live_server, page):
    product = product_create(name="Linen Shirt", slug="linen-shirt")
    variant_create(product=product, size="M", stock=2)
    review_create(product, email="meera@example.com", name="Meera Iyer", title="Perfect fit", rating=5,
                  photos=[photo(size=(120, 120))])
    review_create(product, email="spam@example.com", name="Spam Bot", title="Cheap shirts elsewhere", rating=1,
                  fit="runs_large")
    moderator_create(email="support@example.com")

    page.goto(live_server.url + "/staff/reviews/")
    page.fill("#id_email", "support@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/reviews/")
    assert page.locator(".queue-item h2").all_inner_texts() == ["Perfect fit", "Cheap shirts elsewhere"]
    page.evaluate("window.notReloaded = true")

    good = page.locator(".queue-item", has_text="Perfect fit")
    good.locator("button", has_text="Approve").click()
    page.wait_for_selector(".queue-item:has-text('Perfect fit') .status-approved")
    spam = page.locator(".queue-item", has_text="Cheap shirts elsewhere")
    spam.locator("input[type=text]").fill("Advertises another shop")
    spam.locator("button", has_text="Reject").click()
    page.wait_for_selector(".queue-item:has-text('Cheap shirts') .status-rejected")
    assert "Rejected because: Advertises another shop" in spam.inner_text()
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=str(ARTIFACTS / "reviews-moderation.png"), full_page=True)
    assert dict(Review.objects.values_list("title", "status")) == {
        "Perfect fit": "approved", "Cheap shirts elsewhere": "rejected"}

    page.goto(live_server.url + "/p/linen-shirt/")
    page.wait_for_selector("#reviews .review")
    assert page.locator(".review-title").all_inner_texts() == ["Perfect fit"]
    assert page.locator(".average-number").inner_text().startswith("5.0")
