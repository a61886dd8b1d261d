"""Staff product pages: the list, the product form and the size × colour matrix editor."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from adminpanel.catalog.products import PRODUCTS_PER_PAGE
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import BackInStockRequest, Brand, Category, Colourway, Product, ProductType, StockMovement, Variant
from truestyle.catalog.tests.factories import occasion_create, product_create, product_type_create, variant_create


def staff_client(role: str, email: str) -> Client:
    user = user_create(email=email)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(db):
    return staff_client("catalogue_manager", "catalogue@example.com")


@pytest.fixture
def tee_type(db):
    return product_type_create(name="Tee", sizes=["S", "M", "L"])


def _product_post(**overrides) -> dict:
    brand = Brand.objects.get_or_create(name="Loom", defaults={"slug": "loom"})[0]
    category = Category.objects.get_or_create(path="tees", defaults={"name": "Tees", "slug": "tees"})[0]
    product_type = ProductType.objects.filter(slug="tee").first() or product_type_create(name="Tee", sizes=["S", "M", "L"])
    data = {"name": "Cotton Crew Tee", "slug": "", "description": "Soft jersey.", "material": "100% cotton",
            "care": "Machine wash cold", "brand": str(brand.pk), "category": str(category.pk),
            "product_type": str(product_type.pk), "occasions": [str(occasion_create("Casual").pk)],
            "mrp": "999.00", "price": "799.50", "tags": "Basics, summer ,", "is_active": "on"}
    return {**data, **overrides}


# -- list -----------------------------------------------------------------------------------------


def test_the_list_searches_by_name_and_sku_and_filters_by_brand_category_and_status(manager):
    oxford = product_create(name="Oxford Shirt", brand="Loom", category="Shirts")
    variant_create(product=oxford, sku="OXF-BLU-M")
    product_create(name="Linen Kurta", brand="Saanjh", category="Kurtas", is_active=False)
    kurtas = Category.objects.get(path="kurtas")
    Category.objects.create(name="Festive", slug="festive", path="kurtas/festive", parent=kurtas, depth=1)
    product_create(name="Silk Kurta", brand="Saanjh", category="Kurtas/Festive")
    saanjh = Brand.objects.get(name="Saanjh")

    def names(query: str) -> list[str]:
        html = manager.get(f"/staff/catalogue/products/?{query}").content.decode()
        return [p.name for p in Product.objects.order_by("name") if f">{p.name}</a>" in html]

    assert names("q=oxford") == ["Oxford Shirt"]
    assert names("q=oxf-blu") == ["Oxford Shirt"]
    assert names(f"brand={saanjh.pk}") == ["Linen Kurta", "Silk Kurta"]
    assert names(f"category={kurtas.pk}") == ["Linen Kurta", "Silk Kurta"]  # the subtree is included
    assert names("active=no") == ["Linen Kurta"]
    assert names(f"brand={saanjh.pk}&active=yes") == ["Silk Kurta"]
    assert names("brand=not-an-id") == ["Linen Kurta", "Oxford Shirt", "Silk Kurta"]


def test_the_list_is_paginated_and_htmx_gets_the_results_fragment(manager):
    shirt = product_type_create()
    for number in range(PRODUCTS_PER_PAGE + 1):
        product_create(name=f"Tee {number:02d}", product_type=shirt)

    first = manager.get("/staff/catalogue/products/?q=tee").content.decode()
    second = manager.get("/staff/catalogue/products/?q=tee&page=2", HTTP_HX_REQUEST="true").content.decode()

    assert f"{PRODUCTS_PER_PAGE + 1} products" in first and "Page 1 of 2" in first
    assert first.count(">Tee ") == PRODUCTS_PER_PAGE
    assert second.lstrip().startswith('<div id="product-results">') and "<html" not in second
    assert second.count(">Tee ") == 1 and "Page 2 of 2" in second


# -- create and edit ------------------------------------------------------------------------------


def test_creating_a_product_saves_every_field_and_leads_to_the_matrix(manager):
    data = _product_post()

    response = manager.post("/staff/catalogue/products/new/", data)

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/catalogue/products/{product.pk}/variants/"
    assert (product.name, product.slug, product.material, product.care) == (
        "Cotton Crew Tee", "cotton-crew-tee", "100% cotton", "Machine wash cold")
    assert (product.mrp, product.price, product.currency) == (Decimal("999.00"), Decimal("799.50"), "INR")
    assert product.tags == ["basics", "summer"]
    assert (product.is_active, product.is_featured) == (True, False)
    assert list(product.occasions.values_list("name", flat=True)) == ["Casual"]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"price": "1200.00"}, "price", "The selling price cannot be above the MRP."),
    ({"mrp": "0"}, "mrp", "Ensure this value is greater than or equal to 0.01."),
    ({"price": "12.345"}, "price", "Ensure that there are no more than 2 decimal places."),
    ({"name": ""}, "name", "This field is required."),
])
def test_an_invalid_product_is_refused_with_a_field_error_and_nothing_is_written(manager, overrides, field, message):
    response = manager.post("/staff/catalogue/products/new/", _product_post(**overrides))

    assert response.status_code == 400
    assert f'id="id_{field}_error">{message}</p>' in response.content.decode()
    assert Product.objects.count() == 0


def test_a_duplicate_slug_is_refused_on_the_slug_field(manager):
    product_create(name="Crew Tee", slug="crew-tee")

    response = manager.post("/staff/catalogue/products/new/", _product_post(slug="crew-tee"))

    assert response.status_code == 400
    assert 'id="id_slug_error">A product with this slug already exists.</p>' in response.content.decode()
    assert Product.objects.count() == 1


def test_editing_a_product_shows_its_values_and_saves_changes(manager):
    manager.post("/staff/catalogue/products/new/", _product_post())
    product = Product.objects.get()

    page = manager.get(f"/staff/catalogue/products/{product.pk}/").content.decode()
    response = manager.post(f"/staff/catalogue/products/{product.pk}/",
                            _product_post(name="Crew Tee", slug="cotton-crew-tee", price="699", is_active="",
                                          is_featured="on", occasions=[]))

    assert 'value="Cotton Crew Tee"' in page and 'value="basics, summer"' in page and 'value="799.50"' in page
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price, product.is_active, product.is_featured) == (
        "Crew Tee", Decimal("699.00"), False, True)
    assert product.occasions.count() == 0


def test_unknown_products_are_404(manager):
    assert manager.get("/staff/catalogue/products/not-an-id/").status_code == 404
    assert manager.get("/staff/catalogue/products/0123456789abcdef01234567/variants/").status_code == 404


def test_a_role_without_manage_catalogue_is_refused_and_nothing_is_written(db):
    client = staff_client("order_manager", "orders@example.com")

    response = client.post("/staff/catalogue/products/new/", _product_post())

    assert response.status_code == 403
    assert Product.objects.count() == 0


# -- the variant matrix ---------------------------------------------------------------------------


def _matrix_post(sizes, colours) -> dict:
    return {"matrix-sizes": sizes, "matrix-colour_name": [name for name, _ in colours],
            "matrix-colour_hex": [hex_value for _, hex_value in colours]}


def test_generating_a_matrix_makes_every_size_in_every_colour_with_no_stock(manager, tee_type):
    product = product_create(name="Crew Tee", product_type=tee_type)

    response = manager.post(f"/staff/catalogue/products/{product.pk}/variants/generate/",
                            _matrix_post(["M", "S"], [("Indigo", "#2e3a87"), ("Rust Red", "#b7410e"), ("", "#000000")]))

    assert response.status_code == 302
    cells = sorted(Variant.objects.filter(product=product).values_list("colourway__name", "size", "sku", "stock"))
    assert cells == [("Indigo", "M", "CREWTEE-INDIGO-M", 0), ("Indigo", "S", "CREWTEE-INDIGO-S", 0),
                     ("Rust Red", "M", "CREWTEE-RUSTRE-M", 0), ("Rust Red", "S", "CREWTEE-RUSTRE-S", 0)]
    assert list(Colourway.objects.filter(product=product).values_list("hex", flat=True)) == ["#2E3A87", "#B7410E"]
    page = manager.get(f"/staff/catalogue/products/{product.pk}/variants/").content.decode()
    assert page.index("<th scope=\"col\">S</th>") < page.index("<th scope=\"col\">M</th>")  # the type's size order


@pytest.mark.parametrize(("sizes", "colours", "message"), [
    ([], [("Indigo", "#2e3a87")], "Choose at least one size."),
    (["XXL"], [("Indigo", "#2e3a87")], "Select a valid choice. XXL is not one of the available choices."),
    (["S"], [("", "#2e3a87")], "Add at least one colour with a name."),
    (["S"], [("Indigo", "blue")], "Each colour needs a name and a hex value like #1A2B3C."),
])
def test_an_invalid_matrix_is_refused_and_nothing_is_made(manager, tee_type, sizes, colours, message):
    product = product_create(name="Crew Tee", product_type=tee_type)

    response = manager.post(f"/staff/catalogue/products/{product.pk}/variants/generate/", _matrix_post(sizes, colours))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Colourway.objects.count(), Variant.objects.count()) == (0, 0)


def _grid(product) -> dict:
    return {variant.sku: variant for variant in Variant.objects.filter(product=product)}


def _grid_post(variants: dict, **changes) -> dict:
    data = {}
    for sku, variant in variants.items():
        new_sku, threshold = changes.get(sku, (sku, variant.low_stock_threshold))
        data[f"sku-{variant.pk}"] = new_sku
        data[f"threshold-{variant.pk}"] = str(threshold)
    return data


def test_the_grid_saves_skus_and_thresholds_but_never_stock(manager, tee_type):
    product = product_create(name="Crew Tee", product_type=tee_type)
    small = variant_create(product=product, size="S", sku="TEE-S", stock=4)
    variant_create(product=product, size="M", sku="TEE-M")
    data = _grid_post(_grid(product), **{"TEE-S": ("tee-ind-s", 2), "TEE-M": ("TEE-IND-M", 5)})
    data[f"stock-{small.pk}"] = "40"  # not a field of the grid: ignored

    response = manager.post(f"/staff/catalogue/products/{product.pk}/variants/save/", data)

    assert response.status_code == 302
    assert sorted(Variant.objects.values_list("sku", "low_stock_threshold", "stock")) == [
        ("TEE-IND-M", 5, 0), ("TEE-IND-S", 2, 4)]
    assert StockMovement.objects.count() == 1  # only the factory's restock


def test_invalid_cells_are_marked_each_on_its_cell_and_nothing_is_saved(manager, tee_type):
    product = product_create(name="Crew Tee", product_type=tee_type)
    for size in ("S", "M", "L"):
        variant_create(product=product, size=size, sku=f"TEE-{size}")
    variant_create(product=product_create(name="Other Tee", product_type=tee_type), sku="TAKEN-SKU")
    variants = _grid(product)
    data = _grid_post(variants, **{"TEE-S": ("TEE-X", 1), "TEE-M": ("TEE-X", 1), "TEE-L": ("TAKEN-SKU", 1)})

    response = manager.post(f"/staff/catalogue/products/{product.pk}/variants/save/", data)
    invalid_threshold = manager.post(f"/staff/catalogue/products/{product.pk}/variants/save/",
                                     {**_grid_post(variants), f"threshold-{variants['TEE-S'].pk}": "-1"})

    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved" in html
    cells = html.split('class="matrix-cell')[1:]
    assert "field-error" not in cells[0]  # S keeps TEE-X: the first use of a SKU is fine
    assert "Use 3–40 capital letters, digits or dashes, unique per product." in cells[1]
    assert "Another variant already uses this SKU." in cells[2]
    assert invalid_threshold.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in invalid_threshold.content.decode()
    assert sorted(Variant.objects.filter(product=product).values_list("sku", "low_stock_threshold")) == [
        ("TEE-L", 3), ("TEE-M", 3), ("TEE-S", 3)]


def test_the_matrix_shows_stock_and_waiting_shoppers_per_cell(manager, tee_type):
    product = product_create(name="Crew Tee", product_type=tee_type)
    sold_out = variant_create(product=product, size="S", sku="TEE-S")
    variant_create(product=product, size="M", sku="TEE-M", stock=7)
    for email in ("asha@example.com", "ravi@example.com"):
        BackInStockRequest.objects.create(variant=sold_out, email=email)

    html = manager.get(f"/staff/catalogue/products/{product.pk}/variants/").content.decode()

    small, medium = html.split('class="matrix-cell')[1:3]
    assert f'>0</a> · 2 waiting</p>' in small and f'/stock/variants/{sold_out.pk}/' in small
    assert '>7</a></p>' in medium and "waiting" not in medium
