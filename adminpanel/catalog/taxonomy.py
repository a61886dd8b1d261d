"""Staff pages for brands, categories, occasions and product types (with the size-chart editor).

The four kinds share one set of views (list with search, create, edit, delete with confirmation),
described by a `Kind`; product types get their own form page for the size-chart grid. Every write
goes through truestyle.catalog.services.taxonomy, which also moves the catalogue cache version on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from adminpanel.catalog.taxonomy_forms import (
    BrandForm,
    CategoryForm,
    OccasionForm,
    ProductTypeForm,
    SizeChartGrid,
    TaxonomySearchForm,
)
from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render
from truestyle.catalog import taxonomy_selectors as selectors
from truestyle.catalog.models import Brand, Category, Occasion, ProductType
from truestyle.catalog.services import taxonomy as services
from truestyle.core.errors import StoreError

PERMISSION = "manage_catalogue"
PER_PAGE = 50
TEMPLATES = "adminpanel/catalog/taxonomy/"


@dataclass(frozen=True)
class Kind:
    key: str  # the service's keyword for the instance, e.g. "product_type"
    slug: str  # in URLs and URL names: "product-type" → taxonomy-product-type-edit
    plural_slug: str
    label: str
    plural: str
    model: type
    form: type[forms.Form]
    save: Callable
    blurb: str

    @property
    def arg(self) -> str:
        return f"{self.key}_id"

    def url(self, action: str = "", item=None) -> str:
        if not action:
            return reverse(f"adminpanel:taxonomy-{self.plural_slug}")
        args = {self.arg: str(item.pk)} if item is not None else {}
        return reverse(f"adminpanel:taxonomy-{self.slug}-{action}", kwargs=args)


KINDS = {kind.key: kind for kind in (
    Kind("brand", "brand", "brands", "Brand", "Brands", Brand, BrandForm, services.brand_save,
         "The labels products are sold under."),
    Kind("category", "category", "categories", "Category", "Categories", Category, CategoryForm,
         services.category_save, "The tree shoppers browse: Men › Shirts › Formal."),
    Kind("occasion", "occasion", "occasions", "Occasion", "Occasions", Occasion, OccasionForm,
         services.occasion_save, "Office, wedding, holiday: a product may suit several."),
    Kind("product_type", "product-type", "product-types", "Product type", "Product types", ProductType,
         ProductTypeForm, services.product_type_save, "Kinds of garment, each with its sizes and size chart."),
)}


def _item_or_404(kind: Kind, item_id: str):
    item = selectors.taxonomy_item(model=kind.model, item_id=item_id)
    if item is None:
        raise Http404(f"No such {kind.label.lower()}")
    return item


def _show_errors(form: forms.Form, error: StoreError, *, shown: bool = False) -> None:
    """Put a service's refusal on the form: each named field under its field; the message at the top
    unless some field (or, with `shown`, something else on the page) already says what is wrong."""
    for name, field_errors in error.fields.items():
        if name in form.fields:
            for message in field_errors:
                form.add_error(name, message)
            shown = True
    if not shown:
        form.add_error(None, error.message)


@staff_permission_required(PERMISSION)
def taxonomy_index(request):
    counts = selectors.taxonomy_counts()
    kinds = [{"kind": kind, "count": counts[key]} for key, kind in KINDS.items()]
    return staff_render(request, TEMPLATES + "index.html", {"kinds": kinds})


def _list(request, kind: Kind):
    form = TaxonomySearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.taxonomy_rows(model=kind.model, q=q), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"kind": kind, "form": form, "page": page, "query": query.urlencode(), "q": q,
               "table": f"{TEMPLATES}_table_{kind.key}.html"}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "list.html#results", context)
    return staff_render(request, TEMPLATES + "list.html", context)


def _saved(request, kind: Kind, item, created: bool):
    messages.success(request, f"{kind.label} {item.name} {'added' if created else 'saved'}.")
    return redirect(kind.url())


def _edit(request, kind: Kind, item):
    """The create (item None) or edit page of a brand, category or occasion."""
    extra = {}
    if kind.model is Category:
        extra["parent_choices"] = selectors.category_parent_choices(category=item)
    status = 200
    if request.method == "POST":
        form = kind.form(request.POST, **extra)
        if form.is_valid():
            values = dict(form.cleaned_data)
            if kind.model is Category:
                values["parent"] = (selectors.taxonomy_item(model=Category, item_id=values["parent"])
                                    if values["parent"] else None)
            try:
                saved = kind.save(actor=request.user, values=values, **{kind.key: item})
            except StoreError as error:
                _show_errors(form, error)
            else:
                return _saved(request, kind, saved, created=item is None)
        status = 400
    else:
        form = kind.form(initial=kind.form.initial_from(item) if item else None, **extra)
    context = {"kind": kind, "item": item, "form": form}
    return staff_render(request, TEMPLATES + "form.html", context, status=status)


def _product_type_edit(request, item: ProductType | None):
    """The product type page with its size-chart grid; nothing is saved unless the whole chart is valid."""
    kind = KINDS["product_type"]
    status = 200
    if request.method != "POST":
        form = ProductTypeForm(initial=ProductTypeForm.initial_from(item) if item else None)
        grid = SizeChartGrid.from_chart(item)
    else:
        grid = SizeChartGrid.from_post(request.POST)
        action = request.POST.get("action", "")
        if SizeChartGrid.is_change(action):
            # A grid change is not a save: show what was typed, without "required" errors yet.
            grid.change(action)
            form = ProductTypeForm(initial={name: request.POST.get(name, "") for name in ProductTypeForm.base_fields})
            context = {"kind": kind, "item": item, "form": form, "grid": grid}
            if request.htmx:
                return staff_render(request, TEMPLATES + "product_type_form.html#grid", context)
            return staff_render(request, TEMPLATES + "product_type_form.html", context)
        form = ProductTypeForm(request.POST)
        sizes, measurements = grid.service_values()
        chart = {"unit": request.POST.get("unit", ""), "how_to_measure": request.POST.get("how_to_measure", ""),
                 "measurements": measurements}
        if form.is_valid():
            values = {"name": form.cleaned_data["name"], "slug": form.cleaned_data["slug"], "sizes": sizes,
                      "size_chart": chart}
            try:
                saved = services.product_type_save(actor=request.user, values=values, product_type=item)
            except StoreError as error:
                grid.errors = {key: value for key, value in error.fields.items() if key not in form.fields}
                _show_errors(form, error, shown=bool(grid.errors))
            else:
                return _saved(request, kind, saved, created=item is None)
        else:
            try:  # mark the grid's cells too, so one round trip shows every problem
                services.size_chart_clean(chart, sizes)
            except StoreError as error:
                grid.errors = {key: value for key, value in error.fields.items() if key not in form.fields}
        status = 400
    context = {"kind": kind, "item": item, "form": form, "grid": grid}
    return staff_render(request, TEMPLATES + "product_type_form.html", context, status=status)


def _delete(request, kind: Kind, item):
    """GET asks for confirmation (saying up front why it would be refused); POST deletes."""
    status = 200
    if request.method == "POST":
        try:
            services.taxonomy_delete(actor=request.user, instance=item)
        except StoreError as error:
            refusal, status = error.message, error.status
        else:
            messages.success(request, f"{kind.label} {item.name} deleted.")
            return redirect(kind.url())
    else:
        refusal = services.taxonomy_delete_refusal(instance=item)
    context = {"kind": kind, "item": item, "refusal": refusal}
    return staff_render(request, TEMPLATES + "delete.html", context, status=status)


def _views(kind: Kind):
    """The list, create, edit and delete views of one kind, each behind the catalogue permission."""
    editor = _product_type_edit if kind.model is ProductType else (lambda request, item: _edit(request, kind, item))

    def item_list(request):
        return _list(request, kind)

    def item_create(request):
        return editor(request, None)

    def item_edit(request, **ids):
        return editor(request, _item_or_404(kind, ids[kind.arg]))

    def item_delete(request, **ids):
        return _delete(request, kind, _item_or_404(kind, ids[kind.arg]))

    views = {}
    for action, view in (("list", item_list), ("create", item_create), ("edit", item_edit), ("delete", item_delete)):
        view.__name__ = view.__qualname__ = f"{kind.key}_{action}"
        views[action] = staff_permission_required(PERMISSION)(view)
    return views


VIEWS = {key: _views(kind) for key, kind in KINDS.items()}
