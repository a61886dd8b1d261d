"""The size-chart editor in a real browser: grow the grid with htmx, fix a bad cell, see the chart in the shop."""

import pytest
from django.contrib.auth.models import Group

from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.catalog.models import ProductType
from truestyle.catalog.tests.factories import product_create, product_type_create, variant_create

pytestmark = pytest.mark.browser


def test_a_catalogue_manager_adds_a_size_and_a_measurement_and_shoppers_see_them(db, live_server, page, browser):
    manager = user_create(email="catalogue@example.com", name="Cat Manager")
    manager.groups.add(Group.objects.get(name="catalogue_manager"))
    shirt = product_type_create(name="Shirt", sizes=["S", "M"])
    variant_create(product=product_create(name="Oxford Shirt", product_type=shirt), size="M", stock=3)
    editor = f"{live_server.url}/staff/catalogue/taxonomy/product-types/{shirt.pk}/"

    page.goto(editor)
    page.fill("#id_email", "catalogue@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(editor)
    page.evaluate("window.stillHere = true")

    page.click("text=+ Size")
    page.wait_for_selector("#id_size-2")
    assert page.evaluate("document.activeElement.id") == "id_size-2"  # the new row's input has the focus
    page.fill("#id_size-2", "L")
    page.fill("#id_value-2-0", "96")
    page.click("text=+ Measurement")
    page.wait_for_selector("#id_measurement-1")
    assert page.input_value("#id_size-2") == "L"  # what was typed survives the swap
    page.fill("#id_measurement-1", "Length")
    page.fill("#id_value-0-1", "70")
    page.fill("#id_value-1-1", "72")
    page.fill("#id_value-2-1", "seventy")
    assert page.evaluate("window.stillHere") is True  # htmx swapped the grid; the page never reloaded

    page.click("main .form-actions button[value=save]")
    assert page.locator("#id_value-2-1_error").inner_text() == "Enter a number, e.g. 96 or 96.5."
    assert ProductType.objects.get(pk=shirt.pk).sizes == ["S", "M"]  # nothing saved yet
    page.fill("#id_value-2-1", "74.5")
    page.click("main .form-actions button[value=save]")
    assert "Product type Shirt saved." in page.locator(".messages").inner_text()

    shopper = browser.new_context()
    try:
        shop = shopper.new_page()
        shop.goto(f"{live_server.url}/p/oxford-shirt/")
        chart = shop.locator("#size-chart table")
        assert chart.locator("thead th").all_inner_texts() == ["Size", "S", "M", "L"]
        rows = [row.locator("th, td").all_inner_texts() for row in chart.locator("tbody tr").all()]
        assert rows == [["Chest (cm)", "86", "91", "96"], ["Length (cm)", "70", "72", "74.5"]]
    finally:
        shopper.close()
