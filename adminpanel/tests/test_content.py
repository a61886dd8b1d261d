"""Staff content pages: create with an image, edit, publish switch, reorder, delete, store details; refusals."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.cms.models import Faq, HeroBanner, StoreDetails
from truestyle.cms.tests.factories import banner_create, faq_create, png_upload


def _client(db, role: str) -> Client:
    user = user_create(email=f"{role}@example.com")
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(db):
    return _client(db, "content_editor")


def _banners():
    return list(HeroBanner.objects.order_by("position").values_list("headline", "position", "is_published"))


def test_an_editor_creates_a_banner_with_an_image(editor):
    response = editor.post("/staff/content/hero-banners/new/", {
        "headline": "Monsoon sale", "subheadline": "Up to 40% off", "cta_label": "Shop now", "cta_url": "/shop/",
        "active_from": "2026-06-01T00:00", "active_until": "", "is_published": "on", "image_upload": png_upload()})
    assert response.status_code == 302 and response["Location"] == "/staff/content/hero-banners/"
    banner = HeroBanner.objects.get()
    assert (banner.headline, banner.cta_url, banner.is_published, banner.position) == (
        "Monsoon sale", "/shop/", True, 0)
    assert banner.image.endswith(".png")
    # Typed in store time (Asia/Kolkata): midnight there is 18:30 UTC the day before.
    assert banner.active_from.isoformat() == "2026-05-31T18:30:00+00:00"
    listing = editor.get("/staff/content/hero-banners/").content.decode()
    assert "Monsoon sale" in listing and f"/files/{banner.image}" in listing
    assert AuditEntry.objects.filter(action="content.herobanner.created").count() == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"headline": "Sale", "cta_label": "Go", "cta_url": "/shop/"}, "image_upload", "Choose an image."),
    ({"headline": "Sale", "cta_label": "Go", "cta_url": "javascript:alert(1)", "image_upload": True},
     "cta_url", "Enter a path starting with / or a full https:// address."),
    ({"headline": "Sale", "active_from": "2026-06-02T00:00", "active_until": "2026-06-01T00:00",
      "image_upload": True}, "active_until", "The end must be after the start."),
    ({"headline": "Sale", "image_upload": "not-an-image"}, "image_upload",
     "This file is not a JPEG, PNG or WebP image; upload one of those."),
])
def test_a_bad_banner_is_refused_on_the_form_and_nothing_is_written(editor, data, field, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if data.get("image_upload") is True:
        data["image_upload"] = png_upload()
    elif data.get("image_upload") == "not-an-image":
        data["image_upload"] = SimpleUploadedFile("x.png", b"GIF? no, text", content_type="image/png")
    response = editor.post("/staff/content/hero-banners/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not HeroBanner.objects.exists() and not AuditEntry.objects.exists()


def test_edit_keeps_the_image_and_the_switch_publishes_and_hides(editor):
    banner = banner_create("Old", image="65a000000000000000000001.png", is_published=False)
    response = editor.post(f"/staff/content/hero-banners/{banner.pk}/", {"headline": "New", "is_published": ""})
    assert response.status_code == 302
    banner.refresh_from_db()
    assert (banner.headline, banner.image, banner.is_published) == ("New", "65a000000000000000000001.png", False)

    editor.post(f"/staff/content/hero-banners/{banner.pk}/publish/", {"published": "1"})
    assert HeroBanner.objects.get(pk=banner.pk).is_published is True
    editor.post(f"/staff/content/hero-banners/{banner.pk}/publish/", {"published": "0"})
    assert HeroBanner.objects.get(pk=banner.pk).is_published is False


def test_reorder_through_htmx_and_the_buttons(editor):
    a, b, c = (banner_create(name, position=i) for i, name in enumerate("ABC"))
    response = editor.post("/staff/content/hero-banners/order/", {"order": [str(c.pk), str(a.pk), str(b.pk)]},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="content-items"' in response.content.decode()
    assert [h for h, *_ in _banners()] == ["C", "A", "B"]

    editor.post("/staff/content/hero-banners/order/", {"order": [str(c.pk), str(a.pk), str(b.pk)],
                                                       "move": f"{b.pk}:-1"})
    assert [(h, p) for h, p, _ in _banners()] == [("C", 0), ("B", 1), ("A", 2)]


def test_a_stale_order_is_refused_with_a_message_and_nothing_moves(editor):
    a, b = banner_create("A", position=0), banner_create("B", position=1)
    response = editor.post("/staff/content/hero-banners/order/", {"order": [str(b.pk)]}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "The list changed since this page was opened" in response.content.decode()
    assert [(h, p) for h, p, _ in _banners()] == [("A", 0), ("B", 1)]


def test_delete_asks_first_then_deletes(editor):
    faq = faq_create("Do you ship abroad?")
    page = editor.get(f"/staff/content/faqs/{faq.pk}/delete/")
    assert page.status_code == 200 and "Delete this FAQ?" in page.content.decode()
    assert Faq.objects.count() == 1
    assert editor.post(f"/staff/content/faqs/{faq.pk}/delete/").status_code == 302
    assert not Faq.objects.exists()
    assert AuditEntry.objects.filter(action="content.faq.deleted", object_id=str(faq.pk)).count() == 1


def test_store_details_form(editor):
    response = editor.post("/staff/content/store/", {"name": "TrueStyle", "phone": "+91 80 4000 1234",
                                                     "email": "hello@truestyle.example",
                                                     "instagram_url": "http://instagram.com/truestyle"})
    assert response.status_code == 400
    assert response.context["form"].errors["instagram_url"] == ["Use an https:// address."]
    assert not StoreDetails.objects.exists()
    response = editor.post("/staff/content/store/", {"name": "TrueStyle", "phone": "+91 80 4000 1234",
                                                     "instagram_url": "https://instagram.com/truestyle"})
    assert response.status_code == 302
    assert StoreDetails.objects.get().instagram_url == "https://instagram.com/truestyle"


def test_unknown_type_or_item_is_404(editor):
    assert editor.get("/staff/content/banners-of-doom/").status_code == 404
    assert editor.get("/staff/content/faqs/65a000000000000000000001/").status_code == 404
    assert editor.get("/staff/content/faqs/nonsense/").status_code == 404


def test_a_catalogue_manager_is_refused_and_nothing_changes(db):
    manager = _client(db, "catalogue_manager")
    a, b = banner_create("A", position=0), banner_create("B", position=1, is_published=False)
    attempts = [
        ("get", "/staff/content/", {}),
        ("get", "/staff/content/hero-banners/", {}),
        ("post", "/staff/content/hero-banners/new/", {"headline": "X", "image_upload": png_upload()}),
        ("post", f"/staff/content/hero-banners/{a.pk}/", {"headline": "Changed"}),
        ("post", "/staff/content/hero-banners/order/", {"order": [str(b.pk), str(a.pk)]}),
        ("post", f"/staff/content/hero-banners/{b.pk}/publish/", {"published": "1"}),
        ("post", f"/staff/content/hero-banners/{a.pk}/delete/", {}),
        ("post", "/staff/content/store/", {"name": "Hijacked"}),
    ]
    for method, url, data in attempts:
        response = getattr(manager, method)(url, data)
        assert response.status_code == 403, url
    assert _banners() == [("A", 0, True), ("B", 1, False)]
    assert not StoreDetails.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(("kind", "data", "model_name", "label"), [
    ("promo-cards", {"card_set": "secondary", "title": "Gift cards", "text": "Let them choose.", "link": "/shop/"},
     "promocard", "Gift cards"),
    ("how-it-works", {"title": "Find your size", "text": "Every piece has a chart.", "icon": "ruler"},
     "howitworksstep", "Find your size"),
    ("testimonials", {"name": "Meera", "location": "Pune", "quote": "Fits well.", "rating": "4"},
     "testimonial", "Meera"),
    ("faqs", {"group": "Delivery", "question": "How long?", "answer": "Three days."}, "faq", "How long?"),
    ("pages", {"slug": "privacy-policy", "title": "Privacy", "body": "We keep little."}, "contentpage", "Privacy"),
])
def test_every_content_type_has_a_working_form_and_list(editor, kind, data, model_name, label):
    from adminpanel.content_forms import CONTENT_TYPES

    assert editor.get(f"/staff/content/{kind}/new/").status_code == 200
    response = editor.post(f"/staff/content/{kind}/new/", {**data, "is_published": "on"})
    assert response.status_code == 302, response.context["form"].errors
    item = CONTENT_TYPES[kind].model.objects.get()
    assert (str(item), item.is_published, item.position) == (label, True, 0)
    assert editor.get(f"/staff/content/{kind}/{item.pk}/").status_code == 200
    assert label in editor.get(f"/staff/content/{kind}/").content.decode()
    assert AuditEntry.objects.filter(action=f"content.{model_name}.created").count() == 1
