"""Reads for the staff taxonomy pages: brands, the category tree, occasions and product types,
searched by name, each with how many products use it (the count that decides whether it may be deleted)."""

from __future__ import annotations

from dataclasses import dataclass

from bson import ObjectId
from django.db.models import Count, Model

from truestyle.catalog.models import Brand, Category, Occasion, Product, ProductType, Variant


@dataclass
class TaxonomyRow:
    item: Model
    products: int
    children: int = 0


def _usage(model: type[Model]) -> dict:
    """{id: number of products} for one kind, in one grouped query (no per-row counts)."""
    if model is Occasion:
        rows = Product.occasions.through.objects.values("occasion_id").annotate(n=Count("pk"))
        return {row["occasion_id"]: row["n"] for row in rows}
    field = {Brand: "brand_id", Category: "category_id", ProductType: "product_type_id"}[model]
    return {row[field]: row["n"] for row in Product.objects.values(field).annotate(n=Count("pk"))}


def _search(model: type[Model], q: str):
    items = model.objects.all()
    return items.filter(name__icontains=q.strip()) if q.strip() else items


def taxonomy_rows(*, model: type[Model], q: str = "") -> list[TaxonomyRow]:
    """The items of one kind whose name contains `q`, in the kind's own order, with their usage.

    Categories come in path order (a parent before its subtree), so indenting by depth draws the tree.
    """
    usage = _usage(model)
    children: dict = {}
    if model is Category:
        for row in Category.objects.exclude(parent=None).values("parent_id").annotate(n=Count("pk")):
            children[row["parent_id"]] = row["n"]
    return [TaxonomyRow(item=item, products=usage.get(item.pk, 0), children=children.get(item.pk, 0))
            for item in _search(model, q)]


def taxonomy_counts() -> dict[str, int]:
    return {"brand": Brand.objects.count(), "category": Category.objects.count(),
            "occasion": Occasion.objects.count(), "product_type": ProductType.objects.count()}


def taxonomy_item(*, model: type[Model], item_id) -> Model | None:
    """One brand, category, occasion or product type by id; None for an unknown or malformed id."""
    if not ObjectId.is_valid(str(item_id)):
        return None
    return model.objects.filter(pk=item_id).first()


def taxonomy_usage(*, instance: Model) -> TaxonomyRow:
    """How many products (and, for a category, sub-categories) use one item."""
    if isinstance(instance, Occasion):
        products = Product.occasions.through.objects.filter(occasion_id=instance.pk).count()
    else:
        field = {Brand: "brand", Category: "category", ProductType: "product_type"}[type(instance)]
        products = Product.objects.filter(**{field: instance.pk}).count()
    children = Category.objects.filter(parent=instance.pk).count() if isinstance(instance, Category) else 0
    return TaxonomyRow(item=instance, products=products, children=children)


def category_parent_choices(*, category: Category | None = None) -> list[tuple[str, str]]:
    """(id, indented name) of every category that may be `category`'s parent: not itself, nor inside it."""
    choices = []
    for node in Category.objects.order_by("path"):
        inside = category is not None and category.pk and (
            node.pk == category.pk or node.path.startswith(category.path + "/"))
        if inside:
            continue
        choices.append((str(node.pk), "\u2003" * node.depth + node.name))
    return choices


def product_type_sizes_in_use(*, product_type: ProductType, sizes: set[str]) -> dict[str, int]:
    """{size: number of variants} of products of this type that use one of `sizes`."""
    if not sizes or not product_type.pk:
        return {}
    products = list(Product.objects.filter(product_type=product_type.pk).values_list("pk", flat=True))
    if not products:
        return {}
    rows = (Variant.objects.filter(product_id__in=products, size__in=sorted(sizes))
            .values("size").annotate(n=Count("pk")))
    return {row["size"]: row["n"] for row in rows}
