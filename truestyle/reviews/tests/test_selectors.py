"""A product's approved reviews: exact order for each sort, exact results for each filter, paging."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.tests.factories import product_create
from truestyle.reviews import selectors, services
from truestyle.reviews.models import Review
from truestyle.reviews.selectors import ReviewFilters
from truestyle.reviews.tests.factories import moderator_create, photo, review_create


@pytest.fixture
def reviews(db):
    """Five approved reviews (A oldest … E newest), one pending, one rejected, and one of another product."""
    product = product_create(name="Linen Shirt")
    moderator = moderator_create()
    rows = [("A", 5, "true_to_size", 1, False), ("B", 2, "runs_small", 3, True), ("C", 4, "true_to_size", 0, False),
            ("D", 1, "runs_large", 2, True), ("E", 4, "runs_small", 0, False)]
    now = timezone.now()
    readers = [user_create(email=f"reader{i}@example.com") for i in range(3)]
    for index, (title, rating, fit, helpful, with_photo) in enumerate(rows):
        review = review_create(product, email=f"{title.lower()}@example.com", title=title, rating=rating, fit=fit,
                               photos=[photo()] if with_photo else None, approve_by=moderator)
        Review.objects.filter(pk=review.pk).update(created_at=now - timedelta(days=10 - index))
        for reader in readers[:helpful]:
            services.review_mark_helpful(user=reader, review_id=review.pk)
    review_create(product, email="p@example.com", title="Pending", rating=5)
    rejected = review_create(product, email="r@example.com", title="Rejected", rating=5)
    services.review_moderate(actor=moderator, review_id=rejected.pk, decision="reject", reason="Spam")
    other = product_create(name="Chino", slug="chino")
    review_create(other, email="o@example.com", title="Other", rating=5, approve_by=moderator)
    return product


def _titles(product, **filters) -> list[str]:
    return [r.title for r in selectors.approved_reviews(product=product, filters=ReviewFilters(**filters)).reviews]


def test_each_sort_gives_the_exact_order_of_approved_reviews_only(reviews):
    assert _titles(reviews) == ["E", "D", "C", "B", "A"]
    assert _titles(reviews, sort="helpful") == ["B", "D", "A", "E", "C"]
    assert _titles(reviews, sort="highest") == ["A", "E", "C", "B", "D"]
    assert _titles(reviews, sort="lowest") == ["D", "B", "E", "C", "A"]


def test_each_filter_gives_the_exact_reviews(reviews):
    assert _titles(reviews, stars=4) == ["E", "C"]
    assert _titles(reviews, stars=3) == []
    assert _titles(reviews, fit="runs_small") == ["E", "B"]
    assert _titles(reviews, with_photos=True) == ["D", "B"]
    assert _titles(reviews, fit="runs_small", with_photos=True, sort="lowest") == ["B"]


def test_paging_and_filters_from_a_query_string(reviews):
    page = selectors.approved_reviews(product=reviews, filters=ReviewFilters(sort="highest"), page=2, per_page=2)
    assert ([r.title for r in page.reviews], page.total, page.page, page.pages) == (["C", "B"], 5, 2, 3)

    parsed = ReviewFilters.from_query(QueryDict("sort=lowest&stars=4&fit=runs_small&photos=1"))
    assert parsed == ReviewFilters(sort="lowest", stars=4, fit="runs_small", with_photos=True)
    # Values that mean nothing fall back to "no filter".
    assert ReviewFilters.from_query(QueryDict("sort=$where&stars=9&fit=huge")) == ReviewFilters()


def test_the_moderation_queue_lists_pending_reviews_oldest_first(reviews):
    moderator = moderator_create(email="second@example.com")
    later = review_create(reviews, email="q@example.com", title="Later", rating=3)

    assert [r.title for r in selectors.moderation_queue()] == ["Pending", "Later"]
    services.review_moderate(actor=moderator, review_id=later.pk, decision="approve")
    assert [r.title for r in selectors.moderation_queue()] == ["Pending"]
    assert [r.title for r in selectors.moderation_queue(status="rejected")] == ["Rejected"]
