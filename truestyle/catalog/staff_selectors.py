"""Reads for the staff catalogue pages: product search, the variant matrix, images, stock and waitlists.

Kept apart from selectors.py (the shopper-facing listing) so each stays a readable size. Every
function runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bson import ObjectId
from django.db.models import F, Q, QuerySet

from truestyle.catalog.models import (
    BackInStockRequest,
    Category,
    Colourway,
    Product,
    ProductImage,
    StockMovement,
    Variant,
)


def _object_id_or_none(value) -> str | None:
    return str(value) if value and ObjectId.is_valid(str(value)) else None


def staff_product_search(*, q: str = "", brand_id: str = "", category_id: str = "", active: str = "") -> QuerySet:
    """Products for the staff list, newest first.

    `q` matches the name or slug (every word) or a variant's SKU; `category_id` includes its
    subtree; `active` is "yes", "no" or "" (any). Inactive products are listed too: staff must
    be able to find what shoppers cannot.
    """
    products = Product.objects.select_related("brand", "category").order_by("-created_at")
    words = [word for word in (q or "").split() if word][:6]
    if words:
        by_text = Q()
        for word in words:
            by_text &= Q(name__icontains=word) | Q(slug__icontains=word)
        # A separate query instead of a join: one SKU search must not multiply product rows.
        by_sku = list(Variant.objects.filter(sku__icontains=q.strip()).values_list("product_id", flat=True)[:200])
        products = products.filter(by_text | Q(pk__in=by_sku))
    if _object_id_or_none(brand_id):
        products = products.filter(brand_id=brand_id)
    category = Category.objects.filter(pk=category_id).first() if _object_id_or_none(category_id) else None
    if category is not None:
        products = products.filter(Q(category__path=category.path) | Q(category__path__startswith=category.path + "/"))
    if active == "yes":
        products = products.filter(is_active=True)
    elif active == "no":
        products = products.filter(is_active=False)
    return products


def product_stock_summaries(*, product_ids: list) -> dict:
    """{product id: {"variants", "stock", "low"}} for a page of products, in one query."""
    summaries = defaultdict(lambda: {"variants": 0, "stock": 0, "low": 0})
    for product_id, stock, threshold in Variant.objects.filter(product_id__in=product_ids).values_list(
            "product_id", "stock", "low_stock_threshold"):
        summary = summaries[product_id]
        summary["variants"] += 1
        summary["stock"] += stock
        summary["low"] += stock <= threshold
    return {product_id: summaries[product_id] for product_id in product_ids}


def waitlist_counts(*, variant_ids: list) -> dict:
    """{variant id: number of shoppers still waiting (not yet emailed)}; variants nobody waits for are absent."""
    if not variant_ids:
        return {}
    return dict(Counter(BackInStockRequest.objects.filter(variant_id__in=variant_ids, notified_at__isnull=True)
                        .values_list("variant_id", flat=True)))


def _size_sorter(sizes: list[str]):
    return lambda size: (sizes.index(size), "") if size in sizes else (len(sizes), size)


@dataclass
class MatrixRow:
    colourway: Colourway
    cells: list  # one Variant or None per size column


@dataclass
class VariantMatrix:
    sizes: list[str]
    rows: list[MatrixRow]
    variants: list[Variant] = field(default_factory=list)
    waiting: dict = field(default_factory=dict)


def variant_matrix(*, product: Product) -> VariantMatrix:
    """The product's variants as colour rows × size columns (sizes in the product type's order)."""
    variants = list(Variant.objects.filter(product=product))
    colourways = list(Colourway.objects.filter(product=product))
    type_sizes = list(product.product_type.sizes)
    sizes = sorted({variant.size for variant in variants}, key=_size_sorter(type_sizes))
    by_cell = {(variant.colourway_id, variant.size): variant for variant in variants}
    rows = [MatrixRow(colourway=colourway, cells=[by_cell.get((colourway.pk, size)) for size in sizes])
            for colourway in colourways]
    ordered = [cell for row in rows for cell in row.cells if cell is not None]
    return VariantMatrix(sizes=sizes, rows=rows, variants=ordered,
                         waiting=waitlist_counts(variant_ids=[variant.pk for variant in variants]))


def product_images_for_staff(*, product: Product) -> list[ProductImage]:
    return list(ProductImage.objects.filter(product=product).select_related("colourway").order_by("position", "pk"))


def product_image_for_staff(*, image_id) -> ProductImage | None:
    if not _object_id_or_none(image_id):
        return None
    return ProductImage.objects.select_related("product").filter(pk=image_id).first()


@dataclass
class StockRow:
    variant: Variant
    waiting: int


def _stock_rows(variants: list[Variant]) -> list[StockRow]:
    waiting = waitlist_counts(variant_ids=[variant.pk for variant in variants])
    return [StockRow(variant=variant, waiting=waiting.get(variant.pk, 0)) for variant in variants]


def low_stock_rows(*, limit: int = 200) -> list[StockRow]:
    """Variants at or below their low-stock threshold, emptiest first, with their waitlist counts."""
    variants = list(Variant.objects.filter(stock__lte=F("low_stock_threshold"))
                    .select_related("product", "colourway").order_by("stock", "sku")[:limit])
    return _stock_rows(variants)


def product_stock_rows(*, product: Product) -> list[StockRow]:
    """Every variant of a product (colour by colour, sizes in the type's order) with its waitlist count."""
    variants = list(Variant.objects.filter(product=product).select_related("product", "colourway"))
    by_size = _size_sorter(list(product.product_type.sizes))
    variants.sort(key=lambda v: (v.colourway.position, v.colourway.name, by_size(v.size)))
    return _stock_rows(variants)


def stock_row(*, variant_id) -> StockRow | None:
    variant = variant_for_staff(variant_id=variant_id)
    return _stock_rows([variant])[0] if variant is not None else None


def variant_for_staff(*, variant_id) -> Variant | None:
    if not _object_id_or_none(variant_id):
        return None
    return Variant.objects.select_related("product", "colourway").filter(pk=variant_id).first()


def variant_ledger(*, variant: Variant) -> QuerySet:
    """The variant's stock movements, newest first."""
    return StockMovement.objects.filter(variant=variant).order_by("-created_at", "-pk")


def ledger_total(*, variant: Variant) -> int:
    """The sum of the variant's ledger; equal to its stock unless something bypassed stock_adjust."""
    return sum(StockMovement.objects.filter(variant=variant).values_list("delta", flat=True))


def actor_emails(*, actor_ids: set[str]) -> dict:
    """{user id: email} for the people named in ledger rows."""
    from truestyle.accounts.models import User

    valid = [actor_id for actor_id in actor_ids if _object_id_or_none(actor_id)]
    if not valid:
        return {}
    return {str(pk): email for pk, email in User.objects.filter(pk__in=valid).values_list("pk", "email")}
