import pytest

from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import StockMovement
from truestyle.core.errors import StoreError
from truestyle.orders.models import Order
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.payments.models import Payment
from truestyle.testing.concurrency import race

pytestmark = pytest.mark.slow




def test_fifty_buyers_racing_for_five_units_make_exactly_five_orders(db):
    variant = stocked_variant(stock=5)
    buyers = []
    for index in range(50):
        user = user_create(email=f"buyer{index}@example.com")
        address = Address.objects.create(user=user, name="Buyer", phone="9876543210", line1="1 Road",
                                         city="Pune", state="Maharashtra", pincode="411001", is_default=True)
        buyers.append((user, address))

    results = race(50, lambda i: place(user=buyers[i][0], address=buyers[i][1], lines=[line(variant, 1)]))

    orders = [r for r in results if isinstance(r, Order)]
    refusals = [r for r in results if not isinstance(r, Order)]
    assert len(orders) == 5
    # Every loser was told why, in the store's terms (sold out, or the store was too busy to try again).
    assert all(isinstance(r, StoreError) and r.code in {"not_enough_stock", "transaction_aborted"} for r in refusals)
    assert sum(r.code == "not_enough_stock" for r in refusals) >= 1
    assert Order.objects.count() == 5 == Payment.objects.count()
    assert len({o.user_id for o in orders}) == 5
    assert stock_of(variant) == 0 == ledger_sum(variant)
    assert StockMovement.objects.filter(variant_id=variant.pk, reason="sale").count() == 5


def test_ten_concurrent_submits_with_one_key_make_one_order(db):
    user, address = customer_create()
    variant = stocked_variant(stock=20)

    results = race(10, lambda i: place(user=user, address=address, lines=[line(variant, 2)], key="one-checkout"))

    orders = [r for r in results if isinstance(r, Order)]
    assert [r for r in results if not isinstance(r, Order)] == []
    assert len({o.pk for o in orders}) == 1
    assert Order.objects.count() == 1
    assert stock_of(variant) == 18 == ledger_sum(variant)
