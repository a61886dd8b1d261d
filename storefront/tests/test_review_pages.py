"""Storefront review pages: the product page's reviews section, sort and filter through htmx, the
"helpful" button, the listing card's rating, and the "Write a review" page."""

import re
from decimal import Decimal

import pytest

from storefront.tests.conftest import signed_in_client
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.reviews.models import Review, ReviewHelpful
from truestyle.reviews.tests.factories import buyer_create, moderator_create, photo, review_create

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = "Soft fabric, good stitching, washes well."


@pytest.fixture
def shirt(db):
    product = product_create(name="Linen Shirt", slug="linen-shirt")
    variant_create(product=product, size="M", stock=2)
    moderator = moderator_create()
    review_create(product, email="meera@example.com", name="Meera Iyer", title="Perfect fit", rating=5, size="M",
                  approve_by=moderator)
    review_create(product, email="ravi@example.com", name="Ravi Kumar", title="A bit tight", rating=3,
                  fit="runs_small", size="L", photos=[photo()], approve_by=moderator)
    review_create(product, email="anu@example.com", name="Anu", title="Waiting", rating=1)  # pending: not shown
    return product


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="review-title">([^<]+)</h3>', html)


def test_the_product_page_shows_the_summary_line_and_loads_the_section(shirt, client):
    html = client.get("/p/linen-shirt/").content.decode()

    assert 'hx-get="/p/linen-shirt/reviews/" hx-trigger="load"' in html
    assert "Rated 4.0 out of 5 from 2 reviews." in html


def test_the_reviews_section_shows_summary_bars_fit_and_only_approved_reviews(shirt, client):
    response = client.get("/p/linen-shirt/reviews/", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="reviews"')
    assert '<p class="average-number">4.0<span class="average-of"> / 5</span></p>' in html
    assert "Rated 4.0 out of 5 from 2 reviews" in html
    bars = re.findall(r'star-bar-label">(\d) ★</span>.*?width: (\d+)%.*?star-bar-count">(\d+)<', html, re.S)
    assert bars == [("5", "50", "1"), ("4", "0", "0"), ("3", "50", "1"), ("2", "0", "0"), ("1", "0", "0")]
    # One says true to size, one says it runs small: no majority.
    assert '<p class="fit-verdict">Opinions on fit are mixed</p>' in html
    assert _titles(html) == ["A bit tight", "Perfect fit"]
    assert 'Size bought: <strong class="review-size">L</strong> in Indigo' in html
    assert "Ravi K." in html and "Verified purchase" in html
    assert "Waiting" not in html


def test_sorting_and_filtering_swap_only_the_list(shirt, client):
    lowest = client.get("/p/linen-shirt/reviews/", {"sort": "highest"}, HTTP_HX_TARGET="review-list", **HTMX)
    small = client.get("/p/linen-shirt/reviews/", {"fit": "runs_small"}, HTTP_HX_TARGET="review-list", **HTMX)
    photos = client.get("/p/linen-shirt/reviews/", {"photos": "1", "stars": "5"}, HTTP_HX_TARGET="review-list", **HTMX)

    assert lowest.content.decode().lstrip().startswith('<div id="review-list"')
    assert _titles(lowest.content.decode()) == ["Perfect fit", "A bit tight"]
    assert _titles(small.content.decode()) == ["A bit tight"]
    assert _titles(photos.content.decode()) == []
    assert "No reviews match these filters." in photos.content.decode()
    assert '<option value="runs_small" selected>' in small.content.decode()


def test_without_htmx_the_reviews_are_a_page_of_their_own(shirt, client):
    response = client.get("/p/linen-shirt/reviews/", {"sort": "lowest"})

    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<!doctype html>")
    assert _titles(html) == ["A bit tight", "Perfect fit"]


def test_helpful_counts_once_and_shows_as_marked(shirt):
    review = Review.objects.get(title="Perfect fit")
    reader = signed_in_client(user_create(email="reader@example.com"))

    first = reader.post(f"/reviews/{review.pk}/helpful/", **HTMX)
    second = reader.post(f"/reviews/{review.pk}/helpful/", **HTMX)
    section = reader.get("/p/linen-shirt/reviews/", **HTMX).content.decode()

    assert "You found this helpful · 1 person does" in first.content.decode()
    assert "You found this helpful · 1 person does" in second.content.decode()
    assert Review.objects.get(pk=review.pk).helpful_count == 1 == ReviewHelpful.objects.count()
    assert re.search(rf'id="helpful-{review.pk}">\s*<p class="helpful-done"', section)


def test_helpful_needs_a_signed_in_customer_who_is_not_the_author(shirt, client):
    review = Review.objects.get(title="Perfect fit")
    author = signed_in_client(review.user)

    anonymous = client.post(f"/reviews/{review.pk}/helpful/")
    own = author.post(f"/reviews/{review.pk}/helpful/", **HTMX)
    pending = author.post(f"/reviews/{Review.objects.get(title='Waiting').pk}/helpful/")

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")
    assert "You cannot mark your own review helpful." in own.content.decode()
    assert pending.status_code == 404
    assert Review.objects.get(pk=review.pk).helpful_count == 0 and ReviewHelpful.objects.count() == 0


def test_the_listing_card_shows_the_average_and_count(shirt, client):
    html = client.get("/shop/").content.decode()

    assert '<span class="card-rating-average">4.0</span> <span class="card-rating-count">(2)</span>' in html


def test_an_eligible_customer_writes_a_review_that_waits_for_moderation(shirt):
    buyer = buyer_create(shirt, email="new@example.com", name="Neha Shah", size="S")
    browser = signed_in_client(buyer)

    section = browser.get("/p/linen-shirt/reviews/", **HTMX).content.decode()
    page = browser.get("/p/linen-shirt/review/")
    response = browser.post("/p/linen-shirt/review/", {
        "rating": "4", "title": "Good linen", "text": TEXT, "fit": "runs_large", "photos": [photo(), photo("b.jpg")]})

    assert 'href="/p/linen-shirt/review/">Write a review</a>' in section
    assert page.status_code == 200 and "You bought size <strong>S</strong> in Indigo" in page.content.decode()
    assert response.status_code == 302 and response["Location"] == "/p/linen-shirt/#reviews"
    review = Review.objects.get(user=buyer)
    assert (review.status, review.rating, review.size, review.fit, review.photo_count) == (
        "pending", 4, "S", "runs_large", 2)
    after = browser.get("/p/linen-shirt/reviews/", **HTMX).content.decode()
    assert "Your review is waiting to be checked." in after and "Write a review" not in after


def test_the_write_page_shows_field_errors_and_refuses_the_ineligible(shirt):
    buyer = browser_of(buyer_create(shirt, email="new@example.com"))
    stranger = browser_of(user_create(email="stranger@example.com"))
    author = browser_of(Review.objects.get(title="Perfect fit").user)

    bad = buyer.post("/p/linen-shirt/review/", {"rating": "4", "title": "Ok", "text": "short", "fit": "true_to_size",
                                                "photos": [photo("x.gif", fmt="GIF")]})
    refused = stranger.post("/p/linen-shirt/review/", {"rating": "5", "title": "Great", "text": TEXT,
                                                       "fit": "true_to_size"})
    again = author.get("/p/linen-shirt/review/")

    assert bad.status_code == 400
    assert "Tell other shoppers a little more (at least 10 characters)." in bad.content.decode()
    assert refused.status_code == 403
    assert "You can review this piece once it has been delivered to you." in refused.content.decode()
    assert again.status_code == 409 and "You have already reviewed this piece." in again.content.decode()
    assert Review.objects.count() == 3
    assert Decimal("4.0") == shirt.review_stats.average


def browser_of(user):
    return signed_in_client(user)
