"""csv_validate and the import job: every problem reported with its row and column, nothing written
unless every row is valid, then products and variants created or updated by slug and SKU."""

from decimal import Decimal

import pytest

from truestyle.catalog.models import CatalogImport, Colourway, Product, StockMovement, Variant
from truestyle.catalog.services.csv_format import COLUMNS
from truestyle.catalog.services.csv_import import csv_validate
from truestyle.catalog.services.csv_transfer import catalog_import_start
from truestyle.catalog.tests.csv_helpers import (
    csv_text,
    existing_product,
    ledger_holds,
    ledger_sum,
    row,
    store_create,
    upload,
)
from truestyle.catalog.tests.factories import product_create, variant_create


@pytest.fixture
def store(db):
    store_create()


def _report(rows, columns=COLUMNS):
    return csv_validate(csv_text(rows, columns)).report


def _import(text, actor=None) -> CatalogImport:
    """Upload and run (tasks run inline in tests); returns the finished job."""
    job = catalog_import_start(actor=actor, upload=upload(text))
    return CatalogImport.objects.get(pk=job.pk)


def test_a_valid_file_creates_products_colours_and_variants_with_stock_from_the_ledger(store):
    text = csv_text([
        row(),
        row(sku="OXF-IND-L", size="L", stock="4", low_stock_threshold="2"),
        row(sku="OXF-WHT-M", colour="White", colour_hex="#ffffff", stock="0"),
        row(slug="linen-kurta", name="Linen Kurta", brand="sutra", category="men", occasions="Office|Party",
            tags="", featured="yes", mrp="2,499", price="₹1999.5", sku="KUR-SAG-S", size="S", colour="Sage",
            colour_hex="#9CAF88", stock="", low_stock_threshold=""),
    ])

    job = _import(text)

    assert (job.status, job.report, job.error_count) == ("done", [], 0)
    assert (job.products_created, job.products_updated, job.variants_created, job.variants_updated) == (2, 0, 4, 0)
    assert (job.total_rows, job.processed_rows, job.progress_percent) == (4, 4, 100)
    shirt = Product.objects.get(slug="oxford-shirt")
    assert (shirt.name, shirt.brand.slug, shirt.category.path, shirt.product_type.slug) == (
        "Oxford Shirt", "loom", "men/shirts", "shirt")
    assert (shirt.mrp, shirt.price, shirt.tags, shirt.is_active, shirt.is_featured) == (
        Decimal("1999.00"), Decimal("1499.00"), ["cotton", "office"], True, False)
    assert [o.name for o in shirt.occasions.all()] == ["Office"]
    assert sorted((c.name, c.hex) for c in Colourway.objects.filter(product=shirt)) == [
        ("Indigo", "#2E3A87"), ("White", "#FFFFFF")]
    assert sorted((v.sku, v.size, v.stock, v.low_stock_threshold) for v in Variant.objects.filter(product=shirt)) == [
        ("OXF-IND-L", "L", 4, 2), ("OXF-IND-M", "M", 10, 3), ("OXF-WHT-M", "M", 0, 3)]
    kurta = Product.objects.get(slug="linen-kurta")
    assert (kurta.mrp, kurta.price, kurta.is_featured, kurta.brand.name) == (
        Decimal("2499.00"), Decimal("1999.50"), True, "Sutra")
    assert sorted(o.name for o in kurta.occasions.all()) == ["Office", "Party"]
    assert Variant.objects.get(sku="KUR-SAG-S").stock == 0
    movements = sorted((m.variant.sku, m.delta, m.reason, m.note, m.reference) for m in StockMovement.objects.all())
    assert movements == [("OXF-IND-L", 4, "correction", "CSV import", f"import {job.pk}"),
                         ("OXF-IND-M", 10, "correction", "CSV import", f"import {job.pk}")]
    assert ledger_holds()


def test_an_existing_product_is_updated_by_slug_and_its_variants_by_sku(store):
    product = existing_product()
    variant_create(product=product, colour="Indigo", size="L", stock=5, sku="OXF-IND-L")
    text = csv_text([
        row(price="1299.00", stock="7"),  # sells 3 fewer than counted: a correction of -3
        # found by colour and size: its SKU is renamed
        row(price="1299.00", sku="OXF-IND-L2", size="L", stock="5", low_stock_threshold="1"),
    ])

    job = _import(text)

    assert job.report == []
    assert (job.status, job.products_created, job.products_updated, job.variants_created, job.variants_updated) == (
        "done", 0, 1, 0, 2)
    product.refresh_from_db()
    assert product.price == Decimal("1299.00")
    medium, large = Variant.objects.get(sku="OXF-IND-M"), Variant.objects.get(sku="OXF-IND-L2")
    assert (medium.stock, large.stock, large.low_stock_threshold) == (7, 5, 1)
    assert not Variant.objects.filter(sku="OXF-IND-L").exists()
    last = StockMovement.objects.filter(variant=medium).order_by("-created_at").first()
    assert (last.delta, last.reason, ledger_sum(medium)) == (-3, "correction", 7)
    assert StockMovement.objects.filter(variant=large).count() == 1  # the count already matched
    assert ledger_holds()


def test_importing_what_is_already_there_changes_nothing(store):
    existing_product()
    movements = StockMovement.objects.count()

    job = _import(csv_text([row()]))

    assert (job.status, job.products_created, job.products_updated, job.variants_created, job.variants_updated) == (
        "done", 0, 0, 0, 0)
    assert StockMovement.objects.count() == movements


def test_left_out_optional_columns_keep_the_current_values(store):
    product = existing_product()
    columns = ("slug", "name", "brand", "category", "product_type", "mrp", "price", "sku", "size", "colour",
               "colour_hex")

    job = _import(csv_text([row(name="Oxford Shirt Slim")], columns))

    assert (job.status, job.products_updated) == ("done", 1)
    product.refresh_from_db()
    assert (product.name, product.description, product.tags, [o.name for o in product.occasions.all()]) == (
        "Oxford Shirt Slim", "Soft cotton oxford.", ["cotton", "office"], ["Office"])
    assert Variant.objects.get(sku="OXF-IND-M").stock == 10


@pytest.mark.parametrize(("changes", "column", "message"), [
    ({"brand": "Acme"}, "brand", "Unknown brand “Acme”."),
    ({"category": "men/kurtas"}, "category", "Unknown category path “men/kurtas”."),
    ({"product_type": "Saree"}, "product_type", "Unknown product type “Saree”."),
    ({"occasions": "Office|Wedding"}, "occasions", "Unknown occasion “Wedding”."),
    ({"price": "cheap"}, "price", "Enter an amount in rupees, e.g. 1499.00."),
    ({"mrp": "0"}, "mrp", "Enter an amount above zero."),
    ({"price": "1499.999"}, "price", "Use at most two decimal places."),
    ({"price": "NaN"}, "price", "Enter an amount in rupees, e.g. 1499.00."),
    ({"mrp": "999.00"}, "price", "The selling price cannot be above the MRP."),
    ({"colour_hex": "#12345G"}, "colour_hex", "Enter a colour as #RRGGBB."),
    ({"colour_hex": "navy"}, "colour_hex", "Enter a colour as #RRGGBB."),
    ({"sku": "X1"}, "sku", "Use 3–40 capital letters, digits or dashes."),
    ({"size": "XXXL"}, "size", "“XXXL” is not a size of Shirt (XS, S, M, L, XL)."),
    ({"stock": "-2"}, "stock", "Enter a whole number of zero or more."),
    ({"low_stock_threshold": "2.5"}, "low_stock_threshold", "Enter a whole number of zero or more."),
    ({"active": "maybe"}, "active", "Enter yes or no."),
    ({"slug": "Oxford Shirt"}, "slug", "Use lowercase letters, digits and dashes, e.g. oxford-shirt."),
    ({"name": ""}, "name", "This field is required."),
    ({"sku": ""}, "sku", "This field is required."),
    ({"tags": "x" * 41}, "tags", "Keep each tag to 40 characters or fewer."),
])
def test_each_bad_cell_is_reported_with_its_row_and_column(store, changes, column, message):
    report = _report([row(slug="linen-kurta", name="Linen Kurta", sku="KUR-IND-S", size="S"), row(**changes)])

    assert report == [{"row": 3, "column": column, "message": message}]


def test_every_problem_of_the_file_is_reported_in_row_order(store):
    report = _report([row(brand="Acme", colour_hex="blue"), row(sku="OXF-IND-L", size="L", price="abc")])

    assert report == [
        {"row": 2, "column": "brand", "message": "Unknown brand “Acme”."},
        {"row": 2, "column": "colour_hex", "message": "Enter a colour as #RRGGBB."},
        {"row": 3, "column": "price", "message": "Enter an amount in rupees, e.g. 1499.00."},
    ]


def test_duplicate_skus_and_sizes_within_the_file_are_reported(store):
    report = _report([
        row(),
        row(slug="linen-kurta", name="Linen Kurta"),  # the same SKU on another product
        row(sku="OXF-IND-M2"),  # M in Indigo twice
        row(sku="OXF-IND-L", size="L", colour_hex="#000000"),  # Indigo with another hex
    ])

    assert report == [
        {"row": 3, "column": "sku", "message": "This SKU is also on row 2."},
        {"row": 4, "column": "size", "message": "Size M in Indigo is also on row 2."},
        {"row": 5, "column": "colour_hex", "message": "Differs from row 2 for the colour Indigo."},
    ]


def test_a_sku_of_another_product_or_of_another_size_is_refused(store):
    other = product_create(name="Linen Kurta", brand="Loom", category="men")
    variant_create(product=other, colour="Sage", size="S", sku="KUR-SAG-S")
    existing_product()

    report = _report([row(sku="KUR-SAG-S"), row(sku="OXF-IND-M", size="L")])

    assert report == [
        {"row": 2, "column": "sku", "message": "This SKU belongs to another product (“linen-kurta”)."},
        {"row": 3, "column": "sku",
         "message": "This SKU is size M in Indigo; a variant’s size and colour cannot change."},
    ]


def test_rows_of_one_product_must_agree_on_its_columns(store):
    report = _report([row(), row(sku="OXF-IND-L", size="L", name="Oxford", price="1399.00")])

    assert report == [
        {"row": 3, "column": "name", "message": "Differs from row 2, the first row of this product."},
        {"row": 3, "column": "price", "message": "Differs from row 2, the first row of this product."},
    ]


def test_header_problems_are_reported_on_row_one(store):
    columns = [c for c in COLUMNS if c not in ("sku", "price")] + ["colour", "weight"]

    report = _report([row()], columns)

    assert report == [
        {"row": 1, "column": "colour", "message": "This column appears more than once."},
        {"row": 1, "column": "weight", "message": f"Unknown column. The columns are: {', '.join(COLUMNS)}."},
        {"row": 1, "column": "price", "message": "Missing required column."},
        {"row": 1, "column": "sku", "message": "Missing required column."},
    ]


def test_headers_may_be_written_as_people_write_them(store):
    header = ",".join(c.replace("_", " ").title() for c in COLUMNS)
    text = header + csv_text([row()])[csv_text([row()]).index("\r\n"):]

    assert csv_validate(text).report == []


def test_a_row_with_the_wrong_number_of_cells_is_reported(store):
    text = csv_text([row()]) + "oxford-shirt,Oxford Shirt,Loom\r\n"

    assert csv_validate(text).report == [
        {"row": 3, "column": "", "message": f"This row has 3 cells; the header has {len(COLUMNS)}."}]


def test_a_file_with_only_a_header_or_too_many_rows_is_refused(store, settings):
    assert csv_validate(csv_text([])).report == [
        {"row": 1, "column": "", "message": "The file has no rows after the header."}]
    settings.CATALOG_IMPORT_MAX_ROWS = 2
    rows = [row(sku=f"OXF-IND-{size}", size=size) for size in ("S", "M", "L")]
    assert csv_validate(csv_text(rows)).report == [
        {"row": 1, "column": "", "message": "The file has 3 rows; import at most 2 at a time."}]


def test_an_invalid_row_means_nothing_at_all_is_imported(store):
    product = existing_product()
    movements = StockMovement.objects.count()
    text = csv_text([
        row(slug="linen-kurta", name="Linen Kurta", sku="KUR-SAG-S", size="S", colour="Sage"),  # valid, new
        row(price="999.00", stock="2"),  # valid change of the existing shirt
        row(price="999.00", sku="OXF-IND-L", size="L", colour_hex="#GGGGGG"),  # invalid
    ])

    job = _import(text)

    assert (job.status, job.error_count, job.progress_percent) == ("invalid", 1, 100)
    assert job.report == [{"row": 4, "column": "colour_hex", "message": "Enter a colour as #RRGGBB."}]
    assert (job.products_created, job.products_updated, job.variants_created, job.variants_updated) == (0, 0, 0, 0)
    assert list(Product.objects.values_list("slug", flat=True)) == ["oxford-shirt"]
    product.refresh_from_db()
    assert product.price == Decimal("1499.00")
    assert list(Variant.objects.values_list("sku", "stock")) == [("OXF-IND-M", 10)]
    assert StockMovement.objects.count() == movements


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty. Export the catalogue to get a file with the right columns."),
    ("slug,name\r\nchemise,Ch\u00e9mise\r\n".encode("latin-1"),
     "The file is not UTF-8 text (byte 22 cannot be read). Save it as “CSV UTF-8” and upload it again."),
    (b"PK\x03\x04\x00\x00", "The file is not a CSV text file. Save it as “CSV UTF-8” and upload it again."),
])
def test_an_empty_or_non_utf8_upload_is_refused_at_once(store, content, message):
    from truestyle.core.errors import StoreError

    with pytest.raises(StoreError) as refused:
        catalog_import_start(actor=None, upload=upload(content))

    assert refused.value.message == message
    assert CatalogImport.objects.count() == 0


def test_an_oversized_upload_is_refused_at_once(store, settings):
    from truestyle.core.errors import StoreError

    settings.CATALOG_IMPORT_MAX_BYTES = 1024
    with pytest.raises(StoreError) as refused:
        catalog_import_start(actor=None, upload=upload("x" * 1025))

    assert (refused.value.code, refused.value.message) == (
        "file_too_large", "The file is larger than 1 KB. Split it into smaller files.")
    assert CatalogImport.objects.count() == 0


def test_a_byte_order_mark_is_accepted(store):
    job = _import("\ufeff" + csv_text([row()]))

    assert (job.status, job.products_created) == ("done", 1)
