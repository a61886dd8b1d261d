"""Brands, the category tree, occasions and product types (with their size charts)."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.text import slugify

from truestyle.auditlog.services import audit_record
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import Brand, Category, Occasion, ProductType
from truestyle.core.errors import Conflict, NotFound, StoreError


def _slug(value: str, field: str = "name") -> str:
    slug = slugify(value or "")
    if not slug:
        raise StoreError("Enter a name.", code="invalid", fields={field: ["This field is required."]})
    return slug


def _unique_save(instance, field: str, message: str):
    try:
        instance.save()
    except IntegrityError:
        raise StoreError(message, code="duplicate", fields={field: [message]})
    catalog_cache_bump()  # names and slugs show in listings
    return instance


def brand_save(*, actor, values: dict, brand: Brand | None = None) -> Brand:
    """Create a brand, or update `brand`; names and slugs are unique."""
    brand = brand or Brand()
    before = {"name": brand.name} if brand.pk else None
    brand.name = (values.get("name") or "").strip()
    brand.slug = _slug(values.get("slug") or brand.name)
    brand.description = values.get("description", brand.description) or ""
    brand.is_active = bool(values.get("is_active", True))
    _unique_save(brand, "name", "A brand with this name or slug already exists.")
    audit_record(actor=actor, action="brand.save", object_type="brand", object_id=str(brand.pk), before=before,
                 after={"name": brand.name})
    return brand


def occasion_save(*, actor, values: dict, occasion: Occasion | None = None) -> Occasion:
    occasion = occasion or Occasion()
    occasion.name = (values.get("name") or "").strip()
    occasion.slug = _slug(values.get("slug") or occasion.name)
    occasion.position = int(values.get("position") or 0)
    _unique_save(occasion, "name", "An occasion with this name already exists.")
    audit_record(actor=actor, action="occasion.save", object_type="occasion", object_id=str(occasion.pk),
                 after={"name": occasion.name})
    return occasion


def category_save(*, actor, values: dict, category: Category | None = None) -> Category:
    """Create or update a category; its path follows its parent. Moving a category moves its subtree."""
    category = category or Category()
    parent = values.get("parent")
    if parent is not None and category.pk and (parent.pk == category.pk or parent.path.startswith(category.path + "/")):
        raise StoreError("A category cannot sit inside itself.", code="invalid",
                         fields={"parent": ["Choose a parent outside this category."]})
    old_path = category.path
    category.name = (values.get("name") or "").strip()
    category.slug = _slug(values.get("slug") or category.name)
    category.parent = parent
    category.path = f"{parent.path}/{category.slug}" if parent else category.slug
    category.depth = (parent.depth + 1) if parent else 0
    category.position = int(values.get("position") or 0)
    category.is_active = bool(values.get("is_active", True))
    _unique_save(category, "slug", "A category with this name already exists here.")
    if old_path and old_path != category.path:
        for child in Category.objects.filter(path__startswith=old_path + "/"):
            child.path = category.path + child.path[len(old_path):]
            child.depth = child.path.count("/")
            child.save(update_fields=["path", "depth"])
        catalog_cache_bump()
    audit_record(actor=actor, action="category.save", object_type="category", object_id=str(category.pk),
                 after={"path": category.path})
    return category


def size_chart_clean(chart: dict | None, sizes: list[str]) -> dict:
    """Validate a size chart against the type's sizes: every measurement names a value per size."""
    chart = chart or {}
    errors = []
    unit = chart.get("unit", "cm")
    if unit not in {"cm", "in"}:
        errors.append("The unit must be cm or in.")
    measurements = []
    for row in chart.get("measurements", []):
        name = str(row.get("name", "")).strip()
        values = row.get("values") or {}
        if not name:
            errors.append("Every measurement needs a name.")
            continue
        missing = [size for size in sizes if size not in values]
        if missing:
            errors.append(f"{name}: enter a value for {', '.join(missing)}.")
            continue
        try:
            cleaned = {size: float(values[size]) for size in sizes}
        except (TypeError, ValueError):
            errors.append(f"{name}: values must be numbers.")
            continue
        if any(value <= 0 for value in cleaned.values()):
            errors.append(f"{name}: values must be positive.")
            continue
        measurements.append({"name": name, "values": cleaned})
    if errors:
        raise StoreError("The size chart is not valid.", code="invalid", fields={"size_chart": errors})
    return {"unit": unit, "sizes": list(sizes), "measurements": measurements,
            "how_to_measure": str(chart.get("how_to_measure", "")).strip()}


def product_type_save(*, actor, values: dict, product_type: ProductType | None = None) -> ProductType:
    product_type = product_type or ProductType()
    sizes = [str(size).strip() for size in values.get("sizes", []) if str(size).strip()]
    if not sizes or len(set(sizes)) != len(sizes):
        raise StoreError("List each size once.", code="invalid", fields={"sizes": ["List each size once."]})
    product_type.name = (values.get("name") or "").strip()
    product_type.slug = _slug(values.get("slug") or product_type.name)
    product_type.sizes = sizes
    product_type.size_chart = size_chart_clean(values.get("size_chart"), sizes)
    _unique_save(product_type, "name", "A product type with this name already exists.")
    audit_record(actor=actor, action="product_type.save", object_type="product_type",
                 object_id=str(product_type.pk), after={"name": product_type.name, "sizes": sizes})
    return product_type


def taxonomy_delete(*, actor, instance) -> None:
    """Delete a brand, category, occasion or type; refused while products use it."""
    if instance is None:
        raise NotFound("That does not exist.")
    label = type(instance).__name__.lower()
    try:
        instance.delete()
    except ProtectedError:
        raise Conflict(f"This {label} is still used by products or sub-categories.", code="in_use")
    catalog_cache_bump()
    audit_record(actor=actor, action=f"{label}.delete", object_type=label, object_id=str(instance.pk))
