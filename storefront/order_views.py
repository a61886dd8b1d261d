"""The shopper's orders: list, detail with timeline, cancel, reorder, invoice, paying again.

Every page looks the order up with `order_for_customer`, so another shopper's order number is a
404, never a 403 that would tell it exists. Rules (who may cancel, what a cancel gives back) live in
`order_transition`; these views only ask and show the answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from truestyle.core.errors import NotFound, StoreError
from truestyle.orders.models import Order
from truestyle.orders.selectors import (
    invoice_for_order,
    invoice_pdf_for_order,
    order_for_customer,
    order_next_statuses,
    orders_of_customer,
)
from truestyle.orders.services import order_transition
from truestyle.orders.statuses import Actor, OrderStatus
from truestyle.payments.selectors import payments_of_order
from truestyle.payments.services import payment_start
from truestyle.shopping.services import cart_add, cart_get_or_create

# The steps a shopper follows on the order page; a cancelled order shows its own history instead.
PROGRESS = [OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]


def _order(request, number: str) -> Order:
    try:
        return order_for_customer(user=request.user, number=number)
    except NotFound:
        raise Http404("No such order")


def _order_url(order: Order) -> str:
    return reverse("storefront:order", kwargs={"number": order.number})


@login_required
def order_list(request):
    return render(request, "storefront/orders/list.html", {"orders": orders_of_customer(user=request.user),
                                                          "section": "orders"})


def _progress(order: Order) -> list[dict]:
    if order.status in (OrderStatus.CANCELLED, OrderStatus.PENDING_PAYMENT):
        return []
    reached = PROGRESS.index(OrderStatus(order.status))
    return [{"label": step.label, "done": index <= reached, "current": index == reached}
            for index, step in enumerate(PROGRESS)]


def _status_label(status: str) -> str:
    try:
        return OrderStatus(status).label
    except ValueError:
        return status


@login_required
def order_detail(request, number: str):
    order = _order(request, number)
    payments = payments_of_order(order=order)
    try:
        invoice = invoice_for_order(order=order)
    except NotFound:
        invoice = None
    return render(request, "storefront/orders/detail.html", {
        "order": order, "lines": list(order.lines.all()), "events": [
            {"at": event.created_at, "label": _status_label(event.to_status), "note": event.note}
            for event in order.events.all()],
        "payment": payments[-1] if payments else None, "invoice": invoice, "progress": _progress(order),
        "can_cancel": OrderStatus.CANCELLED in order_next_statuses(order=order, role=Actor.CUSTOMER),
        "just_placed": request.GET.get("placed") == "1", "section": "orders",
    })


@login_required
def order_cancel(request, number: str):
    """GET asks for confirmation; POST cancels (stock, coupon and any payment go back)."""
    order = _order(request, number)
    if request.method == "POST":
        try:
            order_transition(order=order, to=OrderStatus.CANCELLED, actor=request.user,
                             note=(request.POST.get("reason") or "Cancelled by the customer.").strip()[:300])
        except StoreError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"Order {order.number} is cancelled.")
        return redirect(_order_url(order))
    can_cancel = OrderStatus.CANCELLED in order_next_statuses(order=order, role=Actor.CUSTOMER)
    return render(request, "storefront/orders/cancel.html", {"order": order, "can_cancel": can_cancel,
                                                            "section": "orders"})


@login_required
@require_POST
def order_reorder(request, number: str):
    """The order's lines back into the bag, each as far as it is still sold and in stock."""
    order = _order(request, number)
    cart = cart_get_or_create(user=request.user)
    added, missed = [], []
    for line in order.lines.all():
        try:
            cart_add(cart=cart, variant_id=line.variant_id, quantity=line.quantity)
        except StoreError:
            missed.append(f"{line.product_name} ({line.colour}, {line.size})")
        else:
            added.append(line.product_name)
    if added:
        messages.success(request, f"Added to your bag: {', '.join(added)}.")
    if missed:
        messages.error(request, f"Could not be added (no longer sold or not enough in stock): {', '.join(missed)}.")
    if not added:
        return redirect(_order_url(order))
    try:
        return redirect(reverse("storefront:cart"))
    except NoReverseMatch:  # a store without the bag page still gets its lines back
        return redirect(_order_url(order))


@login_required
def order_invoice(request, number: str):
    order = _order(request, number)
    try:
        filename, pdf = invoice_pdf_for_order(order=order)
    except NotFound:
        raise Http404("This order has no invoice yet")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def order_pay(request, number: str):
    """Try the payment of an unpaid online order again (after a decline or an abandoned page)."""
    order = _order(request, number)
    try:
        url = payment_start(order=order, return_url=request.build_absolute_uri(_order_url(order)))
    except StoreError as refusal:
        messages.error(request, refusal.message)
        return redirect(_order_url(order))
    return redirect(url)
