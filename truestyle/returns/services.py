"""Writes for returns and exchanges: the request (eligibility, exchange hold) and every status change.

Stock moves only through the ledger: an exchange holds its replacement with a conditional
decrement at the request and gives it back if the request is rejected or cancelled; a completed
request puts the returned units back only if inspection found them sellable. A completed return
refunds the item's share of what was paid; a completed exchange dispatches the held unit.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from truestyle.accounts.permissions import user_has_permission
from truestyle.auditlog.services import audit_record_after_mongo_commit
from truestyle.catalog.models import Variant
from truestyle.catalog.services.stock import NotEnoughStock, stock_apply_in_transaction
from truestyle.core.errors import Conflict, NotFound, StoreError
from truestyle.core.images import normalize_image
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction
from truestyle.orders.models import Order, OrderEvent, OrderLine
from truestyle.returns.models import (
    Inspection, ReturnEvent, ReturnKind, ReturnLineTally, ReturnReason, ReturnRequest,
)
from truestyle.returns.rules import policy_for_line, refund_for_units
from truestyle.returns.statuses import (
    RELEASING_STATUSES, STAFF_PERMISSION, Actor, ReturnStatus, allowed_moves,
)

logger = logging.getLogger(__name__)

MAX_PHOTOS = 3
_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
COD_REFUND_METHODS = ("bank_transfer", "store_credit")


def _refusal(message: str, code: str, field: str | None = None, status: int = 400) -> StoreError:
    return StoreError(message, code=code, fields={field: [message]} if field else None, status=status)


def delivered_at(order: Order):
    """When the order was delivered (its latest move to "delivered"), or None."""
    event = OrderEvent.objects.filter(order_id=order.pk, to_status="delivered").order_by("-created_at").first()
    return event.created_at if event else None


def units_claimed(line: OrderLine) -> int:
    tally = ReturnLineTally.objects.filter(line_id=line.pk).first()
    return tally.claimed if tally else 0


def return_request(*, user, order_id, line_id, kind: str, quantity: int, reason: str, comment: str = "",
                   photos=(), replacement_variant_id: str = "", refund_method: str = "") -> ReturnRequest:
    """File a return or exchange of a delivered line; returns the new request ("requested").

    Refusals write nothing: "order_not_found" / "line_not_found" (not the user's), "not_delivered",
    "not_returnable" (the category's rule), "return_window_closed", "quantity_too_high" (more than
    delivered less what open or completed requests already claim), "invalid_replacement",
    "replacement_unavailable" (no stock to hold), "invalid_image", and "invalid" for bad input.
    """
    order = Order.objects.filter(pk=order_id, user_id=user.pk).first() if is_object_id(order_id) else None
    if order is None:
        raise NotFound("That order does not exist.", code="order_not_found")
    line = OrderLine.objects.filter(pk=line_id, order_id=order.pk).first() if is_object_id(line_id) else None
    if line is None:
        raise NotFound("That item is not part of this order.", code="line_not_found")
    if kind not in ReturnKind.values:
        raise _refusal("Choose a return or an exchange.", "invalid", "kind")
    if reason not in ReturnReason.values:
        raise _refusal("Choose a reason.", "invalid", "reason")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise _refusal("Enter how many pieces to send back.", "invalid", "quantity")
    if order.status != "delivered":
        raise _refusal("Only delivered items can be returned.", "not_delivered", status=409)
    policy = policy_for_line(line)
    if not policy.returnable:
        raise _refusal(f"{line.product_name} cannot be returned or exchanged.", "not_returnable", status=409)
    delivered = delivered_at(order) or order.updated_at
    if timezone.now() > delivered + timedelta(days=policy.window_days):
        raise _refusal(f"The {policy.window_days}-day return window of this item has closed.",
                       "return_window_closed", status=409)
    available = line.quantity - units_claimed(line)
    if quantity > available:
        raise _refusal(f"You can send back at most {max(available, 0)} of this item.", "quantity_too_high",
                       "quantity", status=409)
    replacement = _replacement(line, kind, replacement_variant_id)
    method = _refund_method(order, kind, refund_method)
    comment = (comment or "").strip()[:2000]
    images = _photos_clean(photos)

    refund_estimate = (refund_for_units(order=order, line=line, quantity=quantity,
                                        already_refunded_units=_units_refunded(line))
                       if kind == ReturnKind.RETURN else Decimal("0.00"))
    try:
        ReturnLineTally.objects.get_or_create(line_id=line.pk)
    except IntegrityError:  # a concurrent request for the same line created it first
        pass
    # GridFS cannot write inside a transaction: the photos go first and are removed if the request fails.
    stored = [default_storage.save(image.name, image) for image in images]
    number = _number()

    def create() -> ReturnRequest:
        if ReturnLineTally.objects.filter(line_id=line.pk, claimed__lte=line.quantity - quantity).update(
                claimed=F("claimed") + quantity) != 1:
            raise _refusal("This item is already being returned.", "quantity_too_high", "quantity", status=409)
        now = timezone.now()
        request = ReturnRequest.objects.create(
            number=number, order=order, line=line, user=user, kind=kind, quantity=quantity, reason=reason,
            comment=comment, photos=stored, status=ReturnStatus.REQUESTED, refund_amount=refund_estimate,
            refund_method=method, replacement_variant_id=str(replacement.pk) if replacement else "",
            replacement_label=f"{replacement.colourway.name}, {replacement.size}" if replacement else "",
            created_at=now)
        ReturnEvent.objects.create(request=request, from_status="", to_status=ReturnStatus.REQUESTED,
                                   actor_id=str(user.pk), note=ReturnReason(reason).label, created_at=now)
        if replacement is not None:
            try:
                stock_apply_in_transaction(variant_id=replacement.pk, delta=-quantity, reason="sale",
                                           actor_id=str(user.pk), reference=number)
            except NotEnoughStock:
                raise _refusal(f"Size {replacement.size} in {replacement.colourway.name} is sold out.",
                               "replacement_unavailable", "replacement_variant_id", status=409)
        return_email_after_commit(request=request, status=ReturnStatus.REQUESTED)
        return request

    try:
        return run_in_mongo_transaction(create, attempts=8)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def is_object_id(value) -> bool:
    from bson import ObjectId

    return ObjectId.is_valid(str(value))


def _replacement(line: OrderLine, kind: str, variant_id: str) -> Variant | None:
    if kind != ReturnKind.EXCHANGE:
        return None
    variant = (Variant.objects.select_related("colourway").filter(pk=variant_id).first()
               if is_object_id(variant_id) else None)
    if variant is None or str(variant.product_id) != line.product_id or str(variant.pk) == line.variant_id:
        raise _refusal("Choose another size or colour of the same product.", "invalid_replacement",
                       "replacement_variant_id")
    return variant


def _refund_method(order: Order, kind: str, method: str) -> str:
    if kind != ReturnKind.RETURN:
        return ""
    if order.payment_method != "cod":
        return "original"
    method = method or "bank_transfer"
    if method not in COD_REFUND_METHODS:
        raise _refusal("Choose a bank transfer or store credit.", "invalid", "refund_method")
    return method


def _photos_clean(photos) -> list:
    photos = [photo for photo in photos if photo]
    if len(photos) > MAX_PHOTOS:
        raise _refusal(f"Add at most {MAX_PHOTOS} photos.", "invalid", "photos")
    cleaned = []
    for photo in photos:
        try:
            cleaned.append(normalize_image(photo))
        except ValidationError as error:
            raise StoreError(error.messages[0], code="invalid_image", fields={"photos": list(error.messages)})
    return cleaned


def _units_refunded(line: OrderLine, *, excluding=None) -> int:
    completed = ReturnRequest.objects.filter(line_id=line.pk, kind=ReturnKind.RETURN, status=ReturnStatus.COMPLETED)
    if excluding is not None:
        completed = completed.exclude(pk=excluding.pk)
    return sum(item.quantity for item in completed)


def _number() -> str:
    today = timezone.localdate()
    return f"RT{today:%y%m%d}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def actor_role(*, request: ReturnRequest, actor) -> str | None:
    """The role `actor` plays for `request` (None: no role at all)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if user_has_permission(actor, STAFF_PERMISSION):
        return Actor.STAFF
    if actor.pk == request.user_id:
        return Actor.CUSTOMER
    return None


def return_transition(*, request: ReturnRequest, to: str, actor, note: str = "",
                      inspection: str = "") -> ReturnRequest:
    """Move `request` to `to` if the table in statuses.py allows it for the actor's role.

    Refusals ("invalid_transition", "not_allowed", "rejection_reason_required",
    "inspection_required", "return_changed") write nothing. Rejecting or cancelling releases
    an exchange's held unit through the ledger; completing restocks sellable units, refunds a
    return or dispatches an exchange's replacement. Every move is recorded and mailed.
    """
    from_status = request.status
    moves = allowed_moves(from_status)
    if to not in moves:
        raise StoreError(f"A request that is {_label(from_status)} cannot be moved to {_label(to)}.",
                         code="invalid_transition", status=409)
    role = actor_role(request=request, actor=actor)
    if role not in moves[to]:
        raise StoreError("You are not allowed to make this change to the request.", code="not_allowed", status=403)
    note = (note or "").strip()[:300]
    if to == ReturnStatus.REJECTED and not note:
        raise _refusal("Say why the request is rejected.", "rejection_reason_required", "note")
    if to == ReturnStatus.RECEIVED and inspection not in Inspection.values:
        raise _refusal("Record whether the item is sellable or damaged.", "inspection_required", "inspection")

    def move() -> ReturnRequest:
        now = timezone.now()
        fields = {"status": to, "updated_at": now}
        if to == ReturnStatus.REJECTED:
            fields["rejection_reason"] = note
        if to == ReturnStatus.RECEIVED:
            fields["inspection"] = inspection
        # Conditional on the status we judged: of two concurrent moves only one can pass.
        if ReturnRequest.objects.filter(pk=request.pk, status=from_status).update(**fields) != 1:
            raise Conflict("This request changed in the meantime. Please reload it.", code="return_changed")
        fresh = ReturnRequest.objects.select_related("order", "line").get(pk=request.pk)
        outcome = _consequences(request=fresh, to=to, actor=actor)
        ReturnEvent.objects.create(request=fresh, from_status=from_status, to_status=to, actor_id=str(actor.pk),
                                   note="; ".join(filter(None, [note, outcome]))[:300], created_at=now)
        return_email_after_commit(request=fresh, status=to)
        if role == Actor.STAFF:
            audit_record_after_mongo_commit(
                actor=actor, action="return.transition", object_type="return_request", object_id=fresh.number,
                before={"status": from_status}, after={"status": to, "note": note, "inspection": inspection})
        return ReturnRequest.objects.get(pk=request.pk)

    return run_in_mongo_transaction(move, attempts=8)


def _consequences(*, request: ReturnRequest, to: str, actor) -> str:
    """Stock, tally and money for the move; returns a note for the history (or "")."""
    actor_id = str(actor.pk)
    if to in RELEASING_STATUSES:
        if ReturnLineTally.objects.filter(line_id=request.line_id, claimed__gte=request.quantity).update(
                claimed=F("claimed") - request.quantity) != 1:
            logger.error("return %s: line tally below its quantity", request.number)
        if request.replacement_variant_id:
            stock_apply_in_transaction(variant_id=request.replacement_variant_id, delta=request.quantity,
                                       reason="return", actor_id=actor_id, reference=request.number)
        return ""
    if to != ReturnStatus.COMPLETED:
        return ""
    notes = []
    if request.inspection == Inspection.SELLABLE:
        stock_apply_in_transaction(variant_id=request.line.variant_id, delta=request.quantity, reason="return",
                                   actor_id=actor_id, reference=request.number)
        notes.append(f"{request.quantity} back in stock")
    else:
        notes.append("Damaged: not restocked")
    if request.kind == ReturnKind.EXCHANGE:
        notes.append(f"Replacement dispatched ({request.replacement_label})")
        return "; ".join(notes)

    from truestyle.payments.services import payment_refund_partial

    amount = refund_for_units(order=request.order, line=request.line, quantity=request.quantity,
                              already_refunded_units=_units_refunded(request.line, excluding=request))
    refund = payment_refund_partial(order=request.order, amount=amount, reason=f"Return {request.number}",
                                    source=f"return {request.number}", method=request.refund_method or None)
    ReturnRequest.objects.filter(pk=request.pk).update(refund_amount=amount, refund_id=str(refund.pk))
    notes.append(f"Refund of ₹{amount} issued")
    return "; ".join(notes)


def return_email_after_commit(*, request: ReturnRequest, status: str) -> None:
    """Queue the customer's mail about `status` once the transaction has committed."""
    request_id = str(request.pk)

    def send():
        from truestyle.returns.tasks import return_status_email

        return_status_email.delay(request_id, status)

    # Robust: a broker hiccup must not turn a committed change into an error page.
    on_mongo_commit(send, robust=True)


def _label(status: str) -> str:
    try:
        return ReturnStatus(status).label.lower()
    except ValueError:
        return repr(status)

