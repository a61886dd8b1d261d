"""Every change of an order's status, its history row and its consequences (stock, coupon, payment, mail)."""

from __future__ import annotations

import logging

from django.utils import timezone

from truestyle.accounts.permissions import user_has_permission
from truestyle.catalog.services.stock import stock_apply_in_transaction
from truestyle.auditlog.services import audit_record_after_mongo_commit
from truestyle.core.errors import Conflict, StoreError
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction
from truestyle.orders.models import Order, OrderEvent
from truestyle.orders.statuses import STAFF_PERMISSION, Actor, OrderStatus, allowed_moves

logger = logging.getLogger(__name__)


def actor_role(*, order: Order, actor) -> str | None:
    """The role `actor` plays for `order` (None: no role at all). `actor=None` is the store itself."""
    if actor is None:
        return Actor.SYSTEM
    if user_has_permission(actor, STAFF_PERMISSION):
        return Actor.STAFF
    if getattr(actor, "is_authenticated", False) and actor.pk == order.user_id:
        return Actor.CUSTOMER
    return None


def order_transition(*, order: Order, to: str, actor, note: str = "", tracking_number: str | None = None) -> Order:
    """Move `order` to `to` if the table in statuses.py allows it for the actor's role; returns the order.

    Refusals ("invalid_transition", "not_allowed", "tracking_number_required", "order_changed")
    write nothing. Cancelling returns the stock to the ledger, gives the coupon use back and
    refunds a paid order; delivering collects a COD payment; placing (after payment) issues the
    invoice. The customer is mailed about placed, shipped, delivered and cancelled orders.
    """
    from_status = order.status
    moves = allowed_moves(from_status)
    if to not in moves:
        raise StoreError(f"An order that is {OrderStatus(from_status).label.lower()} cannot be moved to "
                         f"{_label(to)}.", code="invalid_transition", status=409)
    role = actor_role(order=order, actor=actor)
    if role not in moves[to]:
        raise StoreError("You are not allowed to make this change to the order.", code="not_allowed", status=403)
    tracking = (tracking_number or "").strip()
    if to == OrderStatus.SHIPPED and not tracking:
        raise StoreError("Enter the tracking number of the shipment.", code="tracking_number_required",
                         fields={"tracking_number": ["Required to mark the order shipped."]})

    def move() -> Order:
        now = timezone.now()
        fields = {"status": to, "updated_at": now}
        if tracking:
            fields["tracking_number"] = tracking[:60]
        if to == OrderStatus.PLACED:
            fields["placed_at"] = now
        # Conditional on the status we judged: a concurrent move makes this one refuse, not stack.
        if Order.objects.filter(pk=order.pk, status=from_status).update(**fields) != 1:
            raise Conflict("This order changed in the meantime. Please reload it.", code="order_changed")
        OrderEvent.objects.create(order_id=order.pk, from_status=from_status, to_status=to,
                                  actor_id=str(actor.pk) if actor is not None else "", note=note[:300],
                                  created_at=now)
        fresh = Order.objects.get(pk=order.pk)
        _consequences(order=fresh, from_status=from_status, to=to, note=note)
        order_email_after_commit(order=fresh, status=to)
        if role == Actor.STAFF:
            audit_record_after_mongo_commit(
                actor=actor, action="order.transition", object_type="order", object_id=fresh.number,
                before={"status": from_status}, after={"status": to, "tracking_number": fresh.tracking_number,
                                                       "note": note[:300]})
        return fresh

    return run_in_mongo_transaction(move)


def _consequences(*, order: Order, from_status: str, to: str, note: str) -> None:
    from truestyle.payments import services as payments

    if to == OrderStatus.CANCELLED:
        for line in order.lines.all():
            stock_apply_in_transaction(variant_id=line.variant_id, delta=line.quantity, reason="return",
                                       reference=order.number)
        if order.coupon_code:
            from truestyle.promotions.services import coupon_release

            coupon_release(order_id=str(order.pk))
        payments.payment_abandon(order=order)
        payments.payment_refund_request(order=order, reason=note or "Order cancelled.")
    elif to == OrderStatus.PLACED and from_status == OrderStatus.PENDING_PAYMENT:
        from truestyle.orders.services.invoices import invoice_issue

        invoice_issue(order=order)
    elif to == OrderStatus.DELIVERED:
        payments.payment_cod_collect(order=order)


def order_email_after_commit(*, order: Order, status: str) -> None:
    """Inside the transaction: put the customer's mail about `status` in the outbox, and hand it to
    the worker once the transaction has committed."""
    from truestyle.orders.services.emails import order_email_queue_in_transaction

    if not order_email_queue_in_transaction(order=order, status=status):
        return
    order_id = str(order.pk)

    def send():
        from truestyle.orders.tasks import order_status_email

        try:
            order_status_email.delay(order_id, status)
        except Exception:
            # Broker away: the mail waits in the outbox and orders_send_queued_emails sends it.
            logger.warning("order mail (%s, %s) left for the periodic sender", order_id, status, exc_info=True)

    # Robust as well: nothing after the commit may turn a committed order into an error page.
    on_mongo_commit(send, robust=True)


def order_expire_unpaid(*, now=None) -> int:
    """Cancel online orders still unpaid after their deadline; returns how many were cancelled.

    Each is cancelled through `order_transition` (stock back to the ledger, coupon use returned,
    payment failed); an order paid at the same moment wins and is left alone.
    """
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now):
        try:
            order_transition(order=order, to=OrderStatus.CANCELLED, actor=None,
                             note="Payment was not received in time.")
            expired += 1
        except StoreError as refusal:  # paid or cancelled meanwhile
            logger.info("order %s not expired: %s", order.number, refusal.code)
    return expired


def _label(status: str) -> str:
    try:
        return OrderStatus(status).label.lower()
    except ValueError:
        return repr(status)
