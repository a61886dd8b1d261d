"""Concurrent requests: the last unit is held once, a line is never claimed twice, refunds stay within the payment."""

from decimal import Decimal

import pytest

from truestyle.catalog.models import StockMovement
from truestyle.core.errors import StoreError
from truestyle.orders.tests.factories import customer_create, ledger_sum, stock_of, stocked_variant
from truestyle.payments.models import Payment, Refund
from truestyle.payments.services import payment_refund_partial
from truestyle.returns.models import ReturnLineTally, ReturnRequest
from truestyle.returns.tests.factories import delivered_order, other_size, request_for
from truestyle.testing.concurrency import race

pytestmark = pytest.mark.slow




def test_four_customers_exchanging_for_the_last_unit_exactly_one_holds_it(db):
    shirt_m = stocked_variant(stock=10)
    shirt_l = other_size(shirt_m, size="L", stock=1)
    customers = []
    for index in range(4):
        user, address = customer_create(email=f"buyer{index}@example.com")
        customers.append(delivered_order(user=user, address=address, items=[(shirt_m, 1)]))

    results = race(4, lambda i: request_for(customers[i][0], customers[i][1], kind="exchange",
                                             replacement_variant_id=str(shirt_l.pk)))

    held = [r for r in results if isinstance(r, ReturnRequest)]
    refused = [r for r in results if not isinstance(r, ReturnRequest)]
    assert len(held) == 1
    assert all(isinstance(r, StoreError) and r.code in {"replacement_unavailable", "transaction_aborted"}
               for r in refused), refused
    assert ReturnRequest.objects.count() == 1
    assert stock_of(shirt_l) == 0 == ledger_sum(shirt_l)
    assert StockMovement.objects.filter(variant_id=shirt_l.pk, reason="sale").count() == 1
    # The losers' tallies were rolled back with everything else.
    assert sorted(ReturnLineTally.objects.values_list("claimed", flat=True)) in ([0, 0, 0, 1], [1])


def test_two_requests_for_the_same_units_at_once_claim_them_once(db):
    order, user = delivered_order()  # 2 shirts

    results = race(3, lambda i: request_for(order, user, quantity=2))

    made = [r for r in results if isinstance(r, ReturnRequest)]
    assert len(made) == 1
    assert all(isinstance(r, StoreError) and r.code in {"quantity_too_high", "transaction_aborted"}
               for r in results if r not in made)
    assert ReturnLineTally.objects.get().claimed == 2


def test_concurrent_refunds_never_exceed_the_payment(db):
    order, _ = delivered_order(payment_method="upi")  # ₹2998 paid

    results = race(4, lambda i: payment_refund_partial(order=order, amount=Decimal("1000.00"), reason=f"r{i}"))

    granted = [r for r in results if isinstance(r, Refund)]
    assert len(granted) == 2
    assert all(isinstance(r, StoreError) and r.code in {"refund_exceeds_payment", "transaction_aborted"}
               for r in results if r not in granted)
    assert Payment.objects.get(order=order).refunded_amount == Decimal("2000.00")
    assert sum(Refund.objects.values_list("amount", flat=True)) == Decimal("2000.00")
