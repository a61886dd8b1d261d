"""The staff product pages in a real browser: create a product, generate its matrix, upload and reorder images."""

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.catalog.models import Brand, Category, Product, ProductImage
from truestyle.catalog.tests.factories import product_type_create

pytestmark = pytest.mark.browser


def _gallery_ids(page) -> list[str]:
    return page.locator("#image-gallery .image-tile").evaluate_all("items => items.map(item => item.dataset.id)")


def test_a_catalogue_manager_builds_a_product_and_drags_an_image_first(db, live_server, page, tmp_path):
    manager = user_create(email="catalogue@example.com")
    manager.groups.add(Group.objects.get(name="catalogue_manager"))
    Brand.objects.create(name="Loom", slug="loom")
    Category.objects.create(name="Tees", slug="tees", path="tees")
    product_type_create(name="Tee", sizes=["S", "M", "L"])
    files = []
    for name, colour in (("front.jpg", "red"), ("back.jpg", "navy")):
        Image.new("RGB", (300, 400), colour).save(tmp_path / name, "JPEG")
        files.append(str(tmp_path / name))

    # Sign in on the way to the new-product form.
    page.goto(live_server.url + "/staff/catalogue/products/new/")
    page.fill("#id_email", "catalogue@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/catalogue/products/new/")

    # Create the product.
    page.fill("#id_name", "Cotton Crew Tee")
    page.select_option("#id_brand", label="Loom")
    page.select_option("#id_category", label="Tees")
    page.select_option("#id_product_type", label="Tee")
    page.fill("#id_mrp", "999")
    page.fill("#id_price", "799.50")
    page.click("text=Create product")
    assert "Cotton Crew Tee is created" in page.locator(".messages").inner_text()
    product = Product.objects.get()

    # A 2 × 2 matrix: sizes S and M in two colours.
    page.check("#id_matrix-sizes_0")
    page.check("#id_matrix-sizes_1")
    page.fill("#colour-name-1", "Indigo")
    page.fill("#colour-hex-1", "#2e3a87")
    page.fill("#colour-name-2", "Rust")
    page.fill("#colour-hex-2", "#b7410e")
    page.click("text=Generate variants")
    assert "4 new variants created" in page.locator(".messages").inner_text()
    assert page.locator("#variant-grid .matrix-cell").count() == 4
    assert page.locator("#variant-grid tbody th").all_inner_texts() == ["Indigo\n#2E3A87", "Rust\n#B7410E"]

    # Two images in one upload.
    page.click("nav.staff-tabs >> text=Images")
    page.set_input_files("#id_upload-images", files)
    page.fill("#id_upload-alt_text", "Crew tee")
    page.click("#image-upload button[type=submit]")
    assert "2 images added" in page.locator(".messages").inner_text()
    first, second = (str(pk) for pk in ProductImage.objects.filter(product=product).order_by("position")
                     .values_list("pk", flat=True))
    assert _gallery_ids(page) == [first, second]

    # Drag the second image before the first; htmx saves the order.
    items = page.locator("#image-gallery .image-tile")
    with page.expect_response(lambda response: response.url.endswith("/images/order/")) as saved:
        items.nth(1).drag_to(items.nth(0))
    assert saved.value.status == 200
    page.wait_for_function(f"document.querySelector('#image-gallery .image-tile').dataset.id === '{second}'")

    page.reload()
    assert _gallery_ids(page) == [second, first]
    assert page.locator("#image-gallery .position").all_inner_texts() == ["1", "2"]
    assert list(ProductImage.objects.filter(product=product).order_by("position").values_list("pk", flat=True)) == [
        ProductImage.objects.get(pk=second).pk, ProductImage.objects.get(pk=first).pk]
