"""Staff product images: several uploads at once into GridFS, reordering (htmx and buttons), deleting."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from adminpanel.tests.test_catalog_products import staff_client
from truestyle.catalog.models import ProductImage
from truestyle.catalog.tests.factories import product_create, variant_create


@pytest.fixture
def manager(db):
    return staff_client("catalogue_manager", "catalogue@example.com")


def _jpeg(name: str, colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _gif(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "GIF")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/gif")


def _upload(client, product, files, alt_text="Front view", colourway=""):
    return client.post(f"/staff/catalogue/products/{product.pk}/images/upload/",
                       {"upload-images": files, "upload-alt_text": alt_text, "upload-colourway": colourway})


def _order(product) -> list[str]:
    return list(ProductImage.objects.filter(product=product).order_by("position").values_list("alt_text", flat=True))


def _stored_files() -> int:
    return default_storage.files_collection.count_documents({})


def test_several_images_upload_at_once_into_gridfs_in_the_order_chosen(manager):
    product = product_create()
    colourway = variant_create(product=product).colourway

    response = _upload(manager, product, [_jpeg("front.jpg", "red"), _jpeg("back.jpg", "blue")],
                       colourway=str(colourway.pk))

    assert response.status_code == 302
    images = list(ProductImage.objects.filter(product=product).order_by("position"))
    assert [(i.position, i.alt_text, i.colourway_id, i.width) for i in images] == [
        (0, "Front view", colourway.pk, 300), (1, "Front view", colourway.pk, 300)]
    with default_storage.open(images[0].image) as first, default_storage.open(images[1].image) as second:
        assert Image.open(first).getpixel((5, 5))[0] > 200 and Image.open(second).getpixel((5, 5))[2] > 200
    page = manager.get(f"/staff/catalogue/products/{product.pk}/images/").content.decode()
    assert page.count('class="image-tile"') == 2 and f'src="/files/{images[0].thumbnail}"' in page


@pytest.mark.parametrize(("files", "alt_text", "message"), [
    (lambda: [_jpeg("front.jpg"), _gif("dancing.gif")], "Front",
     "dancing.gif: This file is a GIF image; upload a JPEG, PNG or WebP image."),
    (lambda: [SimpleUploadedFile("notes.jpg", b"just text", content_type="image/jpeg")], "Front",
     "notes.jpg: This file is not a JPEG, PNG or WebP image; upload one of those."),
    (lambda: [], "Front", "Choose one or more images."),
    (lambda: [_jpeg("front.jpg")], "", "This field is required."),
])
def test_a_batch_with_an_invalid_file_says_which_and_stores_nothing(manager, files, alt_text, message):
    product = product_create()
    before = _stored_files()

    response = _upload(manager, product, files(), alt_text=alt_text)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProductImage.objects.count() == 0
    assert _stored_files() == before


def _three_images(client, product) -> dict:
    for name in ("A", "B", "C"):
        _upload(client, product, [_jpeg(f"{name}.jpg")], alt_text=name)
    return {image.alt_text: str(image.pk) for image in ProductImage.objects.filter(product=product)}


def test_the_order_posted_by_htmx_is_saved_and_the_gallery_comes_back(manager):
    product = product_create()
    ids = _three_images(manager, product)

    response = manager.post(f"/staff/catalogue/products/{product.pk}/images/order/",
                            {"image_order": [ids["C"], ids["A"], ids["B"]]}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="image-gallery">')
    assert _order(product) == ["C", "A", "B"]
    assert html.index(ids["C"]) < html.index(ids["A"]) < html.index(ids["B"])


def test_the_move_buttons_reorder_without_javascript(manager):
    product = product_create()
    ids = _three_images(manager, product)
    current = [ids["A"], ids["B"], ids["C"]]

    later = manager.post(f"/staff/catalogue/products/{product.pk}/images/order/",
                         {"image_order": current, "move": f"{ids['A']}:1"})
    manager.post(f"/staff/catalogue/products/{product.pk}/images/order/",
                 {"image_order": [ids["B"], ids["A"], ids["C"]], "move": f"{ids['C']}:-1"})

    assert later.status_code == 302 and later["Location"] == f"/staff/catalogue/products/{product.pk}/images/"
    assert _order(product) == ["B", "C", "A"]


def test_a_stale_order_is_refused_with_a_message_and_changes_nothing(manager):
    product = product_create()
    ids = _three_images(manager, product)

    response = manager.post(f"/staff/catalogue/products/{product.pk}/images/order/",
                            {"image_order": [ids["C"], ids["A"]]}, HTTP_HX_REQUEST="true")

    assert "The gallery changed since this page was opened" in response.content.decode()
    assert _order(product) == ["A", "B", "C"]


def test_deleting_an_image_removes_it_and_its_files(manager):
    product = product_create()
    ids = _three_images(manager, product)
    doomed = ProductImage.objects.get(pk=ids["B"])

    response = manager.post(f"/staff/catalogue/products/images/{ids['B']}/delete/")

    assert response.status_code == 302 and response["Location"] == f"/staff/catalogue/products/{product.pk}/images/"
    assert _order(product) == ["A", "C"]
    assert not default_storage.exists(doomed.image) and not default_storage.exists(doomed.thumbnail)
    assert manager.post(f"/staff/catalogue/products/images/{ids['B']}/delete/").status_code == 404


def test_a_role_without_manage_catalogue_cannot_upload_reorder_or_delete(manager):
    product = product_create()
    ids = _three_images(manager, product)
    agent = staff_client("support_agent", "agent@example.com")

    refusals = [
        _upload(agent, product, [_jpeg("front.jpg")]).status_code,
        agent.post(f"/staff/catalogue/products/{product.pk}/images/order/",
                   {"image_order": [ids["C"], ids["B"], ids["A"]]}).status_code,
        agent.post(f"/staff/catalogue/products/images/{ids['A']}/delete/").status_code,
    ]

    assert refusals == [403, 403, 403]
    assert _order(product) == ["A", "B", "C"]
