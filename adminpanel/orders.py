"""Staff order pages: the filtered list, an order with its history and next moves, and its invoice.

Every status change goes through `order_transition` (truestyle/orders/services/transitions.py), which
owns the transition table, the tracking-number rule and the consequences (stock, coupon, refund,
mail). Its refusals come back here as messages; a refused move writes nothing. Payment details and
gateway logs show only to holders of manage_payments.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from adminpanel.order_forms import OrderSearchForm, OrderTransitionForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.accounts.permissions import user_has_permission
from truestyle.core.errors import NotFound, StoreError
from truestyle.orders import staff_selectors
from truestyle.orders.models import Invoice, Order, PaymentMethod
from truestyle.orders.selectors import invoice_pdf_for_order, order_next_statuses
from truestyle.orders.services import actor_role, order_transition
from truestyle.orders.staff_selectors import OrderFilters
from truestyle.orders.statuses import STAFF_PERMISSION, OrderStatus
from truestyle.payments.models import PaymentStatus
from truestyle.payments.selectors import payment_logs, payments_of_order, refunds_of_order

PAYMENTS_PERMISSION = "manage_payments"
PER_PAGE = 25
TEMPLATES = "adminpanel/orders/"
TRANSITION_PREFIX = "transition"
# The button of each move, as staff say it.
MOVE_LABELS = {
    OrderStatus.CONFIRMED: "Confirm order",
    OrderStatus.PACKED: "Mark packed",
    OrderStatus.SHIPPED: "Mark shipped",
    OrderStatus.DELIVERED: "Mark delivered",
    OrderStatus.CANCELLED: "Cancel order",
}


def _order_or_404(number: str) -> Order:
    order = staff_selectors.order_by_number_for_staff(number=number)
    if order is None:
        raise Http404("No such order")
    return order


@staff_permission_required(STAFF_PERMISSION)
def order_list(request):
    form = OrderSearchForm(request.GET or None)
    # An invalid filter (a malformed date, an unknown status) is shown on the form and left out;
    # the valid ones still apply.
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that are valid
    data = getattr(form, "cleaned_data", {})
    filters = OrderFilters(**{name: value for name, value in data.items() if value})
    orders = staff_selectors.order_list_for_staff(filters=filters)
    page = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    statuses = staff_selectors.payment_statuses(orders=page.object_list)
    payment_labels = dict(PaymentStatus.choices)
    rows = [{"order": order, "payment_status": statuses.get(order.pk, ""),
             "payment_status_label": payment_labels.get(statuses.get(order.pk, ""), "—")} for order in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "list.html#results", context)
    return staff_render(request, TEMPLATES + "list.html", context)


def _actor_label(actor_id: str, order: Order, people: dict) -> str:
    if not actor_id:
        return "Store (automatic)"
    person = people.get(actor_id)
    if person is None:
        return "A former account"
    if actor_id == str(order.user_id):
        return f"Customer ({person.email})"
    return f"{person.name} ({person.email})" if person.name else person.email


def _payments(order: Order) -> list[dict]:
    rows = []
    for payment in payments_of_order(order=order):
        logs = [{"log": log, "payload": json.dumps(log.payload, indent=1, sort_keys=True, default=str)
                 if log.payload else ""} for log in payment_logs(payment=payment)]
        rows.append({"payment": payment, "logs": logs,
                     "method_label": dict(PaymentMethod.choices).get(payment.method, payment.method)})
    return rows


@staff_permission_required(STAFF_PERMISSION)
def order_detail(request, order_number: str):
    order = _order_or_404(order_number)
    events = staff_selectors.order_events(order=order)
    people = staff_selectors.people_by_id(user_ids=[event.actor_id for event in events])
    role = actor_role(order=order, actor=request.user)
    moves = [{"to": to, "label": MOVE_LABELS.get(to, OrderStatus(to).label)}
             for to in order_next_statuses(order=order, role=role)]
    can_payments = user_has_permission(request.user, PAYMENTS_PERMISSION)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "customer": order.user,
        "address": order.shipping_address,
        "timeline": [{"event": event, "actor": _actor_label(event.actor_id, order, people),
                      "from_label": _status_label(event.from_status), "to_label": _status_label(event.to_status)}
                     for event in events],
        "moves": moves,
        "transition_form": OrderTransitionForm(prefix=TRANSITION_PREFIX),
        "can_payments": can_payments,
        "can_customers": user_has_permission(request.user, "view_customers"),
        "payments": _payments(order) if can_payments else [],
        "refunds": refunds_of_order(order=order),
        "invoice": Invoice.objects.filter(order=order).first(),
    }
    return staff_render(request, TEMPLATES + "detail.html", context)


def _status_label(status: str) -> str:
    return OrderStatus(status).label if status in OrderStatus.values else status


@staff_permission_required(STAFF_PERMISSION)
@post_only
def order_transition_view(request, order_number: str):
    """One move of the order; success and refusal alike return to the order with a message."""
    order = _order_or_404(order_number)
    back = redirect("adminpanel:order", order_number=order.number)
    form = OrderTransitionForm(request.POST, prefix=TRANSITION_PREFIX)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return back
    data = form.cleaned_data
    if data["from_status"] != order.status:
        messages.error(request, f"This order changed in the meantime: it is now "
                                f"{_status_label(order.status).lower()}. Check it and try again.")
        return back
    try:
        order = order_transition(order=order, to=data["to"], actor=request.user, note=data["note"].strip(),
                                 tracking_number=data["tracking_number"])
    except StoreError as refusal:
        messages.error(request, refusal.message)
        return back
    done = f"Order {order.number} is now {_status_label(order.status).lower()}."
    if order.status == OrderStatus.SHIPPED:
        done += f" Tracking number {order.tracking_number}."
    messages.success(request, done)
    return back


@staff_permission_required(STAFF_PERMISSION)
def order_invoice(request, order_number: str):
    order = _order_or_404(order_number)
    try:
        filename, pdf = invoice_pdf_for_order(order=order)
    except NotFound as missing:
        messages.error(request, missing.message)
        return redirect("adminpanel:order", order_number=order.number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
