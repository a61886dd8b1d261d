"""Staff coupon pages: list (search, status), create, edit, deactivate.

Every write goes through truestyle.promotions.services, which checks the coupon rules; its
field errors are shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect

from adminpanel.coupon_forms import CouponForm, CouponSearchForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import client_ip, post_only, staff_render
from truestyle.core.errors import StoreError
from truestyle.promotions import selectors, services
from truestyle.promotions.models import Coupon

PERMISSION = "manage_coupons"
PER_PAGE = 25
TEMPLATES = "adminpanel/coupons/"


def _coupon_or_404(coupon_id: str) -> Coupon:
    coupon = selectors.coupon_for_staff(coupon_id=coupon_id)
    if coupon is None:
        raise Http404("No such coupon")
    return coupon


@staff_permission_required(PERMISSION)
def coupon_list(request):
    form = CouponSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "status": ""}
    coupons = selectors.coupon_list(query=filters["q"], status=filters["status"])
    page = Paginator(coupons, PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(selectors.STATUSES)
    rows = [{"coupon": coupon, "status": status, "status_label": labels[status]}
            for coupon in page for status in [selectors.coupon_status(coupon)]]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "list.html#results", context)
    return staff_render(request, TEMPLATES + "list.html", context)


def _form(data=None, initial=None) -> CouponForm:
    categories, brands = selectors.coupon_restriction_choices()
    return CouponForm(data, initial=initial, categories=categories, brands=brands)


def _save(request, coupon: Coupon | None):
    form = _form(request.POST)
    if form.is_valid():
        try:
            saved = services.coupon_save(actor=request.user, coupon=coupon, data=form.cleaned_data,
                                         ip=client_ip(request))
        except StoreError as error:
            for field, errors in error.fields.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, f"Coupon {saved.code} saved.")
            return redirect("adminpanel:coupons")
    return staff_render(request, TEMPLATES + "form.html", {"form": form, "coupon": coupon}, status=400)


@staff_permission_required(PERMISSION)
def coupon_create(request):
    if request.method == "POST":
        return _save(request, None)
    return staff_render(request, TEMPLATES + "form.html", {"form": _form(), "coupon": None})


@staff_permission_required(PERMISSION)
def coupon_edit(request, coupon_id: str):
    coupon = _coupon_or_404(coupon_id)
    if request.method == "POST":
        return _save(request, coupon)
    initial = {name: getattr(coupon, name) for name in services.EDITABLE_FIELDS}
    status = selectors.coupon_status(coupon)
    context = {"form": _form(initial=initial), "coupon": coupon, "status": status,
               "status_label": dict(selectors.STATUSES)[status]}
    return staff_render(request, TEMPLATES + "form.html", context)


@staff_permission_required(PERMISSION)
@post_only
def coupon_deactivate(request, coupon_id: str):
    coupon = services.coupon_deactivate(actor=request.user, coupon=_coupon_or_404(coupon_id), ip=client_ip(request))
    messages.success(request, f"Coupon {coupon.code} is deactivated: shoppers can no longer use it.")
    return redirect("adminpanel:coupons")
