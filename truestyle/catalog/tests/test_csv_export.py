"""catalog_csv_lines: the catalogue as CSV, which the import takes back unchanged."""

import csv
import io

import pytest

from truestyle.catalog.models import CatalogImport, Product, StockMovement, Variant
from truestyle.catalog.services.csv_export import catalog_csv_lines
from truestyle.catalog.services.csv_format import COLUMNS
from truestyle.catalog.services.csv_transfer import catalog_import_start
from truestyle.catalog.tests.csv_helpers import csv_text, existing_product, ledger_holds, store_create, upload
from truestyle.catalog.tests.factories import product_create, variant_create


@pytest.fixture
def store(db):
    store_create()


def _export(**kwargs) -> str:
    return "".join(catalog_csv_lines(**kwargs))


def _import(text: str) -> CatalogImport:
    return CatalogImport.objects.get(pk=catalog_import_start(actor=None, upload=upload(text)).pk)


def _catalogue() -> None:
    """Two products, one with two colours, one without variants; text that looks like a formula."""
    shirt = existing_product()
    variant_create(product=shirt, colour="Indigo", size="L", stock=4, sku="OXF-IND-L")
    variant_create(product=shirt, colour="White", hex="#FFFFFF", size="S", stock=0, sku="OXF-WHT-S")
    kurta = product_create(name="Linen Kurta", brand="Sutra", category="women", price="2499.50", mrp="2499.50",
                           tags=["linen", "festive"], description="- Breathable linen\n- Relaxed fit",
                           care='=HYPERLINK("http://example.com")', is_featured=True, is_active=False)
    kurta.occasions.set([])


def test_the_export_has_a_header_and_one_row_per_variant(store):
    _catalogue()

    text = _export(bom=False)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert [(r[0], r[14], r[15], r[16], r[18]) for r in rows[1:]] == [
        ("linen-kurta", "", "", "", ""),
        ("oxford-shirt", "OXF-IND-M", "M", "Indigo", "10"),
        ("oxford-shirt", "OXF-IND-L", "L", "Indigo", "4"),
        ("oxford-shirt", "OXF-WHT-S", "S", "White", "0"),
    ]
    kurta = dict(zip(COLUMNS, rows[1]))
    assert (kurta["mrp"], kurta["price"], kurta["tags"], kurta["active"], kurta["featured"]) == (
        "2499.50", "2499.50", "festive|linen", "no", "yes")
    # A cell a spreadsheet would run as a formula is exported as text.
    assert (kurta["description"], kurta["care"]) == ("'- Breathable linen\n- Relaxed fit",
                                                    "'=HYPERLINK(\"http://example.com\")")
    assert text.count("\r\n") == 5  # the header and four rows; the description keeps its own "\\n"


def test_the_file_starts_with_a_byte_order_mark_for_spreadsheets(store):
    assert _export().startswith("\ufeffslug,name,brand,")


def test_the_export_round_trips_through_the_import_unchanged(store):
    _catalogue()
    exported = _export()
    movements = StockMovement.objects.count()

    job = _import(exported)

    assert (job.status, job.report) == ("done", [])
    assert (job.products_created, job.products_updated, job.variants_created, job.variants_updated) == (0, 0, 0, 0)
    assert StockMovement.objects.count() == movements
    assert _export() == exported
    kurta = Product.objects.get(slug="linen-kurta")
    assert (kurta.description, kurta.care) == ("- Breathable linen\n- Relaxed fit", '=HYPERLINK("http://example.com")')


def test_an_edited_export_changes_exactly_what_was_edited(store):
    _catalogue()
    rows = list(csv.DictReader(io.StringIO(_export(bom=False))))
    for line in rows:
        if line["slug"] == "oxford-shirt":
            line["price"] = "1399.00"
        if line["sku"] == "OXF-WHT-S":
            line["stock"] = "6"

    job = _import(csv_text(rows))

    assert (job.status, job.products_updated, job.variants_updated) == ("done", 1, 1)
    assert str(Product.objects.get(slug="oxford-shirt").price) == "1399.00"
    assert Variant.objects.get(sku="OXF-WHT-S").stock == 6
    assert ledger_holds()


def test_the_export_can_be_narrowed_to_some_products(store):
    _catalogue()

    text = _export(products=Product.objects.filter(is_active=True), bom=False)

    assert [line["sku"] for line in csv.DictReader(io.StringIO(text))] == ["OXF-IND-M", "OXF-IND-L", "OXF-WHT-S"]


def test_an_empty_catalogue_exports_only_the_header(store):
    assert _export(bom=False) == ",".join(COLUMNS) + "\r\n"
    assert csv_text([]) == _export(bom=False)
