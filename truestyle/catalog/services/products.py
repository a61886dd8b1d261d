"""Products, their colourways and the size × colour variant matrix."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError
from django.utils.text import slugify

from truestyle.auditlog.services import audit_record
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import Brand, Category, Colourway, Occasion, Product, ProductType, StockMovement, Variant
from truestyle.catalog.services.stock import stock_adjust
from truestyle.core.errors import NotFound, StoreError

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
PRODUCT_TEXT_FIELDS = ("description", "material", "care")


def _money(value, field: str, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = ["Enter an amount in rupees, e.g. 1499.00."]
        return None
    if amount <= 0:
        errors[field] = ["Enter an amount above zero."]
        return None
    return amount


def product_save(*, actor, values: dict, product: Product | None = None) -> Product:
    """Create or update a product. Prices are Decimal INR; the selling price may not exceed the MRP."""
    errors: dict[str, list[str]] = {}
    product = product or Product()
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = ["This field is required."]
    mrp = _money(values.get("mrp"), "mrp", errors)
    price = _money(values.get("price"), "price", errors)
    if mrp is not None and price is not None and price > mrp:
        errors["price"] = ["The selling price cannot be above the MRP."]
    related = {}
    for field, model in (("brand", Brand), ("category", Category), ("product_type", ProductType)):
        value = values.get(field)
        if not isinstance(value, model):
            value = model.objects.filter(pk=value).first() if value else None
        if value is None:
            errors[field] = ["Choose one."]
        related[field] = value
    if errors:
        raise StoreError("Some fields are not valid.", code="invalid", fields=errors)
    before = {"name": product.name, "price": str(product.price)} if product.pk else None
    product.name = name
    product.slug = slugify(values.get("slug") or name)[:220]
    for field in PRODUCT_TEXT_FIELDS:
        setattr(product, field, (values.get(field) or "").strip())
    product.brand, product.category, product.product_type = related["brand"], related["category"], related["product_type"]
    product.mrp, product.price = mrp, price
    product.tags = sorted({str(tag).strip().lower() for tag in values.get("tags", []) if str(tag).strip()})
    product.is_active = bool(values.get("is_active", True))
    product.is_featured = bool(values.get("is_featured", False))
    try:
        product.save()
    except IntegrityError:
        raise StoreError("A product with this slug already exists.", code="duplicate",
                         fields={"slug": ["A product with this slug already exists."]})
    occasions = values.get("occasions")
    if occasions is not None:
        product.occasions.set([o if isinstance(o, Occasion) else Occasion.objects.get(pk=o) for o in occasions])
    audit_record(actor=actor, action="product.save", object_type="product", object_id=str(product.pk),
                 before=before, after={"name": product.name, "price": str(product.price)})
    catalog_cache_bump()
    return product


def sku_for(product: Product, colourway: Colourway, size: str) -> str:
    base = re.sub(r"[^A-Z0-9]", "", product.slug.upper())[:10] or "ITEM"
    colour = re.sub(r"[^A-Z0-9]", "", colourway.slug.upper())[:6] or "CLR"
    return f"{base}-{colour}-{re.sub(r'[^A-Z0-9]', '', size.upper())}"[:40]


def variant_matrix_generate(*, actor, product: Product, colours: list[dict], sizes: list[str]) -> list[Variant]:
    """Create the missing colourways and size × colour variants (stock 0); existing ones are kept.

    `colours` is [{"name": "Indigo", "hex": "#2E3A87"}, …]; sizes must be sizes of the product type.
    """
    allowed = set(product.product_type.sizes)
    unknown = [size for size in sizes if size not in allowed]
    errors = {}
    if not sizes or unknown:
        errors["sizes"] = [f"Choose sizes of {product.product_type.name}: {', '.join(product.product_type.sizes)}."]
    if not colours:
        errors["colours"] = ["Add at least one colour."]
    for colour in colours:
        if not str(colour.get("name", "")).strip() or not _HEX.match(str(colour.get("hex", ""))):
            errors["colours"] = ["Each colour needs a name and a hex value like #1A2B3C."]
    if errors:
        raise StoreError("The variant matrix is not valid.", code="invalid", fields=errors)
    created = []
    size_order = {size: index for index, size in enumerate(product.product_type.sizes)}
    for position, colour in enumerate(colours):
        colourway, _ = Colourway.objects.get_or_create(
            product=product, slug=slugify(colour["name"]),
            defaults={"name": colour["name"].strip(), "hex": colour["hex"].upper(), "position": position},
        )
        for size in sizes:
            if Variant.objects.filter(colourway=colourway, size=size).exists():
                continue
            created.append(Variant.objects.create(product=product, colourway=colourway, size=size,
                                                  sku=sku_for(product, colourway, size), position=size_order[size]))
    audit_record(actor=actor, action="product.variants_generate", object_type="product", object_id=str(product.pk),
                 after={"created": [v.sku for v in created]})
    catalog_cache_bump()
    return created


def variant_grid_update(*, actor, product: Product, rows: list[dict]) -> list[Variant]:
    """Apply the matrix grid: SKU and low-stock threshold as given; a changed stock count is a
    correction through the ledger. Everything is validated first; nothing changes if any row is wrong."""
    variants = {str(v.pk): v for v in Variant.objects.filter(product=product)}
    errors: dict[str, list[str]] = {}
    plan = []
    seen_skus = set()
    for index, row in enumerate(rows):
        variant = variants.get(str(row.get("id")))
        if variant is None:
            errors[f"rows.{index}.id"] = ["Unknown variant."]
            continue
        sku = str(row.get("sku", variant.sku)).strip().upper()
        if not _SKU.match(sku) or sku in seen_skus:
            errors[f"rows.{index}.sku"] = ["Use 3–40 capital letters, digits or dashes, unique per product."]
        elif Variant.objects.filter(sku=sku).exclude(pk=variant.pk).exists():
            errors[f"rows.{index}.sku"] = ["Another variant already uses this SKU."]
        seen_skus.add(sku)
        try:
            stock = int(row.get("stock", variant.stock))
            threshold = int(row.get("low_stock_threshold", variant.low_stock_threshold))
            if stock < 0 or threshold < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"rows.{index}.stock"] = ["Enter whole numbers of zero or more."]
            continue
        plan.append((variant, sku, stock, threshold))
    if errors:
        raise StoreError("Some rows are not valid.", code="invalid", fields=errors)
    updated = []
    for variant, sku, stock, threshold in plan:
        if (variant.sku, variant.low_stock_threshold) != (sku, threshold):
            Variant.objects.filter(pk=variant.pk).update(sku=sku, low_stock_threshold=threshold)
        if stock != variant.stock:
            stock_adjust(variant_id=variant.pk, delta=stock - variant.stock, reason=StockMovement.Reason.CORRECTION,
                         actor_id=str(actor.pk) if actor else "", note="matrix grid")
        updated.append(Variant.objects.get(pk=variant.pk))
    catalog_cache_bump()
    return updated


def product_get_for_staff(*, product_id) -> Product:
    from bson import ObjectId

    product = Product.objects.filter(pk=product_id).first() if ObjectId.is_valid(str(product_id)) else None
    if product is None:
        raise NotFound("That product does not exist.", code="product_not_found")
    return product
