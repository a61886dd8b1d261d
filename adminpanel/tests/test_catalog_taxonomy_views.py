"""The staff taxonomy pages: lists with search, create/edit/delete, and the size-chart grid without JavaScript."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import Brand, Category, Occasion, ProductType
from truestyle.catalog.tests.factories import (
    occasion_create,
    product_create,
    product_type_create,
    variant_create,
)

BASE = "/staff/catalogue/taxonomy"


@pytest.fixture
def staff(db):
    manager = user_create(email="catalogue@example.com")
    manager.groups.add(Group.objects.get(name="catalogue_manager"))
    client = Client()
    client.force_login(manager)
    return client


def _text(response) -> str:
    return response.content.decode()


def test_the_index_counts_each_kind(staff):
    Brand.objects.create(name="Loom", slug="loom")
    Brand.objects.create(name="Weave", slug="weave")
    occasion_create("Office")

    body = _text(staff.get(f"{BASE}/"))

    assert '<a href="/staff/catalogue/taxonomy/brands/">Brands</a> <span class="muted">(2)</span>' in body
    assert '<a href="/staff/catalogue/taxonomy/occasions/">Occasions</a> <span class="muted">(1)</span>' in body
    assert '<a href="/staff/catalogue/taxonomy/categories/">Categories</a> <span class="muted">(0)</span>' in body


def test_the_brand_list_searches_by_name_and_htmx_gets_only_the_results(staff):
    product_create(name="Oxford Shirt", brand="Loom")
    Brand.objects.create(name="Weave", slug="weave")

    full = staff.get(f"{BASE}/brands/?q=lo")
    fragment = staff.get(f"{BASE}/brands/?q=lo", headers={"HX-Request": "true"})

    assert "1 brand matching “lo”" in _text(full) and "<h1>Brands</h1>" in _text(full)
    assert ">Loom</a></td>" in _text(full) and "Weave" not in _text(full)
    assert _text(fragment).strip().startswith('<div id="taxonomy-results">')
    assert "<h1>" not in _text(fragment) and ">Loom</a></td>" in _text(fragment)


def test_the_category_list_draws_the_tree_in_path_order(staff):
    men = Category.objects.create(name="Men", slug="men", path="men")
    Category.objects.create(name="Women", slug="women", path="women")
    Category.objects.create(name="Shirts", slug="shirts", path="men/shirts", parent=men, depth=1)

    body = _text(staff.get(f"{BASE}/categories/"))

    assert body.index(">Men</a>") < body.index(">Shirts</a>") < body.index(">Women</a>")
    assert '<tr class="depth-1">' in body and "└" in body


def test_adding_a_brand_redirects_to_the_list_with_a_message(staff):
    response = staff.post(f"{BASE}/brands/new/", {"name": "Loom", "description": "Cotton", "is_active": "on"},
                          follow=True)

    assert response.redirect_chain == [(f"{BASE}/brands/", 302)]
    assert "Brand Loom added." in _text(response)
    assert list(Brand.objects.values_list("name", "slug", "description", "is_active")) == [
        ("Loom", "loom", "Cotton", True)]


def test_a_brand_form_with_errors_saves_nothing(staff):
    Brand.objects.create(name="Loom", slug="loom")

    blank = staff.post(f"{BASE}/brands/new/", {"name": ""})
    duplicate = staff.post(f"{BASE}/brands/new/", {"name": "Loom"})

    assert blank.status_code == 400 and 'id="id_name_error">This field is required.' in _text(blank)
    assert duplicate.status_code == 400
    assert 'id="id_name_error">A brand with this name or slug already exists.' in _text(duplicate)
    assert Brand.objects.count() == 1


def test_editing_a_category_offers_parents_outside_its_subtree(staff):
    men = Category.objects.create(name="Men", slug="men", path="men")
    shirts = Category.objects.create(name="Shirts", slug="shirts", path="men/shirts", parent=men, depth=1)
    women = Category.objects.create(name="Women", slug="women", path="women")

    form = staff.get(f"{BASE}/categories/{men.pk}/").context["form"]
    response = staff.post(f"{BASE}/categories/{shirts.pk}/", {"name": "Shirts", "parent": str(women.pk),
                                                              "position": "2", "is_active": "on"})

    assert [label for _, label in form.fields["parent"].choices] == ["— None (top level) —", "Women"]
    assert response.status_code == 302
    moved = Category.objects.get(pk=shirts.pk)
    assert (moved.path, moved.parent_id, moved.depth, moved.position) == ("women/shirts", women.pk, 1, 2)


def test_an_occasion_can_be_renamed(staff):
    occasion = occasion_create("Office")

    response = staff.post(f"{BASE}/occasions/{occasion.pk}/", {"name": "Work", "slug": "work", "position": "1"})

    assert response.status_code == 302
    assert list(Occasion.objects.values_list("name", "slug", "position")) == [("Work", "work", 1)]


def test_an_unknown_id_is_not_found(staff):
    assert staff.get(f"{BASE}/brands/64b000000000000000000000/").status_code == 404
    assert staff.get(f"{BASE}/brands/not-an-id/delete/").status_code == 404


def _grid(**fields):
    """A product-type form as the browser posts it: sizes S, M by one measurement, Chest."""
    data = {"name": "Shirt", "slug": "", "unit": "cm", "how_to_measure": "Measure flat.", "sizes-count": "2",
            "measurements-count": "1", "size-0": "S", "size-1": "M", "measurement-0": "Chest",
            "value-0-0": "96", "value-1-0": "101", "action": "save"}
    data.update(fields)
    return data


def test_adding_a_size_row_without_javascript_re_renders_the_page_and_saves_nothing(staff):
    shirt = product_type_create(name="Shirt", sizes=["S", "M"])
    before = ProductType.objects.get(pk=shirt.pk).size_chart

    response = staff.post(f"{BASE}/product-types/{shirt.pk}/", _grid(action="add-size", **{"value-1-0": "abc"}))

    grid = response.context["grid"]
    assert response.status_code == 200 and "<h1>Edit product type Shirt</h1>" in _text(response)
    assert (grid.sizes, grid.measurements, grid.values) == (["S", "M", ""], ["Chest"], [["96"], ["abc"], [""]])
    assert 'name="size-2" value=""' in _text(response) and 'class="field-error"' not in _text(response)
    assert ProductType.objects.get(pk=shirt.pk).size_chart == before


def test_htmx_grid_changes_return_only_the_grid(staff):
    add = staff.post(f"{BASE}/product-types/new/", _grid(action="add-measurement"), headers={"HX-Request": "true"})
    remove = staff.post(f"{BASE}/product-types/new/", _grid(action="remove-size-0"), headers={"HX-Request": "true"})

    assert _text(add).strip().startswith('<div id="size-chart-grid">')
    assert 'name="measurement-1" value="" placeholder="e.g. Chest"' in _text(add)
    assert 'id="id_measurement-1"' in _text(add) and "autofocus" in _text(add)
    assert remove.context["grid"].sizes == ["M"] and remove.context["grid"].values == [["101"]]
    assert ProductType.objects.count() == 0


def test_saving_a_bad_chart_marks_each_cell_and_saves_nothing(staff):
    shirt = product_type_create(name="Shirt", sizes=["S", "M"])
    before = ProductType.objects.get(pk=shirt.pk).size_chart

    response = staff.post(f"{BASE}/product-types/{shirt.pk}/", _grid(**{"size-1": "s", "value-0-0": "ninety"}))

    body = _text(response)
    assert response.status_code == 400
    assert 'id="id_size-1_error">s is listed twice.</p>' in body
    assert 'id="id_value-0-0_error">Enter a number, e.g. 96 or 96.5.</p>' in body
    assert 'aria-invalid="true" aria-describedby="id_value-0-0_error"' in body
    assert "nothing was saved" in body
    assert ProductType.objects.get(pk=shirt.pk).size_chart == before


def test_a_missing_name_still_shows_the_bad_cells(staff):
    response = staff.post(f"{BASE}/product-types/new/", _grid(name="", **{"value-1-0": "-3"}))

    assert response.status_code == 400
    assert 'id="id_name_error">This field is required.' in _text(response)
    assert 'id="id_value-1-0_error">Enter a measurement above zero.</p>' in _text(response)
    assert ProductType.objects.count() == 0


def test_saving_a_good_chart_stores_it(staff):
    response = staff.post(f"{BASE}/product-types/new/", _grid(**{
        "sizes-count": "3", "size-2": "L", "measurements-count": "2", "measurement-1": "Length",
        "value-0-1": "70", "value-1-1": "72", "value-2-0": "106", "value-2-1": "74.5", "unit": "in"}))

    assert response.status_code == 302 and response["Location"] == f"{BASE}/product-types/"
    stored = ProductType.objects.get()
    assert (stored.name, stored.sizes) == ("Shirt", ["S", "M", "L"])
    assert stored.size_chart == {
        "unit": "in", "sizes": ["S", "M", "L"], "how_to_measure": "Measure flat.",
        "measurements": [{"name": "Chest", "values": {"S": 96.0, "M": 101.0, "L": 106.0}},
                         {"name": "Length", "values": {"S": 70.0, "M": 72.0, "L": 74.5}}]}


def test_the_edit_page_shows_the_stored_chart(staff):
    shirt = product_type_create(name="Shirt", sizes=["S", "M"])

    grid = staff.get(f"{BASE}/product-types/{shirt.pk}/").context["grid"]

    assert (grid.sizes, grid.measurements, grid.values) == (["S", "M"], ["Chest"], [["86"], ["91"]])


def test_deleting_asks_first_then_deletes(staff):
    brand = Brand.objects.create(name="Weave", slug="weave")

    confirm = staff.get(f"{BASE}/brands/{brand.pk}/delete/")
    response = staff.post(f"{BASE}/brands/{brand.pk}/delete/", follow=True)

    assert "<h1>Delete brand Weave?</h1>" in _text(confirm) and "Delete Weave</button>" in _text(confirm)
    assert Brand.objects.count() == 0
    assert "Brand Weave deleted." in _text(response)


def test_deleting_an_item_in_use_is_refused_with_the_reason(staff):
    product_create(name="Oxford Shirt", brand="Loom")
    brand = Brand.objects.get()
    message = "Loom is used by 1 product. Move it to another brand before deleting it."

    confirm = staff.get(f"{BASE}/brands/{brand.pk}/delete/")
    refused = staff.post(f"{BASE}/brands/{brand.pk}/delete/")

    assert message in _text(confirm) and "</button>" not in _text(confirm).split("<main")[1]
    assert refused.status_code == 409 and message in _text(refused)
    assert Brand.objects.count() == 1


def test_a_change_shows_at_once_in_the_cached_shop_listing(staff):
    variant_create(product=product_create(name="Oxford Shirt", brand="Loom"), size="M", stock=2)
    shopper = Client()
    assert "Loom" in _text(shopper.get("/shop/"))  # now cached for anonymous shoppers

    staff.post(f"{BASE}/brands/{Brand.objects.get().pk}/", {"name": "Loom Studio", "slug": "loom", "is_active": "on"})

    assert "Loom Studio" in _text(shopper.get("/shop/"))
