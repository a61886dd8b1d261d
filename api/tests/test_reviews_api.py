"""Reviews API: a product's approved reviews with the summary (public), submitting one (JWT), marking
one helpful; every refusal in the one error shape, and writing nothing."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from truestyle.accounts import services as account_services
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.tests.factories import product_create
from truestyle.reviews.models import Review, ReviewHelpful
from truestyle.reviews.tests.factories import REVIEW_TEXT, moderator_create, order_line_create, photo, review_create

URL = "/api/v1/catalog/products/linen-shirt/reviews"


def _client_for(user) -> APIClient:
    access, _ = account_services.token_pair_issue(user=user, device="Pixel 9", ip="127.0.0.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def shirt(db):
    product = product_create(name="Linen Shirt", slug="linen-shirt")
    moderator = moderator_create()
    review_create(product, email="meera@example.com", name="Meera Iyer", title="Perfect", rating=5, size="M",
                  approve_by=moderator)
    review_create(product, email="ravi@example.com", name="Ravi Kumar", title="Tight", rating=2, fit="runs_small",
                  size="L", photos=[photo()], approve_by=moderator)
    review_create(product, email="anu@example.com", title="Pending", rating=1)
    return product


def test_anyone_reads_the_approved_reviews_with_the_summary(shirt):
    response = APIClient().get(URL, {"sort": "lowest"})

    body = response.json()
    assert response.status_code == 200
    assert body["summary"] == {
        "average": "3.5", "count": 2,
        "distribution": [{"stars": 5, "count": 1, "percent": 50}, {"stars": 4, "count": 0, "percent": 0},
                         {"stars": 3, "count": 0, "percent": 0}, {"stars": 2, "count": 1, "percent": 50},
                         {"stars": 1, "count": 0, "percent": 0}],
        "fit": [{"value": "runs_small", "label": "Runs small", "count": 1, "percent": 50},
                {"value": "true_to_size", "label": "True to size", "count": 1, "percent": 50},
                {"value": "runs_large", "label": "Runs large", "count": 0, "percent": 0}],
        "fit_summary": "Opinions on fit are mixed"}
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    assert [(r["title"], r["size"], r["author_name"]) for r in body["results"]] == [
        ("Tight", "L", "Ravi K."), ("Perfect", "M", "Meera I.")]
    assert body["results"][0]["photo_urls"][0].startswith("/files/")
    assert "status" not in body["results"][0]


def test_filters_and_bad_query_values(shirt):
    photos = APIClient().get(URL, {"photos": "true"}).json()
    five = APIClient().get(URL, {"stars": 5, "fit": "true_to_size"}).json()
    bad = APIClient().get(URL, {"stars": 9, "sort": "best"})
    missing = APIClient().get("/api/v1/catalog/products/nothing/reviews")

    assert [r["title"] for r in photos["results"]] == ["Tight"]
    assert [r["title"] for r in five["results"]] == ["Perfect"]
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"stars", "sort"}
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "product_not_found"


def test_a_customer_who_received_it_submits_a_review_once(shirt):
    buyer = user_create(email="neha@example.com", name="Neha Shah")
    order_line_create(user=buyer, product=shirt, size="S")
    client = _client_for(buyer)

    created = client.post(URL, {"rating": 4, "title": "Good linen", "text": REVIEW_TEXT, "fit": "runs_large",
                                "photos": [photo(), photo("b.png", fmt="PNG")]}, format="multipart")
    again = client.post(URL, {"rating": 5, "title": "Again", "text": REVIEW_TEXT, "fit": "true_to_size"},
                        format="json")

    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["rating"], body["size"], body["fit"], len(body["photo_urls"])) == (
        "pending", 4, "S", "runs_large", 2)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reviewed"
    assert Review.objects.filter(user=buyer).count() == 1


def test_submitting_is_refused_without_eligibility_sign_in_or_valid_fields(shirt):
    stranger = _client_for(user_create(email="stranger@example.com"))
    buyer = user_create(email="neha@example.com")
    order_line_create(user=buyer, product=shirt)
    valid = {"rating": 5, "title": "Great", "text": REVIEW_TEXT, "fit": "true_to_size"}

    anonymous = APIClient().post(URL, valid, format="json")
    not_eligible = stranger.post(URL, valid, format="json")
    unknown = _client_for(buyer).post(URL, {**valid, "status": "approved"}, format="json")
    invalid = _client_for(buyer).post(URL, {**valid, "rating": 0, "text": "short"}, format="json")

    assert anonymous.status_code == 401
    assert not_eligible.status_code == 403 and not_eligible.json()["error"]["code"] == "not_eligible"
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"status": ["This field is not allowed."]}
    assert invalid.status_code == 400 and set(invalid.json()["error"]["fields"]) == {"rating", "text"}
    assert Review.objects.count() == 3


def test_mark_helpful_once_and_never_ones_own(shirt):
    review = Review.objects.get(title="Perfect")
    reader = _client_for(user_create(email="reader@example.com"))
    url = f"/api/v1/reviews/{review.pk}/helpful"

    first = reader.post(url)
    second = reader.post(url)
    own = _client_for(review.user).post(url)
    pending = reader.post(f"/api/v1/reviews/{Review.objects.get(title='Pending').pk}/helpful")
    nonsense = reader.post("/api/v1/reviews/nonsense/helpful")
    anonymous = APIClient().post(url)

    assert (first.status_code, first.json()) == (200, {"helpful_count": 1})
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_helpful"
    assert own.status_code == 403 and own.json()["error"]["code"] == "own_review"
    assert pending.status_code == 404 and nonsense.status_code == 404
    assert anonymous.status_code == 401
    assert Review.objects.get(pk=review.pk).helpful_count == 1 == ReviewHelpful.objects.count()
    assert APIClient().get(URL, {"sort": "helpful"}).json()["results"][0]["helpful_count"] == 1
    assert Review.objects.get(pk=review.pk).product.rating_average == Decimal("3.50")


def test_staff_moderate_through_the_api_and_the_figures_follow(shirt):
    pending = Review.objects.get(title="Pending")
    staff = _client_for(moderator_create(email="api-support@example.com"))
    shopper = _client_for(user_create(email="shopper@example.com"))

    queue = staff.get("/api/v1/reviews/moderation")
    refused = shopper.get("/api/v1/reviews/moderation")
    no_reason = staff.post(f"/api/v1/reviews/{pending.pk}/moderate", {"decision": "reject"}, format="json")
    approved = staff.post(f"/api/v1/reviews/{pending.pk}/moderate", {"decision": "approve"}, format="json")
    twice = staff.post(f"/api/v1/reviews/{pending.pk}/moderate", {"decision": "approve"}, format="json")
    shopper_try = shopper.post(f"/api/v1/reviews/{pending.pk}/moderate", {"decision": "reject", "reason": "x"},
                               format="json")

    assert queue.status_code == 200
    assert [(r["title"], r["status"], r["product_slug"]) for r in queue.json()["results"]] == [
        ("Pending", "pending", "linen-shirt")]
    assert refused.status_code == 403 and shopper_try.status_code == 403
    assert no_reason.status_code == 400 and no_reason.json()["error"]["fields"] == {
        "reason": ["Say why the review is rejected."]}
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "invalid_transition"
    # 5 + 2 + 1 = 8 over 3 = 2.67 -> 2.7
    summary = APIClient().get(URL).json()["summary"]
    assert (summary["average"], summary["count"]) == ("2.7", 3)
    assert staff.get("/api/v1/reviews/moderation").json()["count"] == 0
