"""Tax invoices: numbered per Indian financial year without gaps or repeats, frozen once issued."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from truestyle.orders.models import Invoice, InvoiceCounter, Order
from truestyle.orders.pricing import gst_included, gst_rate, money


def financial_year(day: date) -> str:
    """India's financial year runs April to March: 2026-11-25 -> "2026-27", 2027-03-31 -> "2026-27"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def invoice_counter_ensure(*, year: str | None = None) -> None:
    """Create the year's counter document if missing; call outside transactions (creation may race)."""
    year = year or financial_year(timezone.localdate())
    try:
        InvoiceCounter.objects.get_or_create(financial_year=year)
    except IntegrityError:
        pass  # created by a concurrent call: exactly what we wanted


def _next_number(year: str) -> tuple[int, str]:
    # Single-document conditional update inside the caller's transaction: two issuers of the same
    # year write-conflict, and the loser's whole transaction runs again, so no number repeats and,
    # since a rolled-back transaction takes its increment with it, none is skipped.
    if InvoiceCounter.objects.filter(financial_year=year).update(last=F("last") + 1) != 1:
        InvoiceCounter.objects.create(financial_year=year, last=1)
    sequence = InvoiceCounter.objects.get(financial_year=year).last
    return sequence, f"{settings.INVOICE_PREFIX}/{year}/{sequence:06d}"


def invoice_lines(order: Order) -> list[dict]:
    """Per line: the coupon discount shared out in proportion, and the GST contained in what was paid.

    The rate follows the price actually paid per piece (5% up to ₹2,500, 18% above).
    """
    lines = list(order.lines.all())
    subtotal = order.subtotal or Decimal("0")
    remaining = order.discount
    rows = []
    for index, line in enumerate(lines):
        if index == len(lines) - 1:
            share = remaining
        else:
            share = money(order.discount * line.line_total / subtotal) if subtotal else Decimal("0.00")
            remaining -= share
        net = money(line.line_total - share)
        rate = gst_rate(net / line.quantity)
        tax = gst_included(net, rate)
        rows.append({
            "description": f"{line.product_name} ({line.colour}, {line.size})", "sku": line.sku,
            "quantity": line.quantity, "unit_price": str(line.unit_price), "amount": str(line.line_total),
            "discount": str(share), "net": str(net), "gst_rate": str(rate), "taxable": str(net - tax),
            "tax": str(tax),
        })
    return rows


def invoice_issue(*, order: Order) -> Invoice:
    """Inside the transaction that places (COD) or pays (online) the order: its one invoice.

    Issuing twice returns the first invoice.
    """
    existing = Invoice.objects.filter(order=order).first()
    if existing is not None:
        return existing
    now = timezone.now()
    year = financial_year(timezone.localdate(now))
    sequence, number = _next_number(year)
    rows = invoice_lines(order)
    user = order.user
    return Invoice.objects.create(
        order=order, number=number, financial_year=year, sequence=sequence, issued_at=now,
        seller=dict(settings.INVOICE_SELLER),
        buyer={"name": order.shipping_address.get("name") or user.get_full_name(), "email": user.email,
               "address": order.shipping_address},
        order_number=order.number, payment_method=order.payment_method, lines=rows,
        subtotal=order.subtotal, discount=order.discount, shipping_fee=order.shipping_fee,
        tax_total=money(sum((Decimal(row["tax"]) for row in rows), Decimal("0"))), total=order.total,
        currency=order.currency,
    )
