"""Stock changes: the only way a variant's stock moves, always with a ledger row in the same transaction."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import BackInStockRequest, StockMovement, Variant
from truestyle.core.errors import NotFound, StoreError
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction

REASONS = {choice for choice, _ in StockMovement.Reason.choices}


class NotEnoughStock(StoreError):
    code = "not_enough_stock"
    status = 409


def _apply(*, variant_id, delta: int, reason: str, actor_id: str, note: str, reference: str) -> tuple[Variant, int]:
    """Inside a transaction: the conditional update, then the ledger row. Returns (variant, stock before)."""
    if delta < 0:
        # Conditional single-document update: 0 rows means "not enough", never a negative count.
        updated = Variant.objects.filter(pk=variant_id, stock__gte=-delta).update(stock=F("stock") + delta)
    else:
        updated = Variant.objects.filter(pk=variant_id).update(stock=F("stock") + delta)
    if updated != 1:
        if not Variant.objects.filter(pk=variant_id).exists():
            raise NotFound("That variant does not exist.", code="variant_not_found")
        raise NotEnoughStock("Not enough stock for this change.")
    StockMovement.objects.create(variant_id=variant_id, delta=delta, reason=reason, actor_id=actor_id,
                                 note=note[:300], reference=reference[:64])
    variant = Variant.objects.get(pk=variant_id)
    before = variant.stock - delta
    low = variant.low_stock_threshold
    if (before > 0) != (variant.stock > 0) or (before <= low) != (variant.stock <= low):
        # Pages show whether a size is in stock and whether it is running low, not how many are
        # left: only crossing one of those lines changes a cached listing or product page. After
        # the commit: a page cached between a bump and the commit would keep the old stock.
        on_mongo_commit(catalog_cache_bump)
    return variant, before


def stock_adjust(*, variant_id, delta: int, reason: str, actor_id: str = "", note: str = "",
                 reference: str = "", actor=None) -> Variant:
    """Change a variant's stock by `delta` and record why; returns the variant as it now is.

    Refuses a zero delta, an unknown reason and a change that would go below
    zero (NotEnoughStock), writing nothing. A restock that brings a sold-out
    size back emails everyone waiting for it once the change is committed.
    A change by a staff member (`actor`) is also recorded in the audit log.
    """
    if reason not in REASONS:
        raise StoreError("Unknown stock reason.", code="invalid", fields={"reason": ["Choose a valid reason."]})
    if not isinstance(delta, int) or delta == 0:
        raise StoreError("Enter a quantity other than zero.", code="invalid", fields={"delta": ["Enter a quantity other than zero."]})

    def change():
        variant, before = _apply(variant_id=variant_id, delta=delta, reason=reason, actor_id=actor_id, note=note,
                                 reference=reference)
        if before <= 0 < variant.stock:
            on_mongo_commit(lambda: _notify_waitlist(variant.pk))
        if actor is not None:
            from truestyle.auditlog.services import audit_record_after_mongo_commit

            audit_record_after_mongo_commit(actor=actor, action="stock.adjust", object_type="variant",
                                            object_id=variant.sku, before={"stock": before},
                                            after={"stock": variant.stock, "reason": reason, "note": note[:300]})
        return variant

    return run_in_mongo_transaction(change)


def stock_apply_in_transaction(*, variant_id, delta: int, reason: str, actor_id: str = "",
                               reference: str = "") -> Variant:
    """The same change for callers already inside a transaction (order placement, returns)."""
    variant, _ = _apply(variant_id=variant_id, delta=delta, reason=reason, actor_id=actor_id, note="",
                        reference=reference)
    return variant


def _notify_waitlist(variant_id) -> None:
    from truestyle.catalog.tasks import back_in_stock_notify

    back_in_stock_notify.delay(str(variant_id))


def waitlist_join(*, variant_id, email: str, user_id: str = "") -> BackInStockRequest:
    """Ask to be emailed when a sold-out size is back; joining twice is the same as once."""
    from django.core.validators import validate_email
    from django.core.exceptions import ValidationError

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise StoreError("Enter a valid email address.", code="invalid", fields={"email": ["Enter a valid email address."]})
    variant = Variant.objects.filter(pk=variant_id).first()
    if variant is None:
        raise NotFound("That size does not exist.", code="variant_not_found")
    if variant.stock > 0:
        raise StoreError("This size is in stock: add it to your bag.", code="in_stock")
    request, _ = BackInStockRequest.objects.get_or_create(variant=variant, email=email, notified_at=None,
                                                          defaults={"user_id": user_id})
    return request


def waitlist_notify(*, variant_id) -> int:
    """Email everyone waiting for this variant if it is in stock; each request is emailed once."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    variant = Variant.objects.select_related("product", "colourway").filter(pk=variant_id).first()
    if variant is None or variant.stock <= 0:
        return 0
    sent = 0
    for request in BackInStockRequest.objects.filter(variant=variant, notified_at__isnull=True):
        # Claim the request first: a second worker running the same job cannot email twice.
        if BackInStockRequest.objects.filter(pk=request.pk, notified_at__isnull=True).update(notified_at=timezone.now()) != 1:
            continue
        send_mail(
            f"Back in stock: {variant.product.name} ({variant.colourway.name}, {variant.size})",
            render_to_string("emails/back_in_stock.txt", {"variant": variant, "store_name": settings.STORE_NAME}),
            None,
            [request.email],
        )
        sent += 1
    return sent
