"""Payments: records, gateway hand-off, callbacks (signed, never replayed, never out of order), refunds.

Every word exchanged with a gateway and every status change is written to PaymentLog, including
callbacks that are refused, so that a dispute can be followed end to end.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from truestyle.core.errors import NotFound, StoreError
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction
from truestyle.payments.gateways import CallbackRejected, gateway_get
from truestyle.payments.models import Payment, PaymentLog, PaymentStatus, ProcessedCallback, Refund

logger = logging.getLogger(__name__)

P = PaymentStatus
# What a gateway callback may move a payment to. "paid" and "refunded" are final for callbacks:
# a late "pending" or "failed" never undoes a payment.
CALLBACK_MOVES: dict[str, frozenset[str]] = {
    P.CREATED: frozenset({P.PENDING, P.PAID, P.FAILED}),
    P.PENDING: frozenset({P.PAID, P.FAILED}),
    P.FAILED: frozenset({P.PAID}),
    P.PAID: frozenset(),
    P.REFUNDED: frozenset(),
}
COD_GATEWAY = "cod"


def _log(*, payment: Payment | None, gateway: str, kind: str, outcome: str = "", event_id: str = "",
         from_status: str = "", to_status: str = "", payload: dict | None = None) -> PaymentLog:
    return PaymentLog.objects.create(payment=payment, gateway=gateway, kind=kind, outcome=outcome, event_id=event_id,
                                     from_status=from_status, to_status=to_status, payload=payload or {})


def _move(payment: Payment, to: str, *, note: str, **fields) -> bool:
    """Conditional status change (only from the status we read) with its log row; False if it lost a race."""
    now = timezone.now()
    extra = {"paid_at": now} if to == P.PAID else {}
    updated = Payment.objects.filter(pk=payment.pk, status=payment.status).update(
        status=to, updated_at=now, **extra, **fields)
    if updated != 1:
        return False
    _log(payment=payment, gateway=payment.gateway, kind=PaymentLog.Kind.STATUS, outcome=note,
         from_status=payment.status, to_status=to)
    payment.status = to
    return True


def payment_record_create(*, order) -> Payment:
    """Inside order placement's transaction: the order's payment, awaiting cash (COD) or the gateway."""
    cod = order.payment_method == "cod"
    payment = Payment.objects.create(
        order=order, method=order.payment_method, amount=order.total, currency=order.currency,
        status=P.PENDING if cod else P.CREATED,
        gateway=COD_GATEWAY if cod else settings.PAYMENT_DEFAULT_GATEWAY,
        gateway_reference=f"pay_{uuid.uuid4().hex[:24]}",
    )
    _log(payment=payment, gateway=payment.gateway, kind=PaymentLog.Kind.STATUS, outcome="created",
         to_status=payment.status, payload={"order": order.number, "amount": str(order.total)})
    return payment


def payment_start(*, order, return_url: str = "") -> str:
    """Hand an unpaid online order's payment to its gateway; returns the hosted page URL to redirect to."""
    if order.status != "pending_payment":
        raise StoreError("This order is not awaiting payment.", code="not_awaiting_payment", status=409)
    payment = Payment.objects.filter(order=order).exclude(gateway=COD_GATEWAY).order_by("-created_at").first()
    if payment is None or payment.status not in (P.CREATED, P.PENDING, P.FAILED):
        raise StoreError("This order is not awaiting payment.", code="not_awaiting_payment", status=409)
    gateway = gateway_get(payment.gateway)
    url = gateway.create_payment(payment=payment, return_url=return_url)
    _log(payment=payment, gateway=payment.gateway, kind=PaymentLog.Kind.REQUEST, outcome="redirect",
         payload={"reference": payment.gateway_reference, "amount": str(payment.amount), "redirect_url": url})
    return url


def payment_callback_receive(*, gateway_name: str, body: bytes, signature: str) -> tuple[str, Payment | None]:
    """Verify and apply one gateway callback. Returns (outcome, payment).

    Outcomes: "applied" (status moved), "unchanged" (same status again, newer sequence), and the
    refusals that change nothing but the log: "forged_signature", "malformed", "stale",
    "unknown_reference", "replay" (event id seen before), "out_of_order" (sequence not newer than
    the last applied) and "regression" (e.g. "pending" after "paid").
    """
    gateway = gateway_get(gateway_name)
    text = body.decode("utf-8", errors="replace")[:4000]
    try:
        event = gateway.verify_callback(body=body, signature=signature)
    except CallbackRejected as refusal:
        _log(payment=None, gateway=gateway_name, kind=PaymentLog.Kind.CALLBACK, outcome=refusal.code,
             payload={"body": text, "signature": (signature or "")[:128]})
        return refusal.code, None

    age = timezone.now().timestamp() - event.timestamp
    payment = Payment.objects.filter(gateway=gateway_name, gateway_reference=event.reference).first()
    if payment is None or age > settings.PAYMENT_CALLBACK_MAX_AGE:
        outcome = "unknown_reference" if payment is None else "stale"
        _log(payment=payment, gateway=gateway_name, kind=PaymentLog.Kind.CALLBACK, outcome=outcome,
             event_id=event.event_id, payload=event.payload)
        return outcome, payment

    from truestyle.orders.services.invoices import invoice_counter_ensure

    invoice_counter_ensure()
    try:
        outcome = run_in_mongo_transaction(lambda: _callback_apply(payment.pk, gateway_name, event), attempts=8)
    except IntegrityError:
        # Another delivery of the same event committed first (unique event id): a replay.
        outcome = "replay"
    if outcome not in ("applied", "unchanged"):
        _log(payment=payment, gateway=gateway_name, kind=PaymentLog.Kind.CALLBACK, outcome=outcome,
             event_id=event.event_id, payload=event.payload)
    payment.refresh_from_db()
    return outcome, payment


def _callback_apply(payment_id, gateway_name: str, event) -> str:
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    if ProcessedCallback.objects.filter(gateway=gateway_name, event_id=event.event_id).exists():
        return "replay"
    if event.sequence <= payment.last_sequence:
        return "out_of_order"
    if event.status != payment.status and event.status not in CALLBACK_MOVES[payment.status]:
        return "regression"
    # Conditional on the sequence: of two callbacks racing, only the newer one can pass.
    if Payment.objects.filter(pk=payment.pk, last_sequence__lt=event.sequence).update(last_sequence=event.sequence) != 1:
        return "out_of_order"
    ProcessedCallback.objects.create(gateway=gateway_name, event_id=event.event_id)
    outcome = "unchanged" if event.status == payment.status else "applied"
    _log(payment=payment, gateway=gateway_name, kind=PaymentLog.Kind.CALLBACK, outcome=outcome,
         event_id=event.event_id, from_status=payment.status, to_status=event.status, payload=event.payload)
    if outcome == "unchanged":
        return outcome
    _move(payment, event.status, note=f"callback {event.event_id}")
    if event.status == P.PAID:
        _order_paid(payment)
    return "applied"


def _order_paid(payment: Payment) -> None:
    from truestyle.orders.services import order_transition

    order = payment.order
    if order.status == "pending_payment":
        order_transition(order=order, to="placed", actor=None, note=f"Paid ({payment.method}, {payment.gateway_reference})")
    elif order.status == "cancelled":
        # Money arrived for an order that expired meanwhile: give it back.
        payment_refund_request(order=order, reason="Paid after the order was cancelled.")


def payment_refund_request(*, order, reason: str) -> Refund | None:
    """Inside a transaction: refund whatever of the order's paid payment is not refunded yet.

    The gateway is asked on commit. Returns None when nothing was paid (COD before delivery,
    unpaid online orders) or everything paid was already refunded.
    """
    payment = Payment.objects.filter(order=order, status=P.PAID).first()
    if payment is None:
        return None
    remaining = payment.amount - payment.refunded_amount
    if remaining <= 0:
        return None
    return _refund_create(payment=payment, amount=remaining, reason=reason, method=_default_method(payment),
                          source="")


def payment_refund_partial(*, order, amount: Decimal, reason: str, source: str = "",
                           method: str | None = None) -> Refund:
    """Inside a transaction: refund `amount` of the order's paid payment (a returned item's share).

    A cash-on-delivery payment is refunded by bank transfer (default) or store credit; an online
    one to the original payment through its gateway, on commit. Refuses ("refund_invalid",
    "not_paid", "refund_exceeds_payment") writing nothing: all refunds of a payment together never
    exceed what was paid, even when requested at the same moment.
    """
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0:
        raise StoreError("A refund must be more than zero.", code="refund_invalid")
    payment = Payment.objects.filter(order=order, status=P.PAID).first()
    if payment is None:
        raise StoreError("This order has no payment to refund.", code="not_paid", status=409)
    cod = payment.gateway == COD_GATEWAY
    method = method or _default_method(payment)
    allowed = {Refund.Method.BANK_TRANSFER, Refund.Method.STORE_CREDIT} if cod else {Refund.Method.ORIGINAL}
    if method not in allowed:
        raise StoreError("That refund method is not available for this payment.", code="refund_invalid",
                         fields={"method": ["Choose one of: " + ", ".join(sorted(allowed)) + "."]})
    return _refund_create(payment=payment, amount=amount, reason=reason, method=method, source=source)


def _default_method(payment: Payment) -> str:
    return Refund.Method.BANK_TRANSFER if payment.gateway == COD_GATEWAY else Refund.Method.ORIGINAL


def _refund_create(*, payment: Payment, amount: Decimal, reason: str, method: str, source: str) -> Refund:
    # Conditional single-document update: the claim passes only while the total stays within the payment.
    if Payment.objects.filter(pk=payment.pk, refunded_amount__lte=payment.amount - amount).update(
            refunded_amount=F("refunded_amount") + amount) != 1:
        raise StoreError("This refund would pay back more than was paid.", code="refund_exceeds_payment",
                         status=409)
    refund = Refund.objects.create(payment=payment, amount=amount, reason=reason[:300], method=method,
                                   source=source[:64])
    _log(payment=payment, gateway=payment.gateway, kind=PaymentLog.Kind.REFUND, outcome="requested",
         payload={"refund": str(refund.pk), "amount": str(refund.amount), "method": method, "source": source[:64],
                  "reason": reason[:300]})

    def enqueue():
        from truestyle.payments.tasks import payment_refund_process_task

        payment_refund_process_task.delay(str(refund.pk))

    on_mongo_commit(enqueue)
    return refund


def payment_refund_process(*, refund_id) -> Refund:
    """Carry out a requested refund (outside any transaction), then record the result.

    Online payments are refunded through their gateway; cash on delivery goes back by bank
    transfer or as store credit, recorded with a reference of ours. The payment becomes
    "refunded" once processed refunds cover all of it.
    """
    refund = Refund.objects.select_related("payment").filter(pk=refund_id).first()
    if refund is None:
        raise NotFound("That refund does not exist.", code="refund_not_found")
    if refund.status != Refund.Status.REQUESTED:
        return refund
    payment = refund.payment
    if refund.method == Refund.Method.STORE_CREDIT:
        reference = f"credit_{uuid.uuid4().hex[:12]}"
    elif payment.gateway == COD_GATEWAY:
        reference = f"cash_{uuid.uuid4().hex[:12]}"  # cash collected on delivery goes back by bank transfer
    else:
        reference = gateway_get(payment.gateway).refund(refund=refund)
    _log(payment=payment, gateway=payment.gateway, kind=PaymentLog.Kind.REQUEST, outcome="refund",
         payload={"refund": str(refund.pk), "amount": str(refund.amount), "method": refund.method,
                  "gateway_reference": reference})

    def record():
        if Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
                status=Refund.Status.PROCESSED, gateway_reference=reference, processed_at=timezone.now()) != 1:
            return
        fresh = Payment.objects.get(pk=payment.pk)
        processed = sum((r.amount for r in Refund.objects.filter(payment_id=payment.pk,
                                                                 status=Refund.Status.PROCESSED)), Decimal("0"))
        if processed >= fresh.amount:
            _move(fresh, P.REFUNDED, note=f"refund {refund.pk}")

    run_in_mongo_transaction(record)
    refund.refresh_from_db()
    return refund


def payment_cod_collect(*, order) -> Payment | None:
    """Inside the delivery transition: the courier collected the cash."""
    payment = Payment.objects.filter(order=order, gateway=COD_GATEWAY, status=P.PENDING).first()
    if payment is not None:
        _move(payment, P.PAID, note="cash collected on delivery")
    return payment


def payment_abandon(*, order) -> None:
    """Inside a cancellation: unpaid payments of the order fail, so a late callback is judged against that."""
    for payment in Payment.objects.filter(order=order, status__in=[P.CREATED, P.PENDING]):
        _move(payment, P.FAILED, note="order cancelled before payment")
