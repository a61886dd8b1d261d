"""Reads for payments."""

from __future__ import annotations

from truestyle.payments.models import Payment, PaymentLog, Refund


def payment_by_reference(*, gateway: str, reference: str) -> Payment | None:
    return Payment.objects.select_related("order").filter(gateway=gateway, gateway_reference=reference).first()


def payments_of_order(*, order) -> list[Payment]:
    return list(Payment.objects.filter(order=order).order_by("created_at"))


def payment_logs(*, payment) -> list[PaymentLog]:
    return list(PaymentLog.objects.filter(payment=payment).order_by("created_at"))


def refunds_of_order(*, order) -> list[Refund]:
    return list(Refund.objects.filter(payment__order=order).order_by("created_at"))
