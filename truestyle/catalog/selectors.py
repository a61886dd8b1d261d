"""Reads for the catalogue: the faceted listing (one card per colourway) and the product page.

The listing runs a fixed number of queries whatever the page size: it loads
the candidate products, their occasions, colourways and variants as plain
values, filters and counts facets in Python (disjunctive facets: each facet's
counts apply every other filter but its own), then loads only the page's
cards and their images. A catalogue of a few thousand variants stays well
within a request's budget; the counts are exact. The candidate cards are the
same for every shopper, so they are cached for a minute under the catalogue's
version: a signed-in shopper's listing (never a cached page) reuses them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bson import ObjectId
from django.db.models import Q

from truestyle.catalog.models import (
    Brand,
    Category,
    Colourway,
    Occasion,
    Product,
    ProductImage,
    ProductType,
    SizeProfile,
    Variant,
    discount_percent,
)

SORTS = {
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "popular": "Most popular",
    "rating": "Top rated",
}
PRICE_BANDS = [
    ("0-999", "Under ₹1,000", Decimal("0"), Decimal("999.99")),
    ("1000-1999", "₹1,000 – ₹1,999", Decimal("1000"), Decimal("1999.99")),
    ("2000-3999", "₹2,000 – ₹3,999", Decimal("2000"), Decimal("3999.99")),
    ("4000-", "₹4,000 and above", Decimal("4000"), None),
]
SIZE_ORDER = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "26", "28", "30", "32", "34", "36", "38", "40", "42"]


@dataclass(frozen=True)
class ListingFilters:
    q: str = ""
    category: str = ""  # a category path; its subtree is included
    brands: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    price_bands: tuple[str, ...] = ()
    in_stock: bool = False
    my_size: bool = False
    featured: bool = False
    sort: str = "newest"


@dataclass
class Card:
    colourway_id: str
    product_id: str
    name: str
    slug: str
    brand: str
    colour: str
    colour_slug: str
    hex: str
    price: Decimal
    mrp: Decimal
    discount_percent: int
    sizes_in_stock: list[str]
    image: str = ""
    image_alt: str = ""
    rating_average: Decimal = Decimal("0")
    rating_count: int = 0
    other_colours: list[dict] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    hex: str = ""  # colours only: the swatch


@dataclass
class ListingPage:
    cards: list[Card]
    total: int
    page: int
    pages: int
    page_size: int
    facets: dict[str, list[FacetValue]]
    filters: ListingFilters


def _size_key(size: str):
    return (SIZE_ORDER.index(size), size) if size in SIZE_ORDER else (len(SIZE_ORDER), size)


def _search_words(q: str) -> list[str]:
    return [word for word in q.lower().split() if word][:6]


def _search_condition(words: list[str]) -> Q:
    """Every word must appear in the name, brand, category or tags (case-insensitive)."""
    condition = Q()
    for word in words:
        condition &= (Q(name__icontains=word) | Q(brand__name__icontains=word) | Q(category__name__icontains=word)
                      | Q(tags__contains=[word]))
    return condition


def _search_rank(row: dict, words: list[str], brand_name: str, category_name: str) -> int:
    """Name matches count most, then brand, then category and tags."""
    rank = 0
    for word in words:
        rank += 3 * (word in row["name"].lower()) + 2 * (word in brand_name.lower())
        rank += (word in category_name.lower()) or (word in row["tags"])
    return rank


def _candidate_products(filters: ListingFilters) -> list[dict]:
    products = Product.objects.filter(is_active=True)
    if filters.featured:
        products = products.filter(is_featured=True)
    if filters.category:
        products = products.filter(Q(category__path=filters.category) | Q(category__path__startswith=filters.category + "/"))
    words = _search_words(filters.q)
    fields = [*_CARD_PRODUCT_FIELDS, "created_at", "popularity", "product_type_id"]
    if not words:
        return list(products.values(*fields))
    rows = list(products.filter(_search_condition(words)).values(*fields, "tags", "brand__name", "category__name"))
    for row in rows:
        row["rank"] = _search_rank(row, words, row["brand__name"] or "", row["category__name"] or "")
    return rows


def _card_matches(card: dict, filters: ListingFilters, skip: str = "") -> bool:
    product = card["product"]
    if skip != "brands" and filters.brands and card["brand_slug"] not in filters.brands:
        return False
    if skip != "occasions" and filters.occasions and not (card["occasions"] & set(filters.occasions)):
        return False
    if skip != "price" and filters.price_bands and card["price_band"] not in filters.price_bands:
        return False
    if skip != "colours" and filters.colours and card["colour_slug"] not in filters.colours:
        return False
    if skip != "sizes" and filters.sizes:
        pool = card["sizes_in_stock"] if filters.in_stock else card["sizes"]
        if not pool & set(filters.sizes):
            return False
    if skip != "in_stock" and filters.in_stock and not card["sizes_in_stock"]:
        return False
    if skip != "my_size" and filters.my_size and not card["in_my_size"]:
        return False
    return bool(product)


def _price_band(price: Decimal) -> str:
    for key, _, low, high in PRICE_BANDS:
        if price >= low and (high is None or price <= high):
            return key
    return ""


def product_listing(*, filters: ListingFilters, page: int = 1, page_size: int = 24, user=None) -> ListingPage:
    """One page of colourway cards with facet counts (see the module docstring)."""
    base = _listing_base(filters)
    my_sizes = {}
    if filters.my_size and user is not None and user.is_authenticated:
        profile = SizeProfile.objects.filter(user=user).values_list("sizes", flat=True).first()
        my_sizes = profile or {}
    cards = []
    for card in base.cards:
        my_size = my_sizes.get(base.type_slugs.get(card["product"]["product_type_id"], ""))
        cards.append({**card, "in_my_size": bool(my_size and my_size in card["sizes_in_stock"])})

    facets = _facets(cards, filters, base.brands, base.occasion_names)
    matching = [card for card in cards if _card_matches(card, filters)]
    matching.sort(key=_sort_key(filters))
    total = len(matching)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    window = matching[(page - 1) * page_size: page * page_size]
    return ListingPage(cards=_cards(window, base.pictures), total=total, page=page, pages=pages,
                       page_size=page_size, facets=facets, filters=filters)


@dataclass
class _ListingBase:
    """Every candidate colourway card of a listing, before the shopper's own filters: the same for
    every shopper, so it is cached under the catalogue's version (truestyle.catalog.cache)."""

    cards: list[dict]
    brands: dict
    occasion_slugs: dict
    occasion_names: dict
    type_slugs: dict
    pictures: _CardPictures


LISTING_BASE_SECONDS = 60


def _listing_base(filters: ListingFilters) -> _ListingBase:
    from truestyle.catalog.cache import catalog_cached

    name = f"listing-base:{filters.featured:d}:{filters.category}:{filters.q.strip().lower()}"
    return catalog_cached(name, lambda: _listing_base_build(filters), seconds=LISTING_BASE_SECONDS)


def _listing_base_build(filters: ListingFilters) -> _ListingBase:
    products = {row["pk"]: row for row in _candidate_products(filters)}
    product_ids = list(products)
    occasions = list(Occasion.objects.values_list("pk", "slug", "name"))
    occasion_slugs = {pk: slug for pk, slug, _ in occasions}
    occasions_of = defaultdict(set)
    for product_id, occasion_id in Product.occasions.through.objects.filter(product_id__in=product_ids).values_list(
            "product_id", "occasion_id"):
        occasions_of[product_id].add(occasion_slugs.get(occasion_id, ""))
    taxonomy = catalogue_taxonomy()
    brands = {pk: {"pk": pk, "slug": b.slug, "name": b.name} for pk, b in taxonomy.brands.items()}
    type_slugs = {pk: t.slug for pk, t in taxonomy.product_types.items()}

    sizes_of = defaultdict(set)
    in_stock_of = defaultdict(set)
    for colourway_id, size, stock in Variant.objects.filter(product_id__in=product_ids).values_list(
            "colourway_id", "size", "stock"):
        sizes_of[colourway_id].add(size)
        if stock > 0:
            in_stock_of[colourway_id].add(size)

    colourways = list(Colourway.objects.filter(product_id__in=product_ids).values("pk", "product_id", "name", "slug",
                                                                                   "hex", "position"))
    pictures = _card_pictures(product_ids, colourways, brands={pk: row["name"] for pk, row in brands.items()})
    cards = []
    for colourway in colourways:
        product = products[colourway["product_id"]]
        cards.append({
            "colourway": colourway, "product": product,
            "brand_slug": brands.get(product["brand_id"], {}).get("slug", ""),
            "occasions": occasions_of[product["pk"]],
            "price_band": _price_band(product["price"]),
            "colour_slug": colourway["slug"], "colour_name": colourway["name"],
            "sizes": sizes_of[colourway["pk"]], "sizes_in_stock": in_stock_of[colourway["pk"]],
        })
    return _ListingBase(cards=cards, brands=brands, occasion_slugs=occasion_slugs,
                        occasion_names={slug: name for _, slug, name in occasions}, type_slugs=type_slugs,
                        pictures=pictures)


def _sort_key(filters: ListingFilters):
    """Ascending key: search relevance first (best first), then the chosen order, then colour position."""

    def key(card):
        product = card["product"]
        relevance = -product.get("rank", 0)
        if filters.sort == "price_asc":
            primary = product["price"]
        elif filters.sort == "price_desc":
            primary = -product["price"]
        elif filters.sort == "popular":
            primary = -product["popularity"]
        elif filters.sort == "rating":
            primary = -product["rating_average"]
        else:
            primary = -product["created_at"].timestamp()
        return (relevance, primary, str(product["pk"]), card["colourway"]["position"])

    return key


def _facets(cards: list[dict], filters: ListingFilters, brands: dict, occasion_names: dict) -> dict:
    def count(skip: str, value_of) -> dict:
        counts = defaultdict(int)
        for card in cards:
            if _card_matches(card, filters, skip=skip):
                for value in value_of(card):
                    counts[value] += 1
        return counts

    brand_names = {row["slug"]: row["name"] for row in brands.values()}
    brand_counts = count("brands", lambda card: [card["brand_slug"]])
    occasion_counts = count("occasions", lambda card: card["occasions"])
    size_counts = count("sizes", lambda card: card["sizes_in_stock"] if filters.in_stock else card["sizes"])
    colour_counts = count("colours", lambda card: [card["colour_slug"]])
    colour_labels = {card["colour_slug"]: (card["colour_name"], card["colourway"]["hex"]) for card in cards}
    price_counts = count("price", lambda card: [card["price_band"]])
    stock_counts = count("in_stock", lambda card: ["yes"] if card["sizes_in_stock"] else [])
    my_size_counts = count("my_size", lambda card: ["yes"] if card["in_my_size"] else [])

    def values(counts, labels, selected, order=None):
        keys = order(counts) if order else sorted(counts, key=lambda key: labels.get(key, key).lower())
        return [FacetValue(key, labels.get(key, key), counts[key], key in selected) for key in keys if counts[key]]

    colours = values(colour_counts, {k: v[0] for k, v in colour_labels.items()}, filters.colours)
    for colour in colours:
        colour.hex = colour_labels[colour.value][1]
    return {
        "brands": values(brand_counts, brand_names, filters.brands),
        "occasions": values(occasion_counts, occasion_names, filters.occasions),
        "sizes": values(size_counts, {}, filters.sizes, order=lambda c: sorted(c, key=_size_key)),
        "colours": colours,
        "price_bands": values(price_counts, {k: label for k, label, _, _ in PRICE_BANDS}, filters.price_bands,
                              order=lambda c: [k for k, *_ in PRICE_BANDS if k in c]),
        "in_stock": [FacetValue("yes", "In stock only", stock_counts.get("yes", 0), filters.in_stock)],
        "my_size": [FacetValue("yes", "In my size", my_size_counts.get("yes", 0), filters.my_size)],
    }


# What a card shows of its product, read with the listing's candidates (no second read per page).
_CARD_PRODUCT_FIELDS = ("pk", "name", "slug", "brand_id", "price", "mrp", "rating_average", "rating_count")


@dataclass
class _CardPictures:
    """Beyond the product row: each card's picture, its product's other colours and its brand's name."""

    images: dict  # (product_id, colourway_id or None for the product's first) -> image row
    siblings: dict  # product_id -> [{"name", "slug", "hex"}]
    brands: dict  # brand_id -> name


def _card_pictures(product_ids: list, colourways: list[dict], *, brands: dict | None = None) -> _CardPictures:
    """From the products' colourways (rows with product_id, name, slug, hex): one read of their images,
    and one of the brands' names unless given."""
    images = {}
    for image in ProductImage.objects.filter(product_id__in=product_ids).order_by("position").values(
            "product_id", "colourway_id", "image", "thumbnail", "alt_text"):
        images.setdefault((image["product_id"], image["colourway_id"]), image)
        images.setdefault((image["product_id"], None), image)
    siblings = defaultdict(list)
    for row in colourways:
        siblings[row["product_id"]].append({"name": row["name"], "slug": row["slug"], "hex": row["hex"]})
    if brands is None:
        brands = dict(Brand.objects.values_list("pk", "name"))
    return _CardPictures(images=images, siblings=dict(siblings), brands=brands)


def _cards(window: list[dict], pictures: _CardPictures) -> list[Card]:
    """Cards for window entries ({"product": row of _CARD_PRODUCT_FIELDS, "colourway": row, "sizes_in_stock"})."""
    result = []
    for card in window:
        product, colourway = card["product"], card["colourway"]
        image = pictures.images.get((product["pk"], colourway["pk"])) or pictures.images.get((product["pk"], None))
        result.append(Card(
            colourway_id=str(colourway["pk"]), product_id=str(product["pk"]), name=product["name"],
            slug=product["slug"], brand=pictures.brands.get(product["brand_id"], ""), colour=colourway["name"],
            colour_slug=colourway["slug"], hex=colourway["hex"], price=product["price"], mrp=product["mrp"],
            discount_percent=discount_percent(price=product["price"], mrp=product["mrp"]),
            sizes_in_stock=sorted(card["sizes_in_stock"], key=_size_key),
            image=(image["thumbnail"] or image["image"]) if image else "", image_alt=image["alt_text"] if image else "",
            rating_average=product["rating_average"], rating_count=product["rating_count"],
            other_colours=[c for c in pictures.siblings.get(product["pk"], []) if c["slug"] != colourway["slug"]],
        ))
    return result


def product_cards(*, product_ids: list[str]) -> list[Card]:
    """One card per product (its first colourway), in the order of `product_ids`; products switched
    off or gone are left out. For shelves ranked elsewhere (trending)."""
    wanted = [ObjectId(pid) for pid in product_ids if ObjectId.is_valid(str(pid))]
    active = {row["pk"]: row for row in Product.objects.filter(pk__in=wanted, is_active=True).values(
        *_CARD_PRODUCT_FIELDS)}
    colourways = list(Colourway.objects.filter(product_id__in=list(active)).order_by("position", "pk").values(
        "pk", "product_id", "name", "slug", "hex"))
    first_colourway = {}
    for colourway in colourways:
        first_colourway.setdefault(colourway["product_id"], colourway)
    in_stock = defaultdict(set)
    for colourway_id, size in Variant.objects.filter(
            colourway_id__in=[c["pk"] for c in first_colourway.values()], stock__gt=0).values_list("colourway_id", "size"):
        in_stock[colourway_id].add(size)
    window = [{"colourway": first_colourway[pk], "product": active[pk], "sizes_in_stock": in_stock[first_colourway[pk]["pk"]]}
              for pk in wanted if pk in first_colourway]
    return _cards(window, _card_pictures(list(active), colourways))


@dataclass
class ProductPage:
    product: Product
    colourways: list[dict]
    selected_colour: str
    size_chart: dict
    breadcrumbs: list[Category]


PRODUCT_PAGE_SECONDS = 60
TAXONOMY_SECONDS = 300


def product_page(*, slug: str, colour: str = "") -> ProductPage | None:
    """Everything the product page shows; None if not found or inactive.

    The same for every shopper, so it is cached under the catalogue's version (no change outlives it,
    a size selling out included) for a minute, which bounds how late a "low stock" hint may be.
    A first view reads the product, its colourways, variants and images (four reads, no joins).
    """
    from truestyle.catalog.cache import catalog_cached

    page = catalog_cached(f"product-page:{slug}", lambda: _product_page_build(slug), seconds=PRODUCT_PAGE_SECONDS)
    if page is None:
        return None
    selected = colour if any(c["slug"] == colour for c in page.colourways) else (
        page.colourways[0]["slug"] if page.colourways else "")
    return replace(page, selected_colour=selected)


def _product_page_build(slug: str) -> ProductPage | None:
    product = Product.objects.filter(slug=slug, is_active=True).first()
    if product is None:
        return None
    taxonomy = catalogue_taxonomy()
    # Brand, category and type from the cached taxonomy instead of three joins (each a whole-collection
    # read on the embedded server); one missing from it is left to load on first use.
    for field, known in (("brand", taxonomy.brands), ("category", taxonomy.categories),
                         ("product_type", taxonomy.product_types)):
        if getattr(product, f"{field}_id") in known:
            setattr(product, field, known[getattr(product, f"{field}_id")])
    colourways = list(Colourway.objects.filter(product=product))
    variants = list(Variant.objects.filter(product=product).order_by("position"))
    images = list(ProductImage.objects.filter(product=product).order_by("position"))
    type_sizes = product.product_type.sizes
    by_colour = []
    for colourway in colourways:
        own = [v for v in variants if v.colourway_id == colourway.pk]
        own.sort(key=lambda v: type_sizes.index(v.size) if v.size in type_sizes else len(type_sizes))
        gallery = [i for i in images if i.colourway_id == colourway.pk] or [i for i in images if i.colourway_id is None]
        by_colour.append({
            "id": str(colourway.pk), "name": colourway.name, "slug": colourway.slug, "hex": colourway.hex,
            "sizes": [{"variant_id": str(v.pk), "size": v.size, "sku": v.sku, "in_stock": v.stock > 0,
                       "low_stock": 0 < v.stock <= v.low_stock_threshold} for v in own],
            "images": [{"image": i.image, "thumbnail": i.thumbnail or i.image, "alt": i.alt_text} for i in gallery],
        })
    ancestors = product.category.path.split("/")
    paths = {"/".join(ancestors[: i + 1]) for i in range(len(ancestors))}
    breadcrumbs = sorted((c for c in taxonomy.categories.values() if c.path in paths), key=lambda c: c.depth)
    return ProductPage(product=product, colourways=by_colour, selected_colour="",
                       size_chart=product.product_type.size_chart, breadcrumbs=breadcrumbs)


@dataclass
class CatalogueTaxonomy:
    """Every brand, category and product type by id: small, read on most pages, changed rarely."""

    brands: dict
    categories: dict
    product_types: dict


def catalogue_taxonomy() -> CatalogueTaxonomy:
    """The taxonomy, cached under the catalogue's version (every taxonomy change moves it)."""
    from truestyle.catalog.cache import catalog_cached

    return catalog_cached("taxonomy", lambda: CatalogueTaxonomy(
        brands={b.pk: b for b in Brand.objects.all()},
        categories={c.pk: c for c in Category.objects.order_by("path")},
        product_types={t.pk: t for t in ProductType.objects.all()}), seconds=TAXONOMY_SECONDS)


def category_tree() -> list[dict]:
    """All active categories as nested dicts, in path order."""
    categories = [c for c in catalogue_taxonomy().categories.values() if c.is_active]
    nodes = {c.pk: {"id": str(c.pk), "name": c.name, "slug": c.slug, "path": c.path, "children": []}
             for c in categories}
    roots = []
    for category in categories:
        parent = nodes.get(category.parent_id)
        (parent["children"] if parent else roots).append(nodes[category.pk])
    return roots


def low_stock_variants(*, limit: int = 200) -> list[Variant]:
    """Variants at or under their low-stock threshold, emptiest first."""
    from django.db.models import F

    return list(Variant.objects.filter(stock__lte=F("low_stock_threshold"))
                .select_related("product", "colourway").order_by("stock", "sku")[:limit])
