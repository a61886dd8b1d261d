"""Staff pages. Each view names its permission with `staff_permission_required` (adminpanel/permissions.py);
the rules of blocking and role changes live in truestyle.accounts.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from adminpanel.forms import BlockForm, CustomerSearchForm, RolesForm
from adminpanel.permissions import staff_permission_required
from truestyle.accounts import selectors, services
from truestyle.accounts.permissions import user_has_permission
from truestyle.accounts.roles import ROLE_LABELS
from truestyle.accounts.services.roles import user_roles
from truestyle.core.errors import NotFound, StoreError

CUSTOMERS_PER_PAGE = 25
# (URL name, label, permission, URL names it is current for) of the staff navigation;
# a link shows only to those who may open it.
STAFF_NAV = [
    ("dashboard", "Dashboard", "view_staff_area", "dashboard"),
    ("customers", "Customers", "view_customers", "customer"),
    ("products", "Products", "manage_catalogue", "product"),
    ("taxonomy", "Brands & categories", "manage_catalogue", "taxonomy"),
    ("stock", "Stock", "adjust_stock", "stock"),
    ("catalog-transfer", "Import / export", "manage_catalogue", "catalog-transfer"),
    ("orders", "Orders", "manage_orders", "order"),
    ("returns", "Returns", "manage_returns", "return"),
    ("coupons", "Coupons", "manage_coupons", "coupon"),
    ("reviews", "Reviews", "moderate_reviews", "review"),
    ("content", "Store content", "manage_content", "content"),
    ("contact-messages", "Messages", "handle_contact_messages", "contact-message"),
    ("logs-audit", "Logs", "view_logs", "logs-"),
    ("backups", "Backups", "manage_backups", "backup"),
]


def post_only(view):
    """`require_POST`, recorded on the view (the role matrix test sends POST to these)."""
    view = require_POST(view)
    view.http_methods = ("POST",)
    return view


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def staff_render(request, template: str, context: dict | None = None, *, status: int = 200):
    current = request.resolver_match.url_name if request.resolver_match else ""
    nav = [{"label": label, "url": reverse(f"adminpanel:{name}"), "current": current.startswith(prefix)}
           for name, label, permission, prefix in STAFF_NAV if user_has_permission(request.user, permission)]
    return render(request, template, {"staff_nav": nav, **(context or {})}, status=status)


def _customer_or_404(user_id: str):
    customer = selectors.user_for_staff(user_id=user_id)
    if customer is None:
        raise Http404("No such customer")
    return customer


@staff_permission_required("view_customers")
def customer_list(request):
    form = CustomerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "status": ""}
    customers = selectors.customer_search(query=filters["q"], status=filters["status"])
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, "adminpanel/customers.html#results", context)
    return staff_render(request, "adminpanel/customers.html", context)


def _detail(request, customer, *, block_form=None, roles_form=None, status: int = 200):
    roles = user_roles(customer)
    context = {
        "customer": customer,
        "roles": [ROLE_LABELS[role] for role in ROLE_LABELS if role in roles],
        "can_block": user_has_permission(request.user, "block_customers"),
        "can_assign_roles": user_has_permission(request.user, "assign_roles"),
        "block_form": block_form or BlockForm(),
        "roles_form": roles_form or RolesForm(initial={"roles": sorted(roles)}),
    }
    return staff_render(request, "adminpanel/customer_detail.html", context, status=status)


@staff_permission_required("view_customers")
def customer_detail(request, user_id: str):
    return _detail(request, _customer_or_404(user_id))


@staff_permission_required("block_customers")
@post_only
def customer_block(request, user_id: str):
    customer = _customer_or_404(user_id)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.user_block(actor=request.user, user=customer, reason=form.cleaned_data["reason"],
                                ip=client_ip(request))
        except NotFound:
            raise Http404("No such customer")
        except StoreError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{customer.email} is blocked and has been signed out everywhere.")
            return redirect("adminpanel:customer", user_id=user_id)
    return _detail(request, customer, block_form=form, status=400)


@staff_permission_required("block_customers")
@post_only
def customer_unblock(request, user_id: str):
    customer = _customer_or_404(user_id)
    services.user_unblock(actor=request.user, user=customer, ip=client_ip(request))
    messages.success(request, f"{customer.email} is unblocked.")
    return redirect("adminpanel:customer", user_id=user_id)


@staff_permission_required("assign_roles")
@post_only
def customer_roles(request, user_id: str):
    customer = _customer_or_404(user_id)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.user_roles_set(actor=request.user, user=customer, roles=set(form.cleaned_data["roles"]),
                                    ip=client_ip(request))
        except StoreError as error:
            for message in error.fields.get("roles", [error.message]):
                form.add_error(None, message)
        else:
            messages.success(request, f"Roles of {customer.email} saved.")
            return redirect("adminpanel:customer", user_id=user_id)
    return _detail(request, customer, roles_form=form, status=400)
