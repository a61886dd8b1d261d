"""The mixed soak: concurrent shoppers browse, bag and check out over real HTTP for a while, and
afterwards the store still adds up (bench/invariants.py) and agrees with what the shoppers were told.

A few sizes and one coupon are made scarce, so the store must refuse some checkouts while the
shoppers race for them: exactly the pieces in stock are sold, and the coupon is used exactly up to
its limit. Runs TRUESTYLE_SOAK_SECONDS (default 60) plus about half a minute of set-up.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import pytest
from django.db.models import Sum

from bench.dataset import SIZES, dataset_seed, shopper_email
from bench.invariants import store_invariants_check
from bench.tests.soak_shopper import REQUEST_TIMEOUT, Catalogue, SoakShopper, tallies_merge
from truestyle.accounts.models import Address, User
from truestyle.accounts.services.addresses import address_create
from truestyle.accounts.services.tokens import token_pair_issue
from truestyle.catalog.models import Product, Variant
from truestyle.catalog.services.stock import stock_adjust
from truestyle.orders.models import Order, OrderLine
from truestyle.promotions.models import Coupon

SOAK_SECONDS = float(os.environ.get("TRUESTYLE_SOAK_SECONDS", "60"))
SHOPPERS = 8
SCARCE_SIZES = 3
SCARCE_STOCK = 2  # 8 shoppers rush for 3 × 2 pieces: at least 2 of the first checkouts are refused
SCARCE_COUPON, SCARCE_COUPON_LIMIT = "BENCH01", 3
PLENTIFUL_COUPON = "BENCH02"  # no use limit


def _shoppers_ensure(count: int) -> list[User]:
    """The dataset's shoppers, topped up to `count`, each with a default address."""
    users = list(User.objects.filter(email__endswith="@bench.truestyle.example").order_by("email"))
    for index in range(len(users), count):
        user = User.objects.create_user(email=shopper_email(index), password=None, name=f"Bench Shopper {index}")
        address_create(user=user, values={"label": "Home", "name": user.name, "phone": "9876543210",
                                          "line1": f"{index + 1} MG Road", "city": "Bengaluru",
                                          "state": "Karnataka", "pincode": "560001"})
        users.append(user)
    return users[:count]


def _scarce_sizes_make() -> list[Variant]:
    """The first sizes of the catalogue cut down to SCARCE_STOCK pieces, through the stock ledger."""
    scarce = list(Variant.objects.order_by("sku")[:SCARCE_SIZES])
    for variant in scarce:
        stock_adjust(variant_id=variant.pk, delta=SCARCE_STOCK - variant.stock, reason="correction",
                     note="scarce for the soak")
    return scarce


@pytest.fixture
def soak_store(db):
    dataset_seed(size=SIZES["smoke"])
    Coupon.objects.filter(code=SCARCE_COUPON).update(usage_limit=SCARCE_COUPON_LIMIT)
    shoppers = _shoppers_ensure(SHOPPERS)
    scarce = _scarce_sizes_make()
    scarce_ids = {str(variant.pk) for variant in scarce}
    catalogue = Catalogue(
        slugs=list(Product.objects.order_by("slug").values_list("slug", flat=True)),
        variant_ids=[str(pk) for pk in Variant.objects.order_by("sku").values_list("pk", flat=True)
                     if str(pk) not in scarce_ids],
        scarce_ids=sorted(scarce_ids), coupons=[SCARCE_COUPON, PLENTIFUL_COUPON])
    return shoppers, catalogue


@pytest.mark.slow
@pytest.mark.timeout(SOAK_SECONDS + 120)
def test_concurrent_shoppers_leave_a_store_that_adds_up_and_refuse_beyond_stock_and_coupon_limits(
        soak_store, live_server):
    # Given eight signed-in shoppers, each of whom first bags one of the scarce sizes
    users, catalogue = soak_store
    tokens = [token_pair_issue(user=user, device="soak", ip="127.0.0.1")[0] for user in users]
    addresses = [str(Address.objects.get(user=user, is_default=True).pk) for user in users]
    start = threading.Barrier(len(users))
    deadline = time.monotonic() + SOAK_SECONDS  # the opening rush counts towards the soak's time
    shoppers = [SoakShopper(index=index, base_url=live_server.url, access_token=tokens[index],
                            address_id=addresses[index], catalogue=catalogue,
                            first_pick=catalogue.scarce_ids[index % SCARCE_SIZES], start=start, deadline=deadline)
                for index in range(len(users))]

    # When they all shop at once for SOAK_SECONDS
    for shopper in shoppers:
        shopper.start()
    for shopper in shoppers:
        # Bounded: a shopper stops at the deadline, once its last request (at most a few) is answered.
        shopper.join(max(0.0, deadline + 3 * REQUEST_TIMEOUT - time.monotonic()))
    assert [shopper.name for shopper in shoppers if shopper.is_alive()] == []
    told = tallies_merge([shopper.tally for shopper in shoppers])
    _figures_print(told)

    # Then no answer was a server error, a transport error or a refusal the soak did not provoke
    assert told.unexpected == []
    assert [status for (_action, status) in told.statuses if status >= 500] == []
    # and every shopper bought something
    assert [shopper.name for shopper in shoppers if not shopper.tally.placed] == []

    # and the store adds up: stock = ledger, sales = order lines, coupon uses = redemptions, totals
    verdict = store_invariants_check()
    assert verdict.problems == []

    # and the database holds exactly the orders and pieces the shoppers were told they bought
    assert told.statuses[("check out", 201)] == len(told.placed) == verdict.orders
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(p.number for p in told.placed)
    units_told = sum(placed.units for placed in told.placed)
    assert OrderLine.objects.aggregate(units=Sum("quantity"))["units"] == units_told == verdict.units_sold
    assert Variant.objects.filter(stock__lt=0).count() == 0

    # and the scarce sizes sold exactly the pieces they had, refusing the shoppers who came too late
    sold = Counter()
    for placed in told.placed:
        sold.update(placed.quantities)
    assert {vid: sold[vid] for vid in catalogue.scarce_ids} == {vid: SCARCE_STOCK for vid in catalogue.scarce_ids}
    assert sorted(Variant.objects.filter(pk__in=catalogue.scarce_ids).values_list("stock", flat=True)) == \
        [0] * SCARCE_SIZES
    assert told.refusals[("check out", "not_enough_stock")] >= SHOPPERS - SCARCE_SIZES * SCARCE_STOCK

    # and each coupon counts the orders placed with it, the scarce one never past its limit
    used = Counter(placed.coupon_code for placed in told.placed if placed.coupon_code)
    uses = dict(Coupon.objects.values_list("code", "uses"))
    assert uses == {SCARCE_COUPON: used[SCARCE_COUPON], PLENTIFUL_COUPON: used[PLENTIFUL_COUPON]}
    assert uses[SCARCE_COUPON] <= SCARCE_COUPON_LIMIT
    if told.coupon_tries[SCARCE_COUPON] > SCARCE_COUPON_LIMIT:
        assert uses[SCARCE_COUPON] == SCARCE_COUPON_LIMIT
        assert told.refusals[("check out", "coupon_exhausted")] == \
            told.coupon_tries[SCARCE_COUPON] - SCARCE_COUPON_LIMIT


def _figures_print(told) -> None:
    """The run's figures, shown with -s or when the test fails."""
    units = sum(placed.units for placed in told.placed)
    print(f"\nsoak {SOAK_SECONDS:.0f} s, {SHOPPERS} shoppers: {sum(told.statuses.values())} requests, "
          f"{len(told.placed)} orders, {units} pieces, refusals {dict(told.refusals)}, "
          f"coupon tries {dict(told.coupon_tries)}, answers {dict(sorted(told.statuses.items()))}")
