import threading

import pytest
from django.core import mail
from django.db import connections
from django.db.models import Sum

from truestyle.catalog.models import BackInStockRequest, StockMovement, Variant
from truestyle.catalog.services import NotEnoughStock, stock_adjust, waitlist_join
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.core.errors import StoreError


def _ledger_sum(variant) -> int:
    return StockMovement.objects.filter(variant=variant).aggregate(total=Sum("delta"))["total"] or 0


def test_an_adjustment_moves_stock_and_writes_the_ledger(db):
    variant = variant_create(product=product_create(), stock=10)

    stock_adjust(variant_id=variant.pk, delta=-3, reason="damage", actor_id="staff-1", note="torn seam")

    assert Variant.objects.get(pk=variant.pk).stock == 7
    movement = StockMovement.objects.filter(variant=variant).order_by("created_at").last()
    assert (movement.delta, movement.reason, movement.actor_id, movement.note) == (-3, "damage", "staff-1", "torn seam")
    assert _ledger_sum(variant) == 7


def test_stock_never_goes_below_zero_and_a_refusal_writes_nothing(db):
    variant = variant_create(product=product_create(), stock=2)

    with pytest.raises(NotEnoughStock):
        stock_adjust(variant_id=variant.pk, delta=-3, reason="sale")

    assert Variant.objects.get(pk=variant.pk).stock == 2
    assert StockMovement.objects.filter(variant=variant).count() == 1


@pytest.mark.parametrize(("delta", "reason"), [(0, "restock"), (5, "gift")])
def test_zero_deltas_and_unknown_reasons_are_refused(db, delta, reason):
    variant = variant_create(product=product_create())

    with pytest.raises(StoreError):
        stock_adjust(variant_id=variant.pk, delta=delta, reason=reason)
    assert StockMovement.objects.count() == 0


def test_the_ledger_invariant_holds_under_concurrent_adjustments(db):
    variant = variant_create(product=product_create(), stock=5)
    deltas = [-1] * 8 + [2] * 4  # 8 sales race 4 restocks
    start = threading.Barrier(len(deltas))
    outcomes = []

    def adjust(delta):
        start.wait()
        try:
            stock_adjust(variant_id=variant.pk, delta=delta, reason="sale" if delta < 0 else "restock")
            outcomes.append("ok")
        except NotEnoughStock:
            outcomes.append("short")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=adjust, args=(d,)) for d in deltas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    final = Variant.objects.get(pk=variant.pk).stock
    assert final >= 0
    assert final == _ledger_sum(variant)
    assert StockMovement.objects.filter(variant=variant).count() == 1 + outcomes.count("ok")


def test_restocking_a_sold_out_size_emails_everyone_waiting_once(db):
    variant = variant_create(product=product_create(name="Linen Kurta"), colour="Sage", size="L")
    waitlist_join(variant_id=variant.pk, email="asha@example.com")
    waitlist_join(variant_id=variant.pk, email="ASHA@example.com")
    waitlist_join(variant_id=variant.pk, email="ravi@example.com")

    stock_adjust(variant_id=variant.pk, delta=4, reason="restock")
    stock_adjust(variant_id=variant.pk, delta=1, reason="restock")

    assert sorted(m.to[0] for m in mail.outbox) == ["asha@example.com", "ravi@example.com"]
    assert mail.outbox[0].subject == "Back in stock: Linen Kurta (Sage, L)"
    assert BackInStockRequest.objects.filter(notified_at__isnull=True).count() == 0


def test_an_in_stock_size_has_no_waitlist(db):
    variant = variant_create(product=product_create(), stock=1)

    with pytest.raises(StoreError) as refusal:
        waitlist_join(variant_id=variant.pk, email="asha@example.com")
    assert refusal.value.code == "in_stock"
    assert BackInStockRequest.objects.count() == 0


def _version_moves(variant, deltas: list[int]) -> list[int]:
    """How far the catalogue version moved after each stock change, counted from before the first."""
    from truestyle.catalog.cache import catalog_cache_version

    start = catalog_cache_version()
    moves = []
    for delta in deltas:
        stock_adjust(variant_id=variant.pk, delta=delta, reason="sale" if delta < 0 else "restock")
        moves.append(catalog_cache_version() - start)
    return moves


def test_only_a_size_selling_out_coming_back_or_running_low_makes_cached_pages_stale(db):
    scarce = variant_create(product=product_create(), stock=3)  # low at 3 or fewer: low from the start
    plenty = variant_create(product=product_create(name="Wool Coat"), stock=10)

    # a sale, selling out, coming back (above the low line), another restock
    assert _version_moves(scarce, [-2, -1, 4, 1]) == [0, 1, 2, 2]
    # a sale, running low, leaving the low line
    assert _version_moves(plenty, [-6, -1, 7]) == [0, 1, 2]
