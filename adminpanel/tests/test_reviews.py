"""Staff review moderation pages: the queue, approve, reject with a reason, and who may."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import Product
from truestyle.catalog.tests.factories import product_create
from truestyle.reviews.models import Review
from truestyle.reviews.selectors import review_summary
from truestyle.reviews.tests.factories import moderator_create, review_create

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queue(db):
    product = product_create(name="Linen Shirt", slug="linen-shirt")
    first = review_create(product, email="a@example.com", title="Great shirt", rating=5)
    second = review_create(product, email="b@example.com", title="Too short", rating=2, fit="runs_small")
    return product, first, second


@pytest.fixture
def staff(db):
    client = Client()
    client.force_login(moderator_create())
    return client


def test_the_queue_lists_pending_reviews_oldest_first_with_their_actions(queue, staff):
    product, first, second = queue

    html = staff.get("/staff/reviews/").content.decode()

    assert "2 waiting for moderation." in html
    assert html.index("Great shirt") < html.index("Too short")
    assert f'action="/staff/reviews/{first.pk}/approve/"' in html
    assert f'action="/staff/reviews/{second.pk}/reject/"' in html
    assert 'name="moderation-reason"' in html
    assert '<a href="/staff/reviews/" aria-current="page">Reviews</a>' in html


def test_approving_and_rejecting_move_the_reviews_and_the_figures(queue, staff):
    product, first, second = queue

    approved = staff.post(f"/staff/reviews/{first.pk}/approve/")
    rejected = staff.post(f"/staff/reviews/{second.pk}/reject/", {"moderation-reason": "Mentions another shop"},
                          **HTMX)

    assert approved.status_code == 302 and approved["Location"] == "/staff/reviews/"
    assert rejected.status_code == 200
    assert "Review “Too short” of Linen Shirt rejected." in rejected.content.decode()
    assert "Rejected because: Mentions another shop" in rejected.content.decode()
    assert dict(Review.objects.values_list("title", "status")) == {"Great shirt": "approved", "Too short": "rejected"}
    summary = review_summary(product=product)
    assert (summary.average, summary.count, summary.fit_summary) == (Decimal("5.0"), 1, "Most say true to size")
    product = Product.objects.get(pk=product.pk)
    assert (product.rating_average, product.rating_count) == (Decimal("5.00"), 1)
    queue_html = staff.get("/staff/reviews/").content.decode()
    assert "0 waiting for moderation." in queue_html and "No pending reviews." in queue_html
    assert "Great shirt" in staff.get("/staff/reviews/?status=approved").content.decode()


def test_a_rejection_without_a_reason_or_an_illegal_move_changes_nothing(queue, staff):
    product, first, second = queue
    staff.post(f"/staff/reviews/{first.pk}/approve/")

    no_reason = staff.post(f"/staff/reviews/{second.pk}/reject/", {"moderation-reason": " "}, **HTMX)
    twice = staff.post(f"/staff/reviews/{first.pk}/approve/", **HTMX)
    missing = staff.post("/staff/reviews/ffffffffffffffffffffffff/approve/")

    assert "Say why the review is rejected." in no_reason.content.decode()
    assert "A review that is approved cannot be approved." in twice.content.decode()
    assert missing.status_code == 404
    assert dict(Review.objects.values_list("title", "status")) == {"Great shirt": "approved", "Too short": "pending"}
    assert review_summary(product=product).count == 1


def test_staff_without_the_moderation_permission_are_refused(queue):
    product, first, _ = queue
    manager = user_create(email="catalogue@example.com")
    manager.groups.add(Group.objects.get(name=Role.CATALOGUE_MANAGER))
    client = Client()
    client.force_login(manager)

    assert client.get("/staff/reviews/").status_code == 403
    assert client.post(f"/staff/reviews/{first.pk}/approve/").status_code == 403
    assert Review.objects.get(pk=first.pk).status == "pending"
