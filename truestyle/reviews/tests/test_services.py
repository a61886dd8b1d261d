"""Reviews: who may write one, moderation and the product's figures, "helpful" marks."""

import threading
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connections

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.catalog.tests.factories import product_create
from truestyle.core.errors import StoreError
from truestyle.orders.statuses import OrderStatus
from truestyle.reviews import selectors, services
from truestyle.reviews.models import ProductReviewStats, Review, ReviewHelpful
from truestyle.reviews.tests.factories import (
    REVIEW_TEXT,
    buyer_create,
    moderator_create,
    order_line_create,
    photo,
    product_figures,
    review_create,
)


@pytest.fixture
def product(db):
    return product_create(name="Linen Shirt")


@pytest.fixture
def moderator(db):
    return moderator_create()


def _submit(user, product, **changes):
    values = {"rating": 4, "title": "Nice shirt", "text": REVIEW_TEXT, "fit": "true_to_size", **changes}
    return services.review_submit(user=user, product=product, **values)


def _stored_files() -> list[str]:
    return default_storage.listdir("")[1]


# --- eligibility --------------------------------------------------------------------------------


def test_a_customer_who_received_the_product_submits_a_pending_review_with_the_size_bought(product):
    user = buyer_create(product, email="asha@example.com", name="Asha Rao", size="L")

    review = _submit(user, product, photos=[photo(), photo("b.png", fmt="PNG")])

    assert (review.status, review.size, review.colour, review.author_name) == ("pending", "L", "Indigo", "Asha R.")
    assert (review.rating, review.title, review.fit, review.photo_count) == (4, "Nice shirt", "true_to_size", 2)
    assert sorted(review.photos) == sorted(_stored_files())
    assert all(default_storage.content_type(name) in {"image/jpeg", "image/png"} for name in review.photos)
    # Pending reviews are neither shown nor counted.
    assert selectors.approved_reviews(product=product).total == 0
    assert product_figures(product) == (Decimal("0"), 0)


@pytest.mark.parametrize("status", [OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.CANCELLED])
def test_a_customer_whose_order_is_not_delivered_is_refused_and_nothing_is_written(product, status):
    user = user_create(email="waiting@example.com")
    order_line_create(user=user, product=product, status=status)

    with pytest.raises(StoreError) as refused:
        _submit(user, product, photos=[photo()])

    assert (refused.value.code, refused.value.status) == ("not_eligible", 403)
    assert Review.objects.count() == 0 and _stored_files() == []


def test_a_delivered_line_of_another_product_does_not_make_a_customer_eligible(product):
    other = product_create(name="Chino", slug="chino")
    user = buyer_create(other, email="asha@example.com")

    with pytest.raises(StoreError) as refused:
        _submit(user, product)

    assert refused.value.code == "not_eligible"
    assert Review.objects.count() == 0


def test_a_second_review_of_the_same_product_is_refused_and_writes_nothing(product):
    user = buyer_create(product, email="asha@example.com")
    order_line_create(user=user, product=product, size="S")  # bought twice: still one review
    first = _submit(user, product)

    with pytest.raises(StoreError) as refused:
        _submit(user, product, title="Again", photos=[photo()])

    assert (refused.value.code, refused.value.status) == ("already_reviewed", 409)
    assert list(Review.objects.values_list("pk", "title")) == [(first.pk, "Nice shirt")]
    assert _stored_files() == []


def test_bad_fields_and_bad_photos_are_refused_with_field_errors_and_nothing_stored(product):
    user = buyer_create(product, email="asha@example.com")

    with pytest.raises(StoreError) as bad_fields:
        _submit(user, product, rating=6, title=" ", text="short", fit="baggy", photos=[photo()] * 4)
    with pytest.raises(StoreError) as bad_photo:
        _submit(user, product, photos=[photo(), photo("x.gif", fmt="GIF")])

    assert set(bad_fields.value.fields) == {"rating", "title", "text", "fit", "photos"}
    assert bad_photo.value.code == "invalid_image"
    assert bad_photo.value.fields["photos"] == ["Photo 2: This file is a GIF image; upload a JPEG, PNG or WebP image."]
    assert Review.objects.count() == 0 and _stored_files() == []


def test_signed_out_visitors_are_not_eligible(product):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(StoreError) as refused:
        _submit(AnonymousUser(), product)
    assert refused.value.code == "not_eligible"


# --- moderation and the figures -----------------------------------------------------------------


def test_approvals_and_a_rejection_give_exact_figures_everywhere(product, moderator):
    ratings = [(5, "true_to_size"), (4, "true_to_size"), (4, "runs_small"), (2, "true_to_size"), (1, "runs_large")]
    reviews = [review_create(product, email=f"buyer{i}@example.com", rating=rating, fit=fit)
               for i, (rating, fit) in enumerate(ratings)]
    for review in reviews[:4]:
        services.review_moderate(actor=moderator, review_id=review.pk, decision="approve")

    summary = selectors.review_summary(product=product)
    # 5 + 4 + 4 + 2 = 15 over 4 = 3.75 -> 3.8
    assert (summary.average, summary.count) == (Decimal("3.8"), 4)
    assert [(row["stars"], row["count"], row["percent"]) for row in summary.distribution] == [
        (5, 1, 25), (4, 2, 50), (3, 0, 0), (2, 1, 25), (1, 0, 0)]
    assert [(row["value"], row["count"]) for row in summary.fit] == [
        ("runs_small", 1), ("true_to_size", 3), ("runs_large", 0)]
    assert summary.fit_summary == "Most say true to size"
    assert product_figures(product) == (Decimal("3.80"), 4)

    # Rejecting an approved review takes it out again; rejecting a pending one changes nothing.
    services.review_moderate(actor=moderator, review_id=reviews[0].pk, decision="reject", reason="Not about the shirt")
    services.review_moderate(actor=moderator, review_id=reviews[4].pk, decision="reject", reason="Offensive")

    summary = selectors.review_summary(product=product)
    # 4 + 4 + 2 = 10 over 3 = 3.33 -> 3.3
    assert (summary.average, summary.count) == (Decimal("3.3"), 3)
    assert [row["count"] for row in summary.distribution] == [0, 2, 0, 1, 0]
    assert [row["count"] for row in summary.fit] == [1, 2, 0]
    assert summary.fit_summary == "Most say true to size"
    assert product_figures(product) == (Decimal("3.30"), 3)
    stats = ProductReviewStats.objects.get(product=product)
    assert (stats.count, stats.rating_sum) == (3, 10)
    assert selectors.approved_reviews(product=product).total == 3
    rejected = Review.objects.get(pk=reviews[0].pk)
    assert (rejected.status, rejected.rejection_reason, rejected.moderated_by_id) == (
        "rejected", "Not about the shirt", str(moderator.pk))
    assert AuditEntry.objects.filter(action="review.approve").count() == 4
    assert AuditEntry.objects.filter(action="review.reject").count() == 2


def test_fit_summary_texts():
    assert selectors.fit_summary_text({"runs_small": 0, "true_to_size": 0, "runs_large": 0}) == ""
    assert selectors.fit_summary_text({"runs_small": 3, "true_to_size": 1, "runs_large": 1}) == "Most say it runs small"
    assert selectors.fit_summary_text({"runs_small": 0, "true_to_size": 1, "runs_large": 2}) == "Most say it runs large"
    mixed = "Opinions on fit are mixed"
    assert selectors.fit_summary_text({"runs_small": 2, "true_to_size": 2, "runs_large": 0}) == mixed
    assert selectors.fit_summary_text({"runs_small": 2, "true_to_size": 2, "runs_large": 1}) == mixed


def test_illegal_moderation_moves_and_bad_input_are_refused_and_change_nothing(product, moderator):
    approved = review_create(product, email="a@example.com", rating=5, approve_by=moderator)
    rejected = review_create(product, email="b@example.com", rating=1)
    services.review_moderate(actor=moderator, review_id=rejected.pk, decision="reject", reason="Spam")
    pending = review_create(product, email="c@example.com", rating=3)
    customer = user_create(email="nobody@example.com")

    attempts = [
        (moderator, approved.pk, "approve", "", "invalid_transition"),
        (moderator, rejected.pk, "approve", "", "invalid_transition"),
        (moderator, rejected.pk, "reject", "Again", "invalid_transition"),
        (moderator, pending.pk, "reject", "  ", "invalid"),
        (moderator, pending.pk, "publish", "", "invalid"),
        (moderator, "not-an-id", "approve", "", "review_not_found"),
        (customer, pending.pk, "approve", "", "permission_denied"),
    ]
    for actor, review_id, decision, reason, code in attempts:
        with pytest.raises(StoreError) as refused:
            services.review_moderate(actor=actor, review_id=review_id, decision=decision, reason=reason)
        assert refused.value.code == code, (decision, code)

    assert dict(Review.objects.values_list("pk", "status")) == {
        approved.pk: "approved", rejected.pk: "rejected", pending.pk: "pending"}
    summary = selectors.review_summary(product=product)
    assert (summary.average, summary.count) == (Decimal("5.0"), 1)
    assert product_figures(product) == (Decimal("5.00"), 1)


def test_approval_keeps_the_listing_sort_by_rating_in_step(moderator, db):
    from truestyle.catalog.selectors import ListingFilters, product_listing
    from truestyle.catalog.tests.factories import variant_create

    low = product_create(name="Plain Tee", slug="plain-tee")
    high = product_create(name="Linen Shirt", slug="linen-shirt")
    for item in (low, high):
        variant_create(product=item, size="M")
    review_create(low, email="a@example.com", rating=3, approve_by=moderator)
    review_create(high, email="b@example.com", rating=5, approve_by=moderator)

    cards = product_listing(filters=ListingFilters(sort="rating")).cards

    assert [(c.name, c.rating_average, c.rating_count) for c in cards] == [
        ("Linen Shirt", Decimal("5.00"), 1), ("Plain Tee", Decimal("3.00"), 1)]


# --- helpful ------------------------------------------------------------------------------------


def test_helpful_counts_once_per_customer_and_never_for_ones_own_review(product, moderator):
    review = review_create(product, email="author@example.com", approve_by=moderator)
    pending = review_create(product, email="pending@example.com")
    reader = user_create(email="reader@example.com")
    other = user_create(email="other@example.com")

    assert services.review_mark_helpful(user=reader, review_id=review.pk) == 1
    assert services.review_mark_helpful(user=other, review_id=review.pk) == 2
    refusals = [(reader, review.pk, "already_helpful"), (review.user, review.pk, "own_review"),
                (reader, pending.pk, "review_not_found")]
    for user, review_id, code in refusals:
        with pytest.raises(StoreError) as refused:
            services.review_mark_helpful(user=user, review_id=review_id)
        assert refused.value.code == code

    assert Review.objects.get(pk=review.pk).helpful_count == 2
    assert ReviewHelpful.objects.count() == 2
    assert Review.objects.get(pk=pending.pk).helpful_count == 0
    assert selectors.helpful_marked(user=reader, reviews=[review]) == {str(review.pk)}


@pytest.mark.slow
def test_ten_concurrent_helpful_marks_by_one_customer_count_once(product, moderator):
    review = review_create(product, email="author@example.com", approve_by=moderator)
    reader = user_create(email="reader@example.com")
    start = threading.Barrier(10)
    results = [None] * 10

    def run(index):
        try:
            start.wait()
            results[index] = services.review_mark_helpful(user=reader, review_id=review.pk)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert results.count(1) == 1
    refusals = [r for r in results if r != 1]
    assert all(isinstance(r, StoreError) and r.code in {"already_helpful", "transaction_aborted"} for r in refusals)
    assert Review.objects.get(pk=review.pk).helpful_count == 1
    assert ReviewHelpful.objects.filter(review=review).count() == 1
