"""Checking a catalogue CSV: every row, before anything is written (csv_transfer runs it, then csv_apply).

`csv_validate` reads the whole file and returns a plan per product plus a report of every problem
as {"row", "column", "message"}. Rows are numbered as a spreadsheet shows them: the header is row 1.
An existing product is found by its slug; an existing variant by its SKU, or else by its product,
colour and size (then the row renames its SKU).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.text import slugify

from truestyle.catalog.models import Brand, Category, Occasion, Product, ProductType, Variant
from truestyle.catalog.services.csv_format import (
    COLUMNS,
    LIST_SEPARATOR,
    PRODUCT_COLUMNS,
    REQUIRED_COLUMNS,
    VARIANT_COLUMNS,
    cell_unescape,
    header_key,
    max_rows,
)

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
_TRUE, _FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
_MAX_AMOUNT = Decimal("100000000")  # max_digits=10, decimal_places=2
_LENGTHS = {"slug": 220, "name": 200, "material": 200, "care": 300, "colour": 60}

Progress = Callable[[int], None]


@dataclass
class VariantLine:
    row: int
    sku: str
    size: str
    colour: str
    colour_slug: str
    hex: str
    stock: int | None  # None: keep the current count (0 for a new variant)
    threshold: int | None  # None: keep the current threshold (the default for a new variant)


@dataclass
class ProductPlan:
    row: int  # the product's first row
    slug: str
    values: dict  # column -> cleaned value; None where the file leaves the column out
    exists: bool
    variants: list[VariantLine] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return max(1, len(self.variants))


@dataclass
class Validation:
    plans: list[ProductPlan]
    report: list[dict]
    total_rows: int


class _Report(list):
    def add(self, row: int, column: str, message: str) -> None:
        self.append({"row": row, "column": column, "message": message})


class _Lookups:
    """The taxonomy by name or slug (case-insensitive), and the products and variants the file names."""

    def __init__(self, slugs: set[str], skus: set[str]) -> None:
        self.brands = _by_name_or_slug(Brand.objects.all())
        self.types = _by_name_or_slug(ProductType.objects.all())
        self.occasions = _by_name_or_slug(Occasion.objects.all())
        self.categories = {c.path: c for c in Category.objects.all()}
        self.products = {p.slug: p for p in Product.objects.filter(slug__in=slugs)}
        self.variants_by_sku: dict[str, Variant] = {}
        self.variants_by_place: dict[tuple, Variant] = {}
        condition = Q(sku__in=skus) | Q(product__in=list(self.products.values()))
        for variant in Variant.objects.filter(condition).select_related("product", "colourway"):
            self.variants_by_sku[variant.sku] = variant
            self.variants_by_place[(variant.product.slug, variant.colourway.slug, variant.size)] = variant


def _by_name_or_slug(queryset) -> dict:
    found = {}
    for item in queryset:
        found.setdefault(item.slug.lower(), item)
        found[item.name.lower()] = item
    return found


def _rows(text: str, report: _Report) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header keys, [(row number, cells)]), blank rows left out; a row csv cannot read ends the reading."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, rows, number = [], [], 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1:
                header = [header_key(cell) for cell in cells]
            elif any(cell.strip() for cell in cells):
                rows.append((number, [cell_unescape(cell.strip()) for cell in cells]))
    except csv.Error as error:
        report.add(number + 1, "", f"This row cannot be read as CSV ({error}).")
    return header, rows


def _header_check(header: list[str], report: _Report) -> None:
    if not any(header):
        report.add(1, "", f"The first row must name the columns: {', '.join(COLUMNS)}.")
        return
    seen = set()
    for key in header:
        if key not in COLUMNS:
            report.add(1, key, f"Unknown column. The columns are: {', '.join(COLUMNS)}.")
        elif key in seen:
            report.add(1, key, "This column appears more than once.")
        seen.add(key)
    for key in REQUIRED_COLUMNS:
        if key not in seen:
            report.add(1, key, "Missing required column.")


def csv_validate(text: str, *, progress: Progress | None = None) -> Validation:
    """Check every row of the file against the catalogue; the plans are only to be applied if the report is empty."""
    report = _Report()
    header, rows = _rows(text, report)
    _header_check(header, report)
    if report:
        return Validation([], list(report), len(rows))
    if not rows:
        report.add(1, "", "The file has no rows after the header.")
        return Validation([], list(report), 0)
    if len(rows) > max_rows():
        report.add(1, "", f"The file has {len(rows)} rows; import at most {max_rows()} at a time.")
        return Validation([], list(report), len(rows))
    records = []
    for number, cells in rows:
        if len(cells) != len(header):
            report.add(number, "", f"This row has {len(cells)} cells; the header has {len(header)}.")
            continue
        records.append((number, dict(zip(header, cells))))
    lookups = _Lookups({r.get("slug", "") for _, r in records}, {r.get("sku", "").upper() for _, r in records})
    checker = _RowChecker(lookups, report)
    for index, (number, record) in enumerate(records, start=1):
        checker.check(number, record)
        if progress:
            progress(index)
    return Validation(list(checker.plans.values()), sorted(report, key=lambda e: e["row"]), len(rows))


class _RowChecker:
    def __init__(self, lookups: _Lookups, report: _Report) -> None:
        self.lookups = lookups
        self.report = report
        self.plans: dict[str, ProductPlan] = {}
        self.sku_rows: dict[str, int] = {}
        self.place_rows: dict[tuple, int] = {}
        self.colour_rows: dict[tuple, tuple[int, str]] = {}

    def check(self, row: int, record: dict) -> None:
        add = lambda column, message: self.report.add(row, column, message)  # noqa: E731
        values = self._product(record, add)
        slug = values.get("slug")
        if slug is None:
            # Still check the variant cells, so one upload reports every problem; the plan is thrown away.
            plan = ProductPlan(row=row, slug=f"#row-{row}", values=values, exists=False)
        elif slug not in self.plans:
            plan = self.plans[slug] = ProductPlan(row=row, slug=slug, values=values,
                                                  exists=slug in self.lookups.products)
        else:
            plan = self.plans[slug]
            for column in PRODUCT_COLUMNS:
                # Only columns valid on both rows: a bad cell is reported once, as itself.
                if column in values and column in plan.values and values[column] != plan.values[column]:
                    add(column, f"Differs from row {plan.row}, the first row of this product.")
        if all(not record.get(column) for column in VARIANT_COLUMNS):
            return  # a product without variants
        line = self._variant(row, record, add, plan)
        if line is not None:
            plan.variants.append(line)

    def _required(self, record: dict, column: str, add) -> str | None:
        value = record.get(column, "")
        if not value:
            add(column, "This field is required.")
            return None
        if len(value) > _LENGTHS.get(column, 10_000):
            add(column, f"Use at most {_LENGTHS[column]} characters.")
            return None
        return value

    def _product(self, record: dict, add) -> dict:
        """The row's product columns, cleaned; a column with a problem is reported and left out."""
        values: dict = {}
        slug = self._required(record, "slug", add)
        if slug is not None:
            if slugify(slug) != slug:
                add("slug", "Use lowercase letters, digits and dashes, e.g. oxford-shirt.")
            else:
                values["slug"] = slug
        name = self._required(record, "name", add)
        if name is not None:
            values["name"] = name
        for column, table, label in (("brand", self.lookups.brands, "brand"),
                                     ("product_type", self.lookups.types, "product type")):
            value = self._required(record, column, add)
            if value is not None:
                if value.lower() in table:
                    values[column] = table[value.lower()]
                else:
                    add(column, f"Unknown {label} “{value}”.")
        category = self._required(record, "category", add)
        if category is not None:
            if category.strip("/").lower() in self.lookups.categories:
                values["category"] = self.lookups.categories[category.strip("/").lower()]
            else:
                add("category", f"Unknown category path “{category}”.")
        if "occasions" in record:
            occasions, unknown = [], []
            for name in _split(record["occasions"]):
                (occasions.append(self.lookups.occasions[name.lower()]) if name.lower() in self.lookups.occasions
                 else unknown.append(name))
            for name in unknown:
                add("occasions", f"Unknown occasion “{name}”.")
            if not unknown:
                values["occasions"] = sorted(set(occasions), key=lambda o: o.name)
        for column in ("description", "material", "care"):
            if column in record:
                if len(record[column]) > _LENGTHS.get(column, 10_000):
                    add(column, f"Use at most {_LENGTHS[column]} characters.")
                else:
                    values[column] = record[column]
        mrp, price = _money(record, "mrp", add), _money(record, "price", add)
        if mrp is not None:
            values["mrp"] = mrp
        if price is not None:
            if mrp is not None and price > mrp:
                add("price", "The selling price cannot be above the MRP.")
            else:
                values["price"] = price
        if "tags" in record:
            tags = sorted({tag.lower() for tag in _split(record["tags"])})
            if any(len(tag) > 40 for tag in tags):
                add("tags", "Keep each tag to 40 characters or fewer.")
            else:
                values["tags"] = tags
        for column in ("active", "featured"):
            if record.get(column):
                flag = record[column].lower()
                if flag in _TRUE | _FALSE:
                    values[column] = flag in _TRUE
                else:
                    add(column, "Enter yes or no.")
        return values

    def _variant(self, row: int, record: dict, add, plan: ProductPlan) -> VariantLine | None:
        ok = True
        sku = (self._required(record, "sku", add) or "").upper()
        if sku and not _SKU.match(sku):
            add("sku", "Use 3–40 capital letters, digits or dashes.")
            sku = ""
        size = self._required(record, "size", add)
        colour = self._required(record, "colour", add)
        colour_slug = slugify(colour or "")
        if colour and not colour_slug:
            add("colour", "Name the colour with letters or digits.")
        hex_value = self._required(record, "colour_hex", add)
        if hex_value is not None and not _HEX.match(hex_value):
            add("colour_hex", "Enter a colour as #RRGGBB.")
            hex_value = None
        product_type = plan.values.get("product_type")
        if size and product_type is not None and size not in product_type.sizes:
            add("size", f"“{size}” is not a size of {product_type.name} ({', '.join(product_type.sizes)}).")
            ok = False
        stock, threshold = _count(record, "stock", add), _count(record, "low_stock_threshold", add)
        if not (sku and size and colour_slug and hex_value) or stock is False or threshold is False:
            return None
        if sku in self.sku_rows:
            add("sku", f"This SKU is also on row {self.sku_rows[sku]}.")
            ok = False
        self.sku_rows.setdefault(sku, row)
        place = (plan.slug, colour_slug, size)
        if place in self.place_rows:
            add("size", f"Size {size} in {colour} is also on row {self.place_rows[place]}.")
            ok = False
        self.place_rows.setdefault(place, row)
        hex_value = hex_value.upper()
        first_colour = self.colour_rows.setdefault((plan.slug, colour_slug), (row, hex_value))
        if first_colour[1] != hex_value:
            add("colour_hex", f"Differs from row {first_colour[0]} for the colour {colour}.")
            ok = False
        existing = self.lookups.variants_by_sku.get(sku)
        if existing is not None and existing.product.slug != plan.slug:
            add("sku", f"This SKU belongs to another product (“{existing.product.slug}”).")
            ok = False
        elif existing is not None and (existing.colourway.slug, existing.size) != (colour_slug, size):
            add("sku", f"This SKU is size {existing.size} in {existing.colourway.name}; "
                       "a variant’s size and colour cannot change.")
            ok = False
        if not ok:
            return None
        return VariantLine(row=row, sku=sku, size=size, colour=colour, colour_slug=colour_slug,
                           hex=hex_value, stock=stock, threshold=threshold)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _money(record: dict, column: str, add) -> Decimal | None:
    raw = record.get(column, "")
    if not raw:
        add(column, "This field is required.")
        return None
    try:
        amount = Decimal(raw.replace(",", "").removeprefix("₹").strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        add(column, "Enter an amount in rupees, e.g. 1499.00.")
        return None
    if amount.as_tuple().exponent < -2:
        add(column, "Use at most two decimal places.")
        return None
    if amount <= 0:
        add(column, "Enter an amount above zero.")
        return None
    if amount >= _MAX_AMOUNT:
        add(column, "Enter an amount below ₹10,00,00,000.")
        return None
    return amount.quantize(Decimal("0.01"))


def _count(record: dict, column: str, add) -> int | None | bool:
    """A whole number of zero or more; None when blank or left out; False when wrong (reported)."""
    raw = record.get(column, "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        add(column, "Enter a whole number of zero or more.")
        return False
    return int(raw)
