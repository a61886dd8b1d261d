"""Staff pages for stock: the low-stock list, a product's stock, a variant's ledger, and adjustments.

Stock moves only through `stock_adjust`, which writes the ledger row in the same transaction
(truestyle.catalog.services.stock); these pages never set a stock count. Each row's adjustment
form posts with htmx and gets its row back; without JavaScript it posts normally and returns to
the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from adminpanel.catalog.product_forms import StockAdjustForm
from adminpanel.catalog.products import add_service_errors, product_context, product_or_404
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.catalog import staff_selectors
from truestyle.catalog.services import stock_adjust
from truestyle.catalog.staff_selectors import StockRow
from truestyle.core.errors import NotFound, StoreError

LOW_STOCK_LIMIT = 200
MOVEMENTS_PER_PAGE = 50
ROW_TEMPLATE = "adminpanel/catalog/stock/_row.html"


def _with_forms(rows: list[StockRow]) -> list[dict]:
    return [{"row": row, "form": StockAdjustForm(variant_id=row.variant.pk)} for row in rows]


@staff_permission_required("adjust_stock")
def stock_index(request):
    rows = staff_selectors.low_stock_rows(limit=LOW_STOCK_LIMIT)
    return staff_render(request, "adminpanel/catalog/stock/low_stock.html",
                        {"items": _with_forms(rows), "limit": LOW_STOCK_LIMIT, "show_product": True})


@staff_permission_required("adjust_stock")
def stock_product(request, product_id: str):
    product = product_or_404(product_id)
    rows = staff_selectors.product_stock_rows(product=product)
    context = {**product_context(request, product, "stock"), "items": _with_forms(rows), "show_product": False,
               "waiting_total": sum(row.waiting for row in rows)}
    return staff_render(request, "adminpanel/catalog/stock/product.html", context)


def _variant_page(request, variant, *, form=None, status: int = 200):
    movements = staff_selectors.variant_ledger(variant=variant)
    page = Paginator(movements, MOVEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    emails = staff_selectors.actor_emails(actor_ids={movement.actor_id for movement in page})
    context = {
        "variant": variant, "page": page,
        "movements": [(movement, emails.get(movement.actor_id, "")) for movement in page],
        "ledger_total": staff_selectors.ledger_total(variant=variant),
        "waiting": staff_selectors.waitlist_counts(variant_ids=[variant.pk]).get(variant.pk, 0),
        "form": form or StockAdjustForm(variant_id=variant.pk),
    }
    return staff_render(request, "adminpanel/catalog/stock/variant.html", context, status=status)


def _variant_or_404(variant_id: str):
    variant = staff_selectors.variant_for_staff(variant_id=variant_id)
    if variant is None:
        raise Http404("No such variant")
    return variant


@staff_permission_required("adjust_stock")
def stock_variant(request, variant_id: str):
    return _variant_page(request, _variant_or_404(variant_id))


@staff_permission_required("adjust_stock")
@post_only
def stock_adjust_view(request, variant_id: str):
    variant = _variant_or_404(variant_id)
    form = StockAdjustForm(request.POST, variant_id=variant.pk)
    done = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant = stock_adjust(variant_id=variant.pk, delta=data["delta"], reason=data["reason"],
                                   actor_id=str(request.user.pk), note=data["note"], actor=request.user)
        except NotFound:
            raise Http404("No such variant")
        except StoreError as error:
            add_service_errors(form, error)
        else:
            done = f"{data['delta']:+d} recorded; {variant.sku} now has {variant.stock} in stock."
    if request.htmx:
        # The row comes back either way (200, since htmx swaps only successful answers): refreshed
        # with a note after a change, or with the form's errors.
        row = staff_selectors.stock_row(variant_id=variant.pk)
        form = StockAdjustForm(variant_id=variant.pk) if done else form
        return staff_render(request, ROW_TEMPLATE, {"item": {"row": row, "form": form}, "done": done,
                                                    "show_product": request.POST.get("show_product") == "1",
                                                    "next_url": request.POST.get("next", "")})
    if not done:
        return _variant_page(request, variant, form=form, status=400)
    messages.success(request, done)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect("adminpanel:stock-variant", variant_id=variant.pk)
