import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from truestyle.catalog.demo import demo_catalogue_load
from truestyle.catalog.models import Product, ProductImage, StockMovement, Variant
from truestyle.catalog.services.images import product_image_add, product_image_delete, product_images_reorder
from truestyle.catalog.tests.factories import product_create
from truestyle.core.errors import StoreError


def _jpeg(colour="red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 1000), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("holiday photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_an_upload_is_stored_with_a_generated_name_and_a_thumbnail(db):
    product = product_create()

    image = product_image_add(actor=None, product=product, upload=_jpeg(), alt_text="Front view")

    image.refresh_from_db()
    assert "holiday" not in image.image
    assert (image.width, image.height, image.position) == (800, 1000, 0)
    with default_storage.open(image.thumbnail) as thumbnail:
        assert Image.open(thumbnail).size == (360, 450)


def test_a_spoofed_upload_is_refused_and_nothing_is_stored(db):
    product = product_create()
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")

    with pytest.raises(StoreError) as refusal:
        product_image_add(actor=None, product=product, upload=fake, alt_text="Front")

    assert refusal.value.code == "invalid_image"
    assert ProductImage.objects.count() == 0


def test_reorder_and_delete(db):
    product = product_create()
    first = product_image_add(actor=None, product=product, upload=_jpeg("red"), alt_text="A")
    second = product_image_add(actor=None, product=product, upload=_jpeg("blue"), alt_text="B")

    ordered = product_images_reorder(actor=None, product=product, ordered_ids=[str(second.pk), str(first.pk)])
    with pytest.raises(StoreError):
        product_images_reorder(actor=None, product=product, ordered_ids=[str(second.pk)])
    product_image_delete(actor=None, product=product, image_id=second.pk)

    assert [i.alt_text for i in ordered] == ["B", "A"]
    assert list(ProductImage.objects.values_list("alt_text", flat=True)) == ["A"]
    assert not default_storage.exists(second.image)


def test_the_demo_catalogue_is_consistent(db):
    made = demo_catalogue_load(products=12, with_images=False)

    assert made == 12
    assert Product.objects.count() == 12
    for variant in Variant.objects.all():
        ledger = sum(StockMovement.objects.filter(variant=variant).values_list("delta", flat=True))
        assert ledger == variant.stock
    assert demo_catalogue_load(products=12) == 0  # loaded once


def test_an_interrupted_demo_load_leaves_whole_products_and_resumes_to_the_same_catalogue(db, monkeypatch):
    from truestyle.catalog import demo

    real_create = demo.Colourway.objects.create
    calls = {"n": 0}

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt  # the shopper pressed Ctrl-C during the first `make run`
        return real_create(**kwargs)

    monkeypatch.setattr(demo.Colourway.objects, "create", failing_create)
    with pytest.raises(KeyboardInterrupt):
        demo_catalogue_load(products=12, with_images=False)
    monkeypatch.undo()
    partial = Product.objects.count()

    assert 0 < partial < 12
    assert all(p.colourways.exists() and p.variants.exists() for p in Product.objects.all())

    made = demo_catalogue_load(products=12, with_images=False)

    assert made == 12 - partial
    assert Product.objects.count() == 12
    assert sorted(int(slug.rsplit("-", 1)[1]) for slug in Product.objects.values_list("slug", flat=True)) == \
        list(range(1, 13))
    for variant in Variant.objects.all():
        assert sum(StockMovement.objects.filter(variant=variant).values_list("delta", flat=True)) == variant.stock
