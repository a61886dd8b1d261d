"""The catalogue as CSV, in the exact shape the import takes back (csv_format.COLUMNS).

A read, streamed: products are loaded a batch at a time, so a large catalogue never sits in memory
and the first bytes leave before the last product is read.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from truestyle.catalog.models import Colourway, Product, Variant
from truestyle.catalog.services.csv_format import COLUMNS, LIST_SEPARATOR, cell_escape

BATCH = 100
BOM = "\ufeff"  # spreadsheets read the file as UTF-8 only with it; the import skips it


class _Line:
    """csv.writer writes into this and gets the line back, so each row can be yielded as it is made."""

    def write(self, value: str) -> str:
        return value


def catalog_csv_lines(*, products: QuerySet | None = None, bom: bool = True) -> Iterator[str]:
    """The header, then one line per variant (one line for a product without variants), products by slug.

    `products` narrows the export (the staff product search, say); the default is the whole catalogue.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BOM if bom else "") + writer.writerow(COLUMNS)
    products = Product.objects.all() if products is None else products
    ids = list(products.order_by("slug").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch_ids = ids[start:start + BATCH]
        # Loaded by hand, four queries a batch: the backend cannot prefetch many-to-many relations.
        occasions = defaultdict(list)
        for link in Product.occasions.through.objects.filter(product_id__in=batch_ids).select_related("occasion"):
            occasions[link.product_id].append(link.occasion.name)
        colourways = {c.pk: c for c in Colourway.objects.filter(product_id__in=batch_ids)}
        variants = defaultdict(list)
        for variant in Variant.objects.filter(product_id__in=batch_ids):
            variant.colourway = colourways[variant.colourway_id]
            variants[variant.product_id].append(variant)
        products = (Product.objects.filter(pk__in=batch_ids).select_related("brand", "category", "product_type")
                    .order_by("slug"))
        for product in products:
            for row in product_csv_rows(product, occasions=occasions[product.pk], variants=variants[product.pk]):
                yield writer.writerow([cell_escape(cell) for cell in row])


def product_csv_rows(product: Product, *, occasions: list[str], variants: list[Variant]) -> list[list[str]]:
    common = [
        product.slug, product.name, product.brand.name, product.category.path, product.product_type.name,
        LIST_SEPARATOR.join(sorted(occasions)), product.description, product.material, product.care,
        f"{product.mrp:.2f}", f"{product.price:.2f}", LIST_SEPARATOR.join(sorted(product.tags)),
        "yes" if product.is_active else "no", "yes" if product.is_featured else "no",
    ]
    sizes = product.product_type.sizes
    # As the product page shows them: colour by colour, sizes in the size chart's order.
    variants = sorted(variants, key=lambda v: (v.colourway.position, v.colourway.name, v.position,
                                               sizes.index(v.size) if v.size in sizes else len(sizes), v.size))
    rows = [common + [v.sku, v.size, v.colourway.name, v.colourway.hex, str(v.stock), str(v.low_stock_threshold)]
            for v in variants]
    return rows or [common + [""] * 6]
