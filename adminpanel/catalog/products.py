"""Staff pages for products and their size × colour variant matrix.

The rules (prices, slugs, SKUs, which sizes a type has) live in truestyle.catalog.services; these
views turn forms into service calls and service refusals back into form errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect

from adminpanel.catalog.product_forms import MatrixGenerateForm, ProductForm, ProductSearchForm, VariantGridForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.accounts.permissions import user_has_permission
from truestyle.catalog import staff_selectors
from truestyle.catalog.services import product_save, variant_grid_update, variant_matrix_generate
from truestyle.catalog.services.products import product_get_for_staff
from truestyle.core.errors import NotFound, StoreError

PRODUCTS_PER_PAGE = 25


def product_or_404(product_id: str):
    try:
        return product_get_for_staff(product_id=product_id)
    except NotFound:
        raise Http404("No such product")


def product_context(request, product, tab: str) -> dict:
    """What the product pages' shared header and tabs need."""
    return {"product": product, "tab": tab, "can_adjust_stock": user_has_permission(request.user, "adjust_stock")}


def add_service_errors(form, error: StoreError, field_names: dict | None = None) -> None:
    """Show a service refusal on the form: field messages on their fields, the rest on the form."""
    field_names = field_names or {}
    placed = False
    for key, field_messages in error.fields.items():
        name = field_names.get(key, key)
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@staff_permission_required("manage_catalogue")
def product_list(request):
    form = ProductSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "brand": "", "category": "", "active": ""}
    products = staff_selectors.staff_product_search(q=filters["q"], brand_id=filters["brand"],
                                                    category_id=filters["category"], active=filters["active"])
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    summaries = staff_selectors.product_stock_summaries(product_ids=[product.pk for product in page])
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "rows": [(product, summaries[product.pk]) for product in page],
               "can_adjust_stock": user_has_permission(request.user, "adjust_stock")}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, "adminpanel/catalog/products/list.html#results", context)
    return staff_render(request, "adminpanel/catalog/products/list.html", context)


@staff_permission_required("manage_catalogue")
def product_create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_save(actor=request.user, values=form.values())
        except StoreError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{product.name} is created. Now choose its sizes and colours.")
            return redirect("adminpanel:product-variants", product_id=product.pk)
    status = 400 if request.method == "POST" else 200
    return staff_render(request, "adminpanel/catalog/products/form.html", {"form": form, "tab": "details"},
                        status=status)


@staff_permission_required("manage_catalogue")
def product_edit(request, product_id: str):
    product = product_or_404(product_id)
    form = ProductForm(request.POST or None, initial=ProductForm.initial_for(product))
    if request.method == "POST" and form.is_valid():
        try:
            product_save(actor=request.user, values=form.values(), product=product)
        except StoreError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{product.name} is saved.")
            return redirect("adminpanel:product", product_id=product.pk)
        product.refresh_from_db()  # the service may have changed the instance before refusing
    status = 400 if request.method == "POST" else 200
    return staff_render(request, "adminpanel/catalog/products/form.html",
                        {**product_context(request, product, "details"), "form": form}, status=status)


def _colour_rows(form, *, minimum: int) -> list[dict]:
    """The colour inputs to show: what was posted (after a refusal), then blank rows up to `minimum`."""
    rows = []
    if form is not None and form.is_bound:
        names, hexes = form.data.getlist("matrix-colour_name"), form.data.getlist("matrix-colour_hex")
        rows = [{"name": name, "hex": hex_value} for name, hex_value in zip(names, hexes) if name.strip()]
    return rows + [{"name": "", "hex": "#2e3a87"}] * max(0, minimum - len(rows))


def _variants_page(request, product, *, generate_form=None, grid_form=None, status: int = 200):
    matrix = staff_selectors.variant_matrix(product=product)
    grid_form = grid_form or VariantGridForm(variants=matrix.variants)
    rows = [{"colourway": row.colourway,
             "cells": [{"variant": cell, "fields": grid_form.cell(cell), "waiting": matrix.waiting.get(cell.pk, 0)}
                       if cell is not None else None for cell in row.cells]}
            for row in matrix.rows]
    context = {
        **product_context(request, product, "variants"),
        "generate_form": generate_form or MatrixGenerateForm(product=product),
        "grid_form": grid_form, "sizes": matrix.sizes, "rows": rows,
        "has_cell_errors": grid_form.is_bound and bool(grid_form.errors),
        "colour_rows": _colour_rows(generate_form, minimum=1 if matrix.rows else 2),
    }
    return staff_render(request, "adminpanel/catalog/products/variants.html", context, status=status)


@staff_permission_required("manage_catalogue")
def product_variants(request, product_id: str):
    return _variants_page(request, product_or_404(product_id))


@staff_permission_required("manage_catalogue")
@post_only
def product_variants_generate(request, product_id: str):
    product = product_or_404(product_id)
    form = MatrixGenerateForm(request.POST, product=product)
    if form.is_valid():
        try:
            created = variant_matrix_generate(actor=request.user, product=product, colours=form.colours,
                                              sizes=form.cleaned_data["sizes"])
        except StoreError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{len(created)} new variant{'s' if len(created) != 1 else ''} created "
                                      "with no stock.")
            return redirect("adminpanel:product-variants", product_id=product.pk)
    return _variants_page(request, product, generate_form=form, status=400)


@staff_permission_required("manage_catalogue")
@post_only
def product_variants_save(request, product_id: str):
    """Save the whole grid, or nothing: every cell is checked before any is written."""
    product = product_or_404(product_id)
    variants = staff_selectors.variant_matrix(product=product).variants
    form = VariantGridForm(request.POST, variants=variants)
    if form.is_valid():
        rows = form.rows()
        try:
            variant_grid_update(actor=request.user, product=product, rows=rows)
        except StoreError as error:
            # The service names cells by row index ("rows.3.sku"); show each on its own cell.
            by_index = {f"rows.{index}.sku": f"sku-{row['id']}" for index, row in enumerate(rows)}
            by_index |= {f"rows.{index}.stock": f"threshold-{row['id']}" for index, row in enumerate(rows)}
            add_service_errors(form, error, by_index)
        else:
            messages.success(request, "Variants saved.")
            return redirect("adminpanel:product-variants", product_id=product.pk)
    return _variants_page(request, product, grid_form=form, status=400)
