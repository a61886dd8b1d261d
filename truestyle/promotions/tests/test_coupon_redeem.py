"""coupon_redeem and coupon_release: counting uses inside an order's transaction, under concurrency."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from truestyle.accounts.tests.factories import user_create
from truestyle.core.errors import StoreError
from truestyle.core.transactions import mongo_atomic, run_in_mongo_transaction
from truestyle.promotions.models import Coupon, CouponCustomerUses, CouponUse
from truestyle.promotions.services import CouponRefused, coupon_redeem, coupon_release
from truestyle.promotions.tests.factories import coupon_create, line


class PlacementFailed(Exception):
    pass


def _race(count: int, work) -> list:
    """Run work(i) in `count` threads released together; returns each outcome (a value or the exception)."""
    start = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(number):
        try:
            start.wait()
            outcomes[number] = work(number)
        except Exception as error:  # noqa: BLE001 - the outcome is the assertion's subject
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_a_redemption_counts_the_use_and_records_it(db):
    coupon = coupon_create(code="SAVE10", usage_limit=10, per_customer_limit=2)
    asha = user_create()

    quote = mongo_atomic(coupon_redeem, code="save10", user=asha, lines=[line("1200.00")], order_id="TS-1001")

    assert (quote.code, quote.discount) == ("SAVE10", Decimal("120.00"))
    assert Coupon.objects.get(pk=coupon.pk).uses == 1
    use = CouponUse.objects.get()
    assert (use.coupon_id, use.user_id, use.order_id, use.discount, use.released_at) == (
        coupon.pk, asha.pk, "TS-1001", Decimal("120.00"), None)
    assert CouponCustomerUses.objects.get(coupon=coupon, user=asha).uses == 1


def test_a_refused_redemption_writes_nothing(db):
    coupon = coupon_create(code="SAVE10", min_order_value="1000.00", usage_limit=5)

    with pytest.raises(CouponRefused) as refusal:
        mongo_atomic(coupon_redeem, code="SAVE10", user=user_create(), lines=[line("999.99")], order_id="TS-1")

    assert refusal.value.code == "coupon_min_order"
    assert Coupon.objects.get(pk=coupon.pk).uses == 0
    assert (CouponUse.objects.count(), CouponCustomerUses.objects.count()) == (0, 0)


def test_a_guest_cannot_redeem(db):
    coupon_create(code="SAVE10")

    with pytest.raises(StoreError) as refusal:
        coupon_redeem(code="SAVE10", user=None, lines=[line("100.00")], order_id="TS-1")

    assert refusal.value.code == "sign_in_required"
    assert CouponUse.objects.count() == 0


def test_a_failed_placement_rolls_the_use_back(db):
    coupon = coupon_create(code="SAVE10", usage_limit=1)
    asha = user_create()

    def place():
        coupon_redeem(code="SAVE10", user=asha, lines=[line("500.00")], order_id="TS-7")
        raise PlacementFailed("payment method refused")

    with pytest.raises(PlacementFailed):
        run_in_mongo_transaction(place)

    assert Coupon.objects.get(pk=coupon.pk).uses == 0
    assert (CouponUse.objects.count(), CouponCustomerUses.objects.count()) == (0, 0)


def test_the_customer_limit_refusal_gives_nothing_away_even_if_the_caller_commits(db):
    coupon = coupon_create(code="ONCE", per_customer_limit=1, usage_limit=10)
    asha = user_create()
    coupon_redeem(code="ONCE", user=asha, lines=[line("500.00")], order_id="TS-1")

    def place_without_coupon():
        try:
            coupon_redeem(code="ONCE", user=asha, lines=[line("500.00")], order_id="TS-2")
        except CouponRefused as refusal:
            return refusal.code

    assert run_in_mongo_transaction(place_without_coupon) == "coupon_customer_limit"
    assert Coupon.objects.get(pk=coupon.pk).uses == 1
    assert list(CouponUse.objects.values_list("order_id", flat=True)) == ["TS-1"]
    assert CouponCustomerUses.objects.get(coupon=coupon, user=asha).uses == 1


def test_twenty_shoppers_racing_for_the_last_use_get_it_once(db):
    coupon = coupon_create(code="LASTONE", usage_limit=1)
    shoppers = [user_create(email=f"shopper{number}@example.com") for number in range(20)]

    outcomes = _race(20, lambda number: mongo_atomic(
        coupon_redeem, code="LASTONE", user=shoppers[number], lines=[line("1000.00")], order_id=f"TS-{number}",
        attempts=10))

    wins = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, CouponRefused)]
    assert len(wins) == 1 and wins[0].discount == Decimal("100.00")
    assert len(refusals) == 19, outcomes
    assert {refusal.code for refusal in refusals} == {"coupon_exhausted"}
    assert Coupon.objects.get(pk=coupon.pk).uses == 1
    assert CouponUse.objects.count() == 1


def test_one_shopper_racing_ten_orders_gets_exactly_their_limit(db):
    coupon = coupon_create(code="TWICE", per_customer_limit=2, usage_limit=100)
    asha = user_create()

    outcomes = _race(10, lambda number: mongo_atomic(
        coupon_redeem, code="TWICE", user=asha, lines=[line("1000.00")], order_id=f"TS-{number}", attempts=10))

    refusals = [outcome for outcome in outcomes if isinstance(outcome, CouponRefused)]
    assert len([outcome for outcome in outcomes if not isinstance(outcome, Exception)]) == 2
    assert len(refusals) == 8, outcomes
    assert {refusal.code for refusal in refusals} == {"coupon_customer_limit"}
    assert Coupon.objects.get(pk=coupon.pk).uses == 2
    assert CouponCustomerUses.objects.get(coupon=coupon, user=asha).uses == 2
    assert CouponUse.objects.filter(user=asha).count() == 2


def test_releasing_gives_the_use_back_once(db):
    coupon = coupon_create(code="ONCE", usage_limit=1, per_customer_limit=1)
    asha = user_create()
    coupon_redeem(code="ONCE", user=asha, lines=[line("500.00")], order_id="TS-1")

    first, second = coupon_release(order_id="TS-1"), coupon_release(order_id="TS-1")

    assert (first, second) == (True, False)
    assert Coupon.objects.get(pk=coupon.pk).uses == 0
    assert CouponCustomerUses.objects.get(coupon=coupon, user=asha).uses == 0
    assert CouponUse.objects.get(order_id="TS-1").released_at is not None
    # The use is free again, for the same shopper too.
    assert coupon_redeem(code="ONCE", user=asha, lines=[line("500.00")], order_id="TS-2").discount == Decimal("50.00")
    assert Coupon.objects.get(pk=coupon.pk).uses == 1


def test_releasing_an_order_without_a_coupon_changes_nothing(db):
    coupon = coupon_create(code="SAVE10", usage_limit=5)
    coupon_redeem(code="SAVE10", user=user_create(), lines=[line("500.00")], order_id="TS-1")

    assert coupon_release(order_id="TS-404") is False
    assert Coupon.objects.get(pk=coupon.pk).uses == 1


def test_concurrent_releases_give_the_use_back_once(db):
    coupon = coupon_create(code="SAVE10", usage_limit=5)
    coupon_redeem(code="SAVE10", user=user_create(), lines=[line("500.00")], order_id="TS-1")

    outcomes = _race(6, lambda number: coupon_release(order_id="TS-1"))

    assert sorted(outcomes, key=str) == [False] * 5 + [True]
    assert Coupon.objects.get(pk=coupon.pk).uses == 0
