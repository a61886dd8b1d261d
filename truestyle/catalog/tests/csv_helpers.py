"""Test data for the catalogue CSV tests: a small store and CSV text built from rows."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from truestyle.catalog.models import Category, StockMovement, Variant
from truestyle.catalog.services.csv_format import COLUMNS
from truestyle.catalog.tests.factories import occasion_create, product_create, product_type_create

ROW = {
    "slug": "oxford-shirt", "name": "Oxford Shirt", "brand": "Loom", "category": "men/shirts",
    "product_type": "Shirt", "occasions": "Office", "description": "Soft cotton oxford.", "material": "Cotton",
    "care": "Machine wash cold", "mrp": "1999.00", "price": "1499.00", "tags": "cotton|office", "active": "yes",
    "featured": "no", "sku": "OXF-IND-M", "size": "M", "colour": "Indigo", "colour_hex": "#2E3A87", "stock": "10",
    "low_stock_threshold": "3",
}


def store_create() -> None:
    """Brand Loom, categories men and men/shirts, the Shirt type (XS–XL), occasions Office and Party."""
    from truestyle.catalog.models import Brand

    Brand.objects.create(name="Loom", slug="loom")
    Brand.objects.create(name="Sutra", slug="sutra")
    men = Category.objects.create(name="Men", slug="men", path="men")
    Category.objects.create(name="Shirts", slug="shirts", path="men/shirts", parent=men, depth=1)
    Category.objects.create(name="Women", slug="women", path="women")
    product_type_create()
    occasion_create("Office")
    occasion_create("Party")


def row(**changes) -> dict:
    return {**ROW, **changes}


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return buffer.getvalue()


def upload(content: str | bytes, name: str = "catalogue.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def ledger_sum(variant) -> int:
    return StockMovement.objects.filter(variant=variant).aggregate(total=Sum("delta"))["total"] or 0


def ledger_holds() -> bool:
    """Every variant's stock equals the sum of its ledger."""
    return all(v.stock == ledger_sum(v) for v in Variant.objects.all())


def existing_product():
    """The Oxford Shirt as ROW describes it, already in the store with 10 units of M in Indigo."""
    from truestyle.catalog.models import Brand, Occasion
    from truestyle.catalog.tests.factories import variant_create

    product = product_create(name="Oxford Shirt", brand="Loom", category="men/shirts", tags=["cotton", "office"],
                             description="Soft cotton oxford.", material="Cotton", care="Machine wash cold")
    product.brand = Brand.objects.get(slug="loom")
    product.category = Category.objects.get(path="men/shirts")
    product.save()
    product.occasions.set([Occasion.objects.get(name="Office")])
    variant_create(product=product, colour="Indigo", hex="#2E3A87", size="M", stock=10, sku="OXF-IND-M")
    return product
