"""Reads for orders and invoices."""

from __future__ import annotations

from bson import ObjectId

from truestyle.core.errors import NotFound
from truestyle.orders.models import Invoice, Order
from truestyle.orders.statuses import next_statuses_for


def order_get(*, order_id) -> Order:
    order = Order.objects.filter(pk=order_id).first() if ObjectId.is_valid(str(order_id)) else None
    if order is None:
        raise NotFound("That order does not exist.", code="order_not_found")
    return order


def order_for_customer(*, user, number: str) -> Order:
    """The customer's own order by its number (another customer's is "not found", never "forbidden")."""
    order = Order.objects.filter(number=number, user=user).prefetch_related("lines", "events").first()
    if order is None:
        raise NotFound("That order does not exist.", code="order_not_found")
    return order


def orders_of_customer(*, user) -> list[Order]:
    return list(Order.objects.filter(user=user).order_by("-created_at"))


def order_next_statuses(*, order: Order, role: str) -> list[str]:
    return next_statuses_for(order.status, role)


def invoice_for_order(*, order: Order) -> Invoice:
    invoice = Invoice.objects.filter(order=order).first()
    if invoice is None:
        raise NotFound("This order has no invoice yet.", code="invoice_not_found")
    return invoice


def invoice_pdf_for_order(*, order: Order) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the order's invoice; NotFound before it is issued."""
    from truestyle.orders.invoice_pdf import invoice_pdf_render

    invoice = invoice_for_order(order=order)
    return f"invoice-{invoice.number.replace('/', '-')}.pdf", invoice_pdf_render(invoice=invoice)
