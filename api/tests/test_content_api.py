"""Public content API: home sections, pages, FAQs and store details; only published content, in order."""

from datetime import timedelta

from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.cms import services
from truestyle.cms.models import HeroBanner
from truestyle.cms.tests.factories import banner_create, card_create, faq_create, page_create, step_create
from truestyle.cms.tests.factories import testimonial_create as quote_create


def test_home_content(api, db):
    banner_create("Later", position=0, active_from=timezone.now() + timedelta(days=1))
    banner_create("Sale", position=1, image="65a000000000000000000001.png", cta_label="Shop", cta_url="/shop/")
    card_create("Work wear", position=1, card_set="secondary")
    card_create("Festive", position=0)
    step_create("Pick", position=0, icon="ruler")
    quote_create("Meera", rating=4, location="Pune")
    quote_create("Hidden", position=1, is_published=False)

    response = api.get("/api/v1/content/home")

    assert response.status_code == 200
    body = response.json()
    assert [(b["headline"], b["cta_url"]) for b in body["banners"]] == [("Sale", "/shop/")]
    assert body["banners"][0]["image_url"] == "http://testserver/files/65a000000000000000000001.png"
    assert [(c["title"], c["set"]) for c in body["cards"]] == [("Festive", "primary"), ("Work wear", "secondary")]
    assert body["steps"] == [{"id": body["steps"][0]["id"], "title": "Pick", "text": "Every piece has a size chart.",
                              "icon": "ruler"}]
    assert [(t["name"], t["rating"], t["location"], t["photo_url"]) for t in body["testimonials"]] == [
        ("Meera", 4, "Pune", "")]


def test_home_follows_a_reorder_at_once(api, db):
    a, b = banner_create("A", position=0), banner_create("B", position=1)
    assert [x["headline"] for x in api.get("/api/v1/content/home").json()["banners"]] == ["A", "B"]
    services.content_reorder(actor=user_create(email="e@example.com"), model=HeroBanner, ordered_ids=[b.pk, a.pk])
    assert [x["headline"] for x in api.get("/api/v1/content/home").json()["banners"]] == ["B", "A"]


def test_pages(api, db):
    page_create("shipping-policy", title="Shipping", body="Free over ₹999.\n\nThree to five days.")
    page_create("terms", title="Terms", is_published=False)

    response = api.get("/api/v1/content/pages/shipping-policy")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["paragraphs"]) == (
        "Shipping", ["Free over ₹999.", "Three to five days."])
    for slug in ("terms", "nonsense"):
        missing = api.get(f"/api/v1/content/pages/{slug}")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "page_not_found"


def test_faqs_grouped(api, db):
    faq_create("Where is my order?", group="Orders", position=1)
    faq_create("How long is delivery?", group="Delivery", position=0)
    faq_create("Hidden?", group="Orders", position=2, is_published=False)

    body = api.get("/api/v1/content/faqs").json()
    assert [(g["name"], [f["question"] for f in g["faqs"]]) for g in body] == [
        ("Delivery", ["How long is delivery?"]), ("Orders", ["Where is my order?"])]


def test_store_details(api, db):
    assert api.get("/api/v1/content/store").json()["error"]["code"] == "store_details_not_found"
    services.store_details_save(actor=user_create(email="e@example.com"), data={
        "name": "TrueStyle", "phone": "+91 80 4000 1234", "youtube_url": "https://youtube.com/@truestyle"})
    body = api.get("/api/v1/content/store").json()
    assert (body["name"], body["phone"], body["email"]) == ("TrueStyle", "+91 80 4000 1234", "")
    assert body["social_links"] == [{"name": "YouTube", "url": "https://youtube.com/@truestyle"}]
