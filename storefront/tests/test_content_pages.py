"""Store content on the storefront: home sections, footer, pages, FAQs; changes show on the next request."""

import re
from datetime import timedelta

from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.cms import services
from truestyle.cms.models import HeroBanner, StoreDetails
from truestyle.cms.tests.factories import banner_create, card_create, faq_create, page_create, step_create
from truestyle.cms.tests.factories import testimonial_create as quote_create


def _attrs(html: str, name: str) -> list[str]:
    return re.findall(rf'data-{name}="([^"]*)"', html)


def test_home_shows_only_published_active_content_in_order(db, client):
    now = timezone.now()
    banner_create("Second", position=2)
    banner_create("First", position=1)
    banner_create("Draft", position=0, is_published=False)
    banner_create("Ended", position=3, active_until=now - timedelta(minutes=1))
    card_create("Festive edit", position=0)
    card_create("Work wear", position=1, card_set="secondary")
    card_create("Hidden card", position=2, is_published=False)
    step_create("Pick", position=1)
    step_create("Browse", position=0)
    quote_create("Meera", position=1, location="Pune", rating=4)
    quote_create("Arjun", position=0, is_published=False)

    html = client.get("/").content.decode()

    assert _attrs(html, "banner") == ["First", "Second"]
    assert _attrs(html, "card") == ["Festive edit", "Work wear"]
    assert _attrs(html, "step") == ["Browse", "Pick"]
    assert _attrs(html, "testimonial") == ["Meera"]
    assert "Find your fit" not in html  # the static cards give way to real content
    assert 'aria-label="4 out of 5"' in html


def test_home_works_with_no_content(db, client):
    html = client.get("/").content.decode()
    assert "Clothes that fit, for every occasion" in html and "Find your fit" in html
    assert _attrs(html, "banner") == []


def test_a_change_shows_on_the_next_request_of_a_cached_home(db, client):
    editor = user_create(email="editor@example.com")
    a, b = banner_create("Alpha", position=0), banner_create("Beta", position=1)
    assert _attrs(client.get("/").content.decode(), "banner") == ["Alpha", "Beta"]
    cached = client.get("/")
    assert cached["X-Cache"] == "hit"

    services.content_reorder(actor=editor, model=HeroBanner, ordered_ids=[b.pk, a.pk])
    after = client.get("/")
    assert after["X-Cache"] == "miss" and _attrs(after.content.decode(), "banner") == ["Beta", "Alpha"]

    services.content_publish_set(actor=editor, item=b, published=False)
    assert _attrs(client.get("/").content.decode(), "banner") == ["Alpha"]


def test_the_footer_comes_from_the_cache_and_follows_changes(db, client):
    editor = user_create(email="editor@example.com")
    services.store_details_save(actor=editor, data={"name": "TrueStyle Store", "phone": "+91 80 4000 1234",
                                                    "instagram_url": "https://instagram.com/truestyle"})
    page_create("about", title="Our story")
    page_create("shipping-policy", title="Shipping", is_published=False)
    faq_create()

    first = client.get("/shop/").content.decode()
    # Nothing cached yet: the page asks for the footer after loading, and that request fills the cache.
    assert 'hx-get="/store-footer/"' in first and "TrueStyle Store" not in first
    fragment = client.get("/store-footer/").content.decode()
    assert "TrueStyle Store" in fragment and 'href="/about/">Our story' in fragment
    assert 'href="/faqs/">FAQs' in fragment and "Shipping" not in fragment

    page = client.get("/cart/").content.decode()
    assert "TrueStyle Store" in page and 'href="tel:+918040001234"' in page and "Instagram" in page

    services.store_details_save(actor=editor, data={"name": "TrueStyle India"})
    assert "TrueStyle India" in client.get("/store-footer/").content.decode()
    assert StoreDetails.objects.count() == 1


def test_pages_and_policies(db, client):
    page_create("about", title="Our story", body="We began in Pune.\n\nWe still sew there.")
    page_create("returns-policy", title="Returns", body="Thirty days.")
    page_create("terms", title="Terms", is_published=False)

    about = client.get("/about/")
    assert about.status_code == 200
    html = about.content.decode()
    assert "<p>We began in Pune.</p>" in html and "<p>We still sew there.</p>" in html
    assert "Thirty days." in client.get("/policies/returns-policy/").content.decode()
    assert client.get("/terms/").status_code == 404  # unpublished
    assert client.get("/policies/shipping-policy/").status_code == 404  # missing
    assert client.get("/policies/about/").status_code == 404  # not a policy


def test_faqs_are_grouped_in_order(db, client):
    faq_create("Where is my order?", group="Orders", position=2)
    faq_create("How long is delivery?", group="Delivery", position=0)
    faq_create("Do you ship abroad?", group="Delivery", position=1)
    faq_create("Secret?", group="Delivery", position=3, is_published=False)

    html = client.get("/faqs/").content.decode()
    groups = re.findall(r'<h2 id="faq-group-\d+">([^<]+)</h2>', html)
    questions = re.findall(r"<summary>([^<]+)</summary>", html)
    assert groups == ["Delivery", "Orders"]
    assert questions == ["How long is delivery?", "Do you ship abroad?", "Where is my order?"]
