"""Content services: reorder, publish switch, save with images, the banner window, audit entries, cache."""

from datetime import timedelta

import pytest
from bson import ObjectId
from django.core.files.storage import default_storage
from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.cms import selectors, services
from truestyle.cms.cache import content_cache_version
from truestyle.cms.models import ContentPage, HeroBanner, StoreDetails
from truestyle.cms.models import Testimonial as QuoteModel
from truestyle.cms.tests.factories import banner_create, page_create, png_upload
from truestyle.cms.tests.factories import testimonial_create as quote_create
from truestyle.core.errors import StoreError


@pytest.fixture
def editor(db):
    return user_create(email="editor@example.com")


def _positions(model):
    return [(item.headline if model is HeroBanner else item.name, item.position)
            for item in model.objects.order_by("position")]


def test_reorder_writes_exact_positions_and_an_audit_entry(editor):
    a, b, c = (banner_create(name, position=i) for i, name in enumerate(["A", "B", "C"]))
    version = content_cache_version()

    services.content_reorder(actor=editor, model=HeroBanner, ordered_ids=[str(c.pk), str(a.pk), str(b.pk)])

    assert _positions(HeroBanner) == [("C", 0), ("A", 1), ("B", 2)]
    entry = AuditEntry.objects.get(action="content.herobanner.reordered")
    assert entry.actor_email == "editor@example.com"
    assert entry.before == {"order": [str(a.pk), str(b.pk), str(c.pk)]}
    assert entry.after == {"order": [str(c.pk), str(a.pk), str(b.pk)]}
    assert content_cache_version() == version + 1


@pytest.mark.parametrize("case", ["missing", "repeated", "other_type", "unknown", "not_an_id"])
def test_reorder_refuses_a_wrong_list_and_writes_nothing(editor, case):
    a, b = banner_create("A", position=0), banner_create("B", position=1)
    other = quote_create("Meera")
    ids = {"missing": [str(b.pk)], "repeated": [str(b.pk), str(b.pk), str(a.pk)],
           "other_type": [str(b.pk), str(a.pk), str(other.pk)], "unknown": [str(b.pk), str(ObjectId())],
           "not_an_id": [str(b.pk), "nonsense"]}[case]

    with pytest.raises(StoreError) as refused:
        services.content_reorder(actor=editor, model=HeroBanner, ordered_ids=ids)

    assert refused.value.code == "invalid_order"
    assert _positions(HeroBanner) == [("A", 0), ("B", 1)]
    assert _positions(QuoteModel) == [("Meera", 0)]
    assert not AuditEntry.objects.exists()


def test_publish_switch_changes_once_and_audits_each_change(editor):
    banner = banner_create("A", is_published=False)

    services.content_publish_set(actor=editor, item=banner, published=True)
    services.content_publish_set(actor=editor, item=banner, published=True)  # already published: nothing
    assert HeroBanner.objects.get(pk=banner.pk).is_published is True
    assert list(AuditEntry.objects.values_list("action", "before", "after")) == [
        ("content.herobanner.published", {"is_published": False}, {"is_published": True})]

    services.content_publish_set(actor=editor, item=banner, published=False)
    assert HeroBanner.objects.get(pk=banner.pk).is_published is False
    assert AuditEntry.objects.filter(action="content.herobanner.unpublished").count() == 1


def test_save_creates_last_unpublished_with_a_stored_image_and_replaces_it(editor):
    banner_create("First", position=0)
    banner = services.content_save(actor=editor, model=HeroBanner, data={"headline": "Sale", "cta_label": "Shop"},
                                   upload=png_upload())
    assert (banner.position, banner.is_published, banner.headline) == (1, False, "Sale")
    first_image = banner.image
    assert first_image.endswith(".png") and default_storage.exists(first_image)
    created = AuditEntry.objects.get(action="content.herobanner.created")
    assert created.before is None and created.after["headline"] == "Sale" and created.after["image"] == first_image

    edited = services.content_save(actor=editor, model=HeroBanner, item=banner, data={"headline": "Big sale"},
                                   upload=png_upload(colour="red"))
    assert edited.headline == "Big sale" and edited.cta_label == "Shop"
    assert edited.image != first_image and default_storage.exists(edited.image)
    assert not default_storage.exists(first_image)
    updated = AuditEntry.objects.get(action="content.herobanner.updated")
    assert (updated.before["headline"], updated.after["headline"]) == ("Sale", "Big sale")


def test_save_refuses_a_non_image_and_writes_nothing(editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(StoreError) as refused:
        services.content_save(actor=editor, model=HeroBanner, data={"headline": "Sale"},
                              upload=SimpleUploadedFile("x.png", b"not an image", content_type="image/png"))
    assert "image" in refused.value.fields
    assert not HeroBanner.objects.exists() and not AuditEntry.objects.exists()


def test_a_content_page_slug_is_used_once(editor):
    page_create("about")
    with pytest.raises(StoreError) as refused:
        services.content_save(actor=editor, model=ContentPage, data={"slug": "about", "title": "x", "body": "y"})
    assert refused.value.fields == {"slug": ["This page already exists; edit it instead."]}
    assert ContentPage.objects.count() == 1


def test_delete_removes_the_item_and_its_image(editor):
    banner = services.content_save(actor=editor, model=HeroBanner, data={"headline": "Sale"}, upload=png_upload())
    image, pk = banner.image, str(banner.pk)
    services.content_delete(actor=editor, item=banner)
    assert not HeroBanner.objects.exists() and not default_storage.exists(image)
    entry = AuditEntry.objects.get(action="content.herobanner.deleted")
    assert entry.object_id == pk and entry.before["headline"] == "Sale"


def test_store_details_is_one_document(editor):
    services.store_details_save(actor=editor, data={"name": "TrueStyle", "phone": "+91 80 1234 5678"})
    services.store_details_save(actor=editor, data={"name": "TrueStyle", "hours": "10:00-19:00"})
    details = StoreDetails.objects.get()
    assert (details.phone, details.hours) == ("+91 80 1234 5678", "10:00-19:00")
    assert AuditEntry.objects.filter(action="content.storedetails.updated").count() == 2


def test_banners_show_only_published_and_inside_their_window(editor):
    now = timezone.now()
    banner_create("Always", position=0)
    banner_create("Hidden", position=1, is_published=False)
    banner_create("Later", position=2, active_from=now + timedelta(hours=1))
    banner_create("Over", position=3, active_until=now - timedelta(seconds=1))
    banner_create("Now", position=4, active_from=now - timedelta(hours=1), active_until=now + timedelta(hours=1))

    assert [b.headline for b in selectors.active_banners(now=now)] == ["Always", "Now"]
    # The window is a point in time: at the store's midnight (Asia/Kolkata) "Later" has begun when it says.
    assert [b.headline for b in selectors.active_banners(now=now + timedelta(hours=1))] == ["Always", "Later"]


def test_published_reads_are_cached_until_a_change(editor, django_assert_num_queries):
    banner = banner_create("A")
    assert [b.headline for b in selectors.active_banners()] == ["A"]
    with django_assert_num_queries(0, using="mongodb"):
        assert [b.headline for b in selectors.active_banners()] == ["A"]
    services.content_save(actor=editor, model=HeroBanner, item=banner, data={"headline": "B"})
    assert [b.headline for b in selectors.active_banners()] == ["B"]
