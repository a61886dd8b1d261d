"""Brands, the category tree, occasions and product types (with their size charts)."""

from __future__ import annotations

import math

from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.text import slugify

from truestyle.auditlog.services import audit_record
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import Brand, Category, Occasion, ProductType
from truestyle.catalog.taxonomy_selectors import TaxonomyRow, product_type_sizes_in_use, taxonomy_usage
from truestyle.core.errors import Conflict, NotFound, StoreError
from truestyle.core.transactions import mongo_atomic

TAXONOMY_LABELS = {Brand: "brand", Category: "category", Occasion: "occasion", ProductType: "product type"}


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
    """Create or update a category; its path follows its parent. Moving a category moves its subtree,
    in one transaction, so a failure never leaves half a subtree under the old path."""
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

    def write():
        category.save()
        if old_path and old_path != category.path:
            for child in Category.objects.filter(path__startswith=old_path + "/"):
                child.path = category.path + child.path[len(old_path):]
                child.depth = child.path.count("/")
                child.save(update_fields=["path", "depth"])

    try:
        mongo_atomic(write)
    except IntegrityError:
        message = "A category with this name already exists here."
        raise StoreError(message, code="duplicate", fields={"slug": [message]})
    catalog_cache_bump()
    audit_record(actor=actor, action="category.save", object_type="category", object_id=str(category.pk),
                 before={"path": old_path} if old_path else None, after={"path": category.path})
    return category


SIZE_CHART_UNITS = {"cm": "Centimetres", "in": "Inches"}
MAX_CHART_SIZES = 30
MAX_CHART_MEASUREMENTS = 20
# Wider than any garment measured in cm; keeps typing slips (9600) out of the storefront.
MAX_MEASURE = 1000.0


def _measure_value(raw) -> tuple[float | None, str]:
    """(the number, "") or (None, why not) for one cell of the chart."""
    if raw is None or str(raw).strip() == "":
        return None, "Enter a value."
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None, "Enter a number, e.g. 96 or 96.5."
    if not math.isfinite(value):
        return None, "Enter a number, e.g. 96 or 96.5."
    if value <= 0:
        return None, "Enter a measurement above zero."
    if value >= MAX_MEASURE:
        return None, f"Enter a measurement below {MAX_MEASURE:.0f}."
    return value, ""


def size_chart_clean(chart: dict | None, sizes: list[str]) -> dict:
    """Validate a size chart of `sizes` (its rows) by measurements (its columns); returns the chart to store.

    A measurement's `values` is a {size: number} dict or a list in the order of `sizes`. Every problem
    is reported at once, keyed by place so a form can mark the cell: `sizes.<row>`,
    `measurements.<column>.name`, `measurements.<column>.values.<row>`, `unit`, `sizes`, `measurements`.
    """
    chart = chart or {}
    errors: dict[str, list[str]] = {}
    sizes = [str(size).strip() for size in sizes]
    if not sizes:
        errors["sizes"] = ["Add at least one size."]
    elif len(sizes) > MAX_CHART_SIZES:
        errors["sizes"] = [f"A chart holds at most {MAX_CHART_SIZES} sizes."]
    seen: set[str] = set()
    for row, size in enumerate(sizes):
        if not size:
            errors[f"sizes.{row}"] = ["Enter a size."]
        elif len(size) > 10:
            errors[f"sizes.{row}"] = ["Use at most 10 characters."]
        elif size.lower() in seen:
            errors[f"sizes.{row}"] = [f"{size} is listed twice."]
        seen.add(size.lower())
    unit = chart.get("unit") or "cm"
    if unit not in SIZE_CHART_UNITS:
        errors["unit"] = ["Choose cm or in."]
    rows = list(chart.get("measurements") or [])
    if len(rows) > MAX_CHART_MEASUREMENTS:
        errors["measurements"] = [f"A chart holds at most {MAX_CHART_MEASUREMENTS} measurements."]
    measurements, names = [], set()
    for column, measurement in enumerate(rows):
        name = str(measurement.get("name", "")).strip()
        if not name:
            errors[f"measurements.{column}.name"] = ["Name this measurement."]
        elif len(name) > 40:
            errors[f"measurements.{column}.name"] = ["Use at most 40 characters."]
        elif name.lower() in names:
            errors[f"measurements.{column}.name"] = [f"{name} is listed twice."]
        names.add(name.lower())
        given = measurement.get("values") or {}
        raw = list(given) if isinstance(given, (list, tuple)) else [given.get(size) for size in sizes]
        values = {}
        for row, size in enumerate(sizes):
            value, problem = _measure_value(raw[row] if row < len(raw) else None)
            if problem:
                errors[f"measurements.{column}.values.{row}"] = [problem]
            values[size] = value
        measurements.append({"name": name, "values": values})
    if errors:
        raise StoreError("The size chart is not valid.", code="invalid", fields=errors)
    return {"unit": unit, "sizes": sizes, "measurements": measurements,
            "how_to_measure": str(chart.get("how_to_measure") or "").strip()}


def product_type_save(*, actor, values: dict, product_type: ProductType | None = None) -> ProductType:
    """Create or update a product type with its sizes and size chart (the chart's rows are the sizes).

    Refused, with every problem keyed as `size_chart_clean` says, if the chart is not valid or a size
    that variants of this type's products use is removed (or renamed).
    """
    product_type = product_type or ProductType()
    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = ["This field is required."]
    slug = slugify(values.get("slug") or name)
    if name and not slug:
        errors["slug"] = ["Enter a slug of letters, digits or dashes."]
    chart = None
    try:
        chart = size_chart_clean(values.get("size_chart"), values.get("sizes") or [])
    except StoreError as error:
        errors.update(error.fields)
    if chart is not None and product_type.pk:
        in_use = product_type_sizes_in_use(product_type=product_type,
                                           sizes=set(product_type.sizes) - set(chart["sizes"]))
        if in_use:
            listed = ", ".join(f"{size} ({count} variant{'s' if count != 1 else ''})"
                               for size, count in sorted(in_use.items()))
            errors["sizes"] = [f"Products of this type still use {listed}; keep those sizes."]
    if errors:
        raise StoreError("Some fields are not valid.", code="invalid", fields=errors)
    before = {"name": product_type.name, "sizes": list(product_type.sizes)} if product_type.pk else None
    product_type.name, product_type.slug = name, slug
    product_type.sizes = chart["sizes"]
    product_type.size_chart = chart
    _unique_save(product_type, "name", "A product type with this name or slug already exists.")
    audit_record(actor=actor, action="product_type.save", object_type="product_type",
                 object_id=str(product_type.pk), before=before, after={"name": product_type.name,
                                                                     "sizes": product_type.sizes})
    return product_type


def _in_use_message(usage: TaxonomyRow) -> str:
    """Why `usage.item` may not be deleted yet, or "" when nothing uses it."""
    item, products, children = usage.item, usage.products, usage.children
    if children:
        return (f"{item.name} has {children} sub-categor{'ies' if children != 1 else 'y'}. "
                "Move or delete them before deleting it.")
    if not products:
        return ""
    them = "them" if products != 1 else "it"
    used = f"{item.name} is used by {products} product{'s' if products != 1 else ''}."
    if isinstance(item, Occasion):
        return f"{used} Take it off {'that product' if products == 1 else 'those products'} before deleting it."
    return f"{used} Move {them} to another {TAXONOMY_LABELS[type(item)]} before deleting it."


def taxonomy_delete_refusal(*, instance) -> str:
    """The message `taxonomy_delete` would refuse with right now, or "" when it may be deleted."""
    return _in_use_message(taxonomy_usage(instance=instance))


def taxonomy_delete(*, actor, instance) -> None:
    """Delete a brand, category, occasion or product type; refused (Conflict "in_use") while products
    or sub-categories use it, so deleting never takes anything with it."""
    if instance is None:
        raise NotFound("That does not exist.")
    label = TAXONOMY_LABELS[type(instance)]
    refusal = taxonomy_delete_refusal(instance=instance)
    if refusal:
        raise Conflict(refusal, code="in_use")
    item_id = str(instance.pk)
    try:
        instance.delete()
    except ProtectedError:  # a product or sub-category was added since the check
        raise Conflict(f"{instance.name} is still used by products or sub-categories.", code="in_use")
    catalog_cache_bump()
    audit_record(actor=actor, action=f"{label.replace(' ', '_')}.delete", object_type=label.replace(" ", "_"),
                 object_id=item_id, before={"name": instance.name})
