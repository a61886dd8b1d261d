"""Test helpers for payments: an unpaid online order and signed sandbox callbacks."""

from __future__ import annotations

from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant
from truestyle.payments.gateways.sandbox import sandbox_callback_build
from truestyle.payments.models import Payment
from truestyle.payments.services import payment_callback_receive


def online_order(*, method: str = "upi", price: str = "1499.00", stock: int = 5, quantity: int = 1):
    user, address = customer_create()
    variant = stocked_variant(price=price, stock=stock)
    order = place(user=user, address=address, lines=[line(variant, quantity)], payment_method=method)
    return order, Payment.objects.get(order=order), variant, user


def callback(payment, status: str, *, sequence: int, event_id: str | None = None, timestamp: int | None = None,
             signature: str | None = None):
    body, good = sandbox_callback_build(reference=payment.gateway_reference, status=status, sequence=sequence,
                                        event_id=event_id or f"evt-{status}-{sequence}", timestamp=timestamp)
    return payment_callback_receive(gateway_name="sandbox", body=body,
                                    signature=good if signature is None else signature)
