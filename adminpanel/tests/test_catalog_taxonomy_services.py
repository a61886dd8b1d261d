"""The taxonomy services behind the staff pages: saves, the size-chart rules, and refusals that write nothing."""

import pytest

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.catalog.cache import catalog_cache_version
from truestyle.catalog.models import Brand, Category, Occasion, Product, ProductType
from truestyle.catalog.services.taxonomy import (
    brand_save,
    category_save,
    product_type_save,
    size_chart_clean,
    taxonomy_delete,
)
from truestyle.catalog.tests.factories import occasion_create, product_create, product_type_create, variant_create
from truestyle.core.errors import Conflict, StoreError


@pytest.fixture
def actor(db):
    return user_create(email="catalogue@example.com")


def test_brand_save_creates_a_brand_and_moves_the_catalogue_cache_on(actor):
    version = catalog_cache_version()

    brand = brand_save(actor=actor, values={"name": " Loom & Co ", "description": "Hand-loomed cotton"})

    assert (brand.name, brand.slug, brand.description, brand.is_active) == (
        "Loom & Co", "loom-co", "Hand-loomed cotton", True)
    assert catalog_cache_version() == version + 1
    assert AuditEntry.objects.get().action == "brand.save"


def test_brand_save_refuses_a_duplicate_name_and_writes_nothing(actor):
    brand_save(actor=actor, values={"name": "Loom"})
    version = catalog_cache_version()

    with pytest.raises(StoreError) as refused:
        brand_save(actor=actor, values={"name": "Loom"})

    assert refused.value.fields == {"name": ["A brand with this name or slug already exists."]}
    assert list(Brand.objects.values_list("name", flat=True)) == ["Loom"]
    assert catalog_cache_version() == version
    assert AuditEntry.objects.count() == 1


def test_category_save_moves_the_subtree_with_it(actor):
    men = category_save(actor=actor, values={"name": "Men"})
    women = category_save(actor=actor, values={"name": "Women"})
    shirts = category_save(actor=actor, values={"name": "Shirts", "parent": men})
    category_save(actor=actor, values={"name": "Formal", "parent": shirts})

    category_save(actor=actor, values={"name": "Shirts", "parent": women}, category=shirts)

    assert list(Category.objects.order_by("path").values_list("path", "depth")) == [
        ("men", 0), ("women", 0), ("women/shirts", 1), ("women/shirts/formal", 2)]


def test_category_save_refuses_a_parent_inside_itself_and_writes_nothing(actor):
    men = category_save(actor=actor, values={"name": "Men"})
    shirts = category_save(actor=actor, values={"name": "Shirts", "parent": men})
    version = catalog_cache_version()

    with pytest.raises(StoreError) as refused:
        category_save(actor=actor, values={"name": "Men", "parent": shirts}, category=Category.objects.get(pk=men.pk))

    assert refused.value.fields == {"parent": ["Choose a parent outside this category."]}
    assert list(Category.objects.order_by("path").values_list("path", "parent_id")) == [
        ("men", None), ("men/shirts", men.pk)]
    assert catalog_cache_version() == version


def test_size_chart_clean_takes_values_by_size_or_in_order_of_the_sizes():
    chart = {"unit": "in", "how_to_measure": " Measure flat. ",
             "measurements": [{"name": "Chest", "values": {"S": "38", "M": 40.5}},
                              {"name": "Length", "values": ["27", "28.5"]}]}

    assert size_chart_clean(chart, [" S", "M "]) == {
        "unit": "in", "sizes": ["S", "M"], "how_to_measure": "Measure flat.",
        "measurements": [{"name": "Chest", "values": {"S": 38.0, "M": 40.5}},
                         {"name": "Length", "values": {"S": 27.0, "M": 28.5}}]}


def test_size_chart_clean_names_every_bad_cell_at_once():
    chart = {"unit": "mm", "measurements": [{"name": "Chest", "values": ["96", "abc", "", "-2"]},
                                            {"name": "chest", "values": ["nan", "1200", "70", "71"]},
                                            {"name": " ", "values": ["1", "2", "3", "4"]}]}

    with pytest.raises(StoreError) as refused:
        size_chart_clean(chart, ["S", "M", "s", ""])

    assert refused.value.fields == {
        "sizes.2": ["s is listed twice."],
        "sizes.3": ["Enter a size."],
        "unit": ["Choose cm or in."],
        "measurements.0.values.1": ["Enter a number, e.g. 96 or 96.5."],
        "measurements.0.values.2": ["Enter a value."],
        "measurements.0.values.3": ["Enter a measurement above zero."],
        "measurements.1.name": ["chest is listed twice."],
        "measurements.1.values.0": ["Enter a number, e.g. 96 or 96.5."],
        "measurements.1.values.1": ["Enter a measurement below 1000."],
        "measurements.2.name": ["Name this measurement."],
    }


def test_product_type_save_stores_the_sizes_and_the_chart(actor):
    version = catalog_cache_version()

    product_type = product_type_save(actor=actor, values={
        "name": "Kurta", "sizes": ["S", "M"],
        "size_chart": {"unit": "cm", "how_to_measure": "Chest under the arms.",
                       "measurements": [{"name": "Chest", "values": ["96", "101"]}]}})

    stored = ProductType.objects.get(pk=product_type.pk)
    assert (stored.name, stored.slug, stored.sizes) == ("Kurta", "kurta", ["S", "M"])
    assert stored.size_chart == {"unit": "cm", "sizes": ["S", "M"], "how_to_measure": "Chest under the arms.",
                                 "measurements": [{"name": "Chest", "values": {"S": 96.0, "M": 101.0}}]}
    assert catalog_cache_version() == version + 1


def test_product_type_save_with_a_bad_cell_writes_nothing(actor):
    shirt = product_type_create(name="Shirt", sizes=["S", "M"])
    before = ProductType.objects.get(pk=shirt.pk).size_chart
    version = catalog_cache_version()

    with pytest.raises(StoreError) as refused:
        product_type_save(actor=actor, product_type=shirt, values={
            "name": "", "sizes": ["S", "M", "L"],
            "size_chart": {"unit": "cm", "measurements": [{"name": "Chest", "values": ["86", "91", "ninety"]}]}})

    assert refused.value.fields == {"name": ["This field is required."],
                                    "measurements.0.values.2": ["Enter a number, e.g. 96 or 96.5."]}
    stored = ProductType.objects.get(pk=shirt.pk)
    assert (stored.name, stored.sizes, stored.size_chart) == ("Shirt", ["S", "M"], before)
    assert catalog_cache_version() == version
    assert AuditEntry.objects.count() == 0


def test_product_type_save_refuses_to_drop_a_size_that_variants_use(actor):
    shirt = product_type_create(name="Shirt", sizes=["S", "M", "L"])
    oxford = product_create(name="Oxford Shirt", product_type=shirt)
    variant_create(product=oxford, colour="Indigo", size="L")
    variant_create(product=oxford, colour="White", size="L")
    variant_create(product=oxford, colour="White", size="M")
    chart = {"unit": "cm", "measurements": [{"name": "Chest", "values": ["86", "91"]}]}

    with pytest.raises(StoreError) as refused:
        product_type_save(actor=actor, product_type=shirt, values={"name": "Shirt", "sizes": ["S", "M"],
                                                                   "size_chart": chart})

    assert refused.value.fields == {"sizes": ["Products of this type still use L (2 variants); keep those sizes."]}
    assert ProductType.objects.get(pk=shirt.pk).sizes == ["S", "M", "L"]

    # Dropping the unused S is allowed.
    saved = product_type_save(actor=actor, product_type=shirt, values={"name": "Shirt", "sizes": ["M", "L"],
                                                                       "size_chart": chart})
    assert ProductType.objects.get(pk=saved.pk).sizes == ["M", "L"]


def test_taxonomy_delete_refuses_items_that_products_use_and_writes_nothing(actor):
    oxford = product_create(name="Oxford Shirt", brand="Loom", category="Shirts")
    office = occasion_create("Office")
    oxford.occasions.set([office])
    version = catalog_cache_version()
    refusals = {}

    for instance in (Brand.objects.get(), Category.objects.get(), office, ProductType.objects.get()):
        with pytest.raises(Conflict) as refused:
            taxonomy_delete(actor=actor, instance=instance)
        refusals[type(instance).__name__] = (refused.value.code, refused.value.message)

    assert refusals == {
        "Brand": ("in_use", "Loom is used by 1 product. Move it to another brand before deleting it."),
        "Category": ("in_use", "Shirts is used by 1 product. Move it to another category before deleting it."),
        "Occasion": ("in_use", "Office is used by 1 product. Take it off that product before deleting it."),
        "ProductType": ("in_use", "Shirt is used by 1 product. Move it to another product type before deleting it."),
    }
    assert (Brand.objects.count(), Category.objects.count(), Occasion.objects.count(),
            ProductType.objects.count()) == (1, 1, 1, 1)
    assert list(Product.objects.get(pk=oxford.pk).occasions.values_list("name", flat=True)) == ["Office"]
    assert catalog_cache_version() == version
    assert AuditEntry.objects.count() == 0


def test_taxonomy_delete_refuses_a_category_with_sub_categories(actor):
    men = category_save(actor=actor, values={"name": "Men"})
    category_save(actor=actor, values={"name": "Shirts", "parent": men})
    category_save(actor=actor, values={"name": "Kurtas", "parent": men})

    with pytest.raises(Conflict) as refused:
        taxonomy_delete(actor=actor, instance=men)

    assert refused.value.message == "Men has 2 sub-categories. Move or delete them before deleting it."
    assert Category.objects.count() == 3


def test_taxonomy_delete_removes_an_unused_item_and_records_it(actor):
    occasion = occasion_create("Festive")
    version = catalog_cache_version()

    taxonomy_delete(actor=actor, instance=occasion)

    assert Occasion.objects.count() == 0
    assert catalog_cache_version() == version + 1
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.before) == ("occasion.delete", "occasion", {"name": "Festive"})


def test_a_subtree_move_that_fails_halfway_leaves_every_path_as_it_was(actor, monkeypatch):
    men = category_save(actor=actor, values={"name": "Men"})
    women = category_save(actor=actor, values={"name": "Women"})
    shirts = category_save(actor=actor, values={"name": "Shirts", "parent": men})
    category_save(actor=actor, values={"name": "Formal", "parent": shirts})
    category_save(actor=actor, values={"name": "Casual", "parent": shirts})
    save = Category.save
    moved = []

    def save_then_fail(self, *args, **kwargs):
        if kwargs.get("update_fields") and moved:  # the second descendant
            raise RuntimeError("connection lost")
        save(self, *args, **kwargs)
        if kwargs.get("update_fields"):
            moved.append(self.path)

    monkeypatch.setattr(Category, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        category_save(actor=actor, values={"name": "Shirts", "parent": women},
                      category=Category.objects.get(pk=shirts.pk))

    assert len(moved) == 1  # one descendant had been written inside the transaction
    assert list(Category.objects.order_by("path").values_list("path", flat=True)) == [
        "men", "men/shirts", "men/shirts/casual", "men/shirts/formal", "women"]
