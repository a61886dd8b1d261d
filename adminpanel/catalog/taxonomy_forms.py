"""Forms of the staff taxonomy pages: input shape only; the rules live in truestyle.catalog.services.taxonomy.

The size chart is a grid of inputs named by place (`size-<row>`, `measurement-<column>`,
`value-<row>-<column>`, with the counts in `sizes-count` and `measurements-count`), like a formset's
management form. Adding or removing a row or a column is a submit button (`action=add-size`,
`remove-size-2`…) that re-renders the grid from what was posted and saves nothing, so the editor
works the same with and without JavaScript; htmx only swaps the grid instead of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms

from truestyle.catalog.services.taxonomy import MAX_CHART_MEASUREMENTS, MAX_CHART_SIZES, SIZE_CHART_UNITS


class TaxonomySearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name"}))


SLUG_HELP = "Used in the shop's addresses; left empty, it is made from the name."


class BrandForm(forms.Form):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=120, required=False, help_text=SLUG_HELP)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="Shown in the shop", required=False, initial=True)

    @staticmethod
    def initial_from(brand) -> dict:
        return {"name": brand.name, "slug": brand.slug, "description": brand.description, "is_active": brand.is_active}


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=120, required=False, help_text=SLUG_HELP)
    parent = forms.ChoiceField(required=False, help_text="Leave empty for a top-level category.")
    position = forms.IntegerField(min_value=0, max_value=10_000, initial=0, help_text="Lower comes first.")
    is_active = forms.BooleanField(label="Shown in the shop", required=False, initial=True)

    def __init__(self, *args, parent_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— None (top level) —"), *parent_choices]

    @staticmethod
    def initial_from(category) -> dict:
        return {"name": category.name, "slug": category.slug, "position": category.position,
                "parent": str(category.parent_id) if category.parent_id else "", "is_active": category.is_active}


class OccasionForm(forms.Form):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=120, required=False, help_text=SLUG_HELP)
    position = forms.IntegerField(min_value=0, max_value=10_000, initial=0, help_text="Lower comes first.")

    @staticmethod
    def initial_from(occasion) -> dict:
        return {"name": occasion.name, "slug": occasion.slug, "position": occasion.position}


class ProductTypeForm(forms.Form):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=120, required=False, help_text=SLUG_HELP)
    unit = forms.ChoiceField(choices=list(SIZE_CHART_UNITS.items()), initial="cm")
    how_to_measure = forms.CharField(label="How to measure", required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text="Shown under the size chart on every product of this type.")

    @staticmethod
    def initial_from(product_type) -> dict:
        chart = product_type.size_chart or {}
        return {"name": product_type.name, "slug": product_type.slug, "unit": chart.get("unit", "cm"),
                "how_to_measure": chart.get("how_to_measure", "")}


@dataclass
class Cell:
    name: str  # the input's name
    value: str
    label: str  # what a screen reader says for the input
    errors: list[str] = field(default_factory=list)


@dataclass
class SizeRow:
    size: Cell
    values: list[Cell]


_ACTION = re.compile(r"^(add-size|add-measurement|remove-size-(\d+)|remove-measurement-(\d+))$")


def _count(data, key: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), limit))
    except (TypeError, ValueError):
        return 0


class SizeChartGrid:
    """The size chart as rows of sizes by columns of measurements, as strings the way they were typed."""

    def __init__(self, sizes: list[str], measurements: list[str], values: list[list[str]]):
        self.sizes = sizes
        self.measurements = measurements
        self.values = values  # values[row][column]
        self.errors: dict[str, list[str]] = {}  # the service's keys: sizes.<row>, measurements.<column>.name…
        self.focus = ""  # the input a grid change just added, focused when shown

    @classmethod
    def from_chart(cls, product_type=None) -> SizeChartGrid:
        if product_type is None or not product_type.sizes:
            return cls(["S", "M", "L"], ["Chest"], [[""], [""], [""]])
        chart = product_type.size_chart or {}
        sizes = list(product_type.sizes)
        rows = chart.get("measurements", [])
        values = [[_number(row.get("values", {}).get(size)) for row in rows] for size in sizes]
        return cls(sizes, [row.get("name", "") for row in rows], values)

    @classmethod
    def from_post(cls, data) -> SizeChartGrid:
        rows = _count(data, "sizes-count", MAX_CHART_SIZES)
        columns = _count(data, "measurements-count", MAX_CHART_MEASUREMENTS)
        return cls([data.get(f"size-{row}", "").strip() for row in range(rows)],
                   [data.get(f"measurement-{column}", "").strip() for column in range(columns)],
                   [[data.get(f"value-{row}-{column}", "").strip() for column in range(columns)]
                    for row in range(rows)])

    @staticmethod
    def is_change(action: str) -> bool:
        return bool(_ACTION.match(action or ""))

    def change(self, action: str) -> None:
        """Add or remove a row or a column (ignored past the chart's limits or for an unknown index)."""
        match = _ACTION.match(action or "")
        if not match:
            return
        if action == "add-size" and len(self.sizes) < MAX_CHART_SIZES:
            self.sizes.append("")
            self.values.append([""] * len(self.measurements))
            self.focus = f"size-{len(self.sizes) - 1}"
        elif action == "add-measurement" and len(self.measurements) < MAX_CHART_MEASUREMENTS:
            self.measurements.append("")
            for row in self.values:
                row.append("")
            self.focus = f"measurement-{len(self.measurements) - 1}"
        elif match.group(2) is not None and int(match.group(2)) < len(self.sizes):
            row = int(match.group(2))
            del self.sizes[row], self.values[row]
        elif match.group(3) is not None and int(match.group(3)) < len(self.measurements):
            column = int(match.group(3))
            del self.measurements[column]
            for values in self.values:
                del values[column]

    def service_values(self) -> tuple[list[str], list[dict]]:
        """(sizes, measurements) as `product_type_save` takes them: values listed in the order of the sizes."""
        return self.sizes, [{"name": name, "values": [row[column] for row in self.values]}
                            for column, name in enumerate(self.measurements)]

    @property
    def general_errors(self) -> list[str]:
        return [*self.errors.get("sizes", []), *self.errors.get("measurements", [])]

    @property
    def header(self) -> list[Cell]:
        return [Cell(f"measurement-{column}", name, f"Measurement {column + 1} name",
                     self.errors.get(f"measurements.{column}.name", []))
                for column, name in enumerate(self.measurements)]

    @property
    def rows(self) -> list[SizeRow]:
        return [SizeRow(Cell(f"size-{row}", size, f"Size {row + 1}", self.errors.get(f"sizes.{row}", [])),
                        [Cell(f"value-{row}-{column}", value,
                              f"{self.measurements[column] or f'Measurement {column + 1}'} of size {size or row + 1}",
                              self.errors.get(f"measurements.{column}.values.{row}", []))
                         for column, value in enumerate(self.values[row])])
                for row, size in enumerate(self.sizes)]

    @property
    def can_add_size(self) -> bool:
        return len(self.sizes) < MAX_CHART_SIZES

    @property
    def can_add_measurement(self) -> bool:
        return len(self.measurements) < MAX_CHART_MEASUREMENTS


def _number(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return f"{value:.0f}" if value.is_integer() else f"{value:g}"
