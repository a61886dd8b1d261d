"""Store content in a real browser: a content editor drags hero banners into a new order; the home page follows."""

import io
import urllib.request

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.cms import services
from truestyle.cms import models as cms

pytestmark = pytest.mark.browser


def _picture(name: str, start: tuple, end: tuple, size=(1200, 420)) -> SimpleUploadedFile:
    """A soft diagonal gradient with a few circles: enough to look like a banner photo."""
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    width, height = size
    for x in range(width):
        t = x / width
        draw.line([(x, 0), (x, height)], fill=tuple(int(a + (b - a) * t) for a, b in zip(start, end, strict=True)))
    for i in range(5):
        r = 40 + i * 25
        draw.ellipse([width - 260 - i * 90 - r, height // 2 - r, width - 260 - i * 90 + r, height // 2 + r],
                     outline=(255, 255, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _home_banners(html: str) -> list[str]:
    import re

    return re.findall(r'data-banner="([^"]*)"', html)


def _anonymous_home(live_server) -> str:
    with urllib.request.urlopen(live_server.url + "/") as response:  # noqa: S310 - the test's own server
        return response.read().decode()


def test_a_content_editor_drags_banners_and_the_home_page_follows(db, live_server, page):
    editor = user_create(email="content@example.com", name="Content Editor")
    editor.groups.add(Group.objects.get(name="content_editor"))
    save = services.content_save
    save(actor=editor, model=cms.HeroBanner, upload=_picture("a.jpg", (180, 52, 92), (239, 233, 247)),
         data={"headline": "The monsoon edit", "subheadline": "Light layers that dry fast, up to 40% off.",
               "cta_label": "Shop the edit", "cta_url": "/shop/", "is_published": True})
    save(actor=editor, model=cms.HeroBanner, upload=_picture("b.jpg", (31, 122, 77), (246, 227, 234)),
         data={"headline": "Festive kurtas are here", "subheadline": "Hand-block prints in every size.",
               "cta_label": "See kurtas", "cta_url": "/shop/?q=kurta", "is_published": True})
    for title, text, card_set in (("Free delivery over ₹999", "Across India, in three to five days.", "primary"),
                                  ("Easy 30-day returns", "Changed your mind? Send it back free.", "primary"),
                                  ("Gift cards", "Let them pick their fit.", "secondary")):
        save(actor=editor, model=cms.PromoCard, data={"title": title, "text": text, "card_set": card_set,
                                                  "link": "/shop/", "is_published": True})
    for title, text, icon in (("Find your size", "Every piece has a size chart and fit notes.", "ruler"),
                              ("Order in minutes", "Pay by UPI, card or cash on delivery.", "bag"),
                              ("Delivered to your door", "Track it all the way.", "truck")):
        save(actor=editor, model=cms.HowItWorksStep, data={"title": title, "text": text, "icon": icon,
                                                       "is_published": True})
    for name, location, quote in (("Meera Iyer", "Pune", "The linen shirt fits exactly as the chart said."),
                                  ("Arjun Das", "Kolkata", "Returned a size swap in two days, no questions.")):
        save(actor=editor, model=cms.Testimonial, data={"name": name, "location": location, "quote": quote,
                                                    "rating": 5, "is_published": True})
    save(actor=editor, model=cms.ContentPage, data={"slug": "about", "title": "About us", "is_published": True,
                                                    "body": "Clothes that fit, made in India."})
    save(actor=editor, model=cms.Faq, data={"group": "Delivery", "question": "How long does delivery take?",
                                            "answer": "Three to five days.", "is_published": True})
    services.store_details_save(actor=editor, data={
        "name": "TrueStyle", "address": "12 MG Road, Bengaluru 560001", "phone": "+91 80 4000 1234",
        "email": "hello@truestyle.example", "hours": "Mon–Sat, 10:00–19:00 IST",
        "instagram_url": "https://instagram.com/truestyle"})
    first, second = cms.HeroBanner.objects.order_by("position")
    # An anonymous visitor's home is cached: the new order must still show on the next request.
    assert _home_banners(_anonymous_home(live_server)) == ["The monsoon edit", "Festive kurtas are here"]

    page.goto(live_server.url + "/staff/content/hero-banners/")
    page.fill("#id_email", "content@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/content/hero-banners/")
    rows = page.locator("#content-items .content-row")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.id)") == [str(first.pk), str(second.pk)]

    handles = page.locator("#content-items .drag-handle")
    with page.expect_response(lambda response: response.url.endswith("/hero-banners/order/")) as saved:
        handles.nth(1).drag_to(handles.nth(0))
    assert saved.value.status == 200
    page.wait_for_function(f"document.querySelector('#content-items .content-row').dataset.id === '{second.pk}'")
    page.screenshot(path="/tmp/content-banners-staff.png", full_page=True)
    assert list(cms.HeroBanner.objects.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]

    page.reload()
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.id)") == [str(second.pk), str(first.pk)]

    page.goto(live_server.url + "/")
    assert page.locator("[data-banner]").evaluate_all("items => items.map(item => item.dataset.banner)") == [
        "Festive kurtas are here", "The monsoon edit"]
    assert _home_banners(_anonymous_home(live_server)) == ["Festive kurtas are here", "The monsoon edit"]
    page.wait_for_selector(".footer-store-name")
    assert page.locator(".footer-links a").all_inner_texts() == ["About us", "FAQs", "Contact us"]
    page.screenshot(path="/tmp/home-content.png", full_page=True)
