"""Staff pages for CSV export and import of products and variants.

The import runs in the background (truestyle.catalog.services.csv_transfer); its page polls a
progress fragment with htmx until the job has finished, then shows the report.
"""

from __future__ import annotations

from bson import ObjectId
from django import forms
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from adminpanel.catalog.product_forms import ProductSearchForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.catalog.models import CatalogImport
from truestyle.catalog.services.csv_export import catalog_csv_lines
from truestyle.catalog.services.csv_format import COLUMNS, EMPTY_FILE, REQUIRED_COLUMNS, max_bytes
from truestyle.catalog.services.csv_transfer import catalog_import_start
from truestyle.catalog.staff_selectors import staff_product_search
from truestyle.core.errors import StoreError

RECENT_IMPORTS = 10


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
                           error_messages={"required": "Choose a CSV file to import.", "empty": EMPTY_FILE})


def _index(request, *, form: ImportForm | None = None, status: int = 200):
    context = {
        "search_form": ProductSearchForm(request.GET or None),
        "form": form or ImportForm(),
        "imports": CatalogImport.objects.all()[:RECENT_IMPORTS],
        "columns": COLUMNS,
        "required_columns": REQUIRED_COLUMNS,
        "max_kb": max_bytes() // 1024,
    }
    return staff_render(request, "adminpanel/catalog/transfer/index.html", context, status=status)


@staff_permission_required("manage_catalogue")
def transfer_index(request):
    return _index(request)


@staff_permission_required("manage_catalogue")
def transfer_export(request):
    """The catalogue, or the products the search form selects, as a CSV the import takes back."""
    form = ProductSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "brand": "", "category": "", "active": ""}
    products = staff_product_search(q=filters["q"], brand_id=filters["brand"], category_id=filters["category"],
                                    active=filters["active"])
    response = StreamingHttpResponse(catalog_csv_lines(products=products), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{stamp}.csv"'
    return response


@staff_permission_required("manage_catalogue")
@post_only
def transfer_import(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = catalog_import_start(actor=request.user, upload=form.cleaned_data["file"])
        except StoreError as error:
            form.add_error("file", error.message)
        else:
            return redirect("adminpanel:catalog-transfer-job", import_id=job.pk)
    return _index(request, form=form, status=400)


@staff_permission_required("manage_catalogue")
def transfer_job(request, import_id: str):
    """The import's page; with htmx, only its progress fragment (polled until the job has finished)."""
    job = CatalogImport.objects.filter(pk=import_id).first() if ObjectId.is_valid(import_id) else None
    if job is None:
        raise Http404("No such import")
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, "adminpanel/catalog/transfer/job.html#progress", {"job": job})
    return staff_render(request, "adminpanel/catalog/transfer/job.html", {"job": job})
