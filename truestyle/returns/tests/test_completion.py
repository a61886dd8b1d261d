"""Stock after each kind of completion: only sellable units come back, always through the ledger."""

from decimal import Decimal

import pytest

from truestyle.catalog.models import StockMovement, Variant
from truestyle.orders.tests.factories import ledger_sum, stock_of
from truestyle.payments.models import Refund
from truestyle.returns.tests.factories import complete, delivered_order, other_size, request_for, returns_staff_create


@pytest.mark.parametrize("kind, inspection, shirt_m_after, shirt_l_after", [
    ("return", "sellable", 10, 3),    # 2 of 10 sold, both back
    ("return", "damaged", 8, 3),      # written off: not back in stock
    ("exchange", "sellable", 10, 1),  # both back; the 2 held L units were dispatched
    ("exchange", "damaged", 8, 1),
])
def test_stock_after_completion(db, kind, inspection, shirt_m_after, shirt_l_after):
    order, user = delivered_order()  # 2 × size M from a stock of 10
    shirt_m = Variant.objects.get(pk=order.lines.get().variant_id)
    shirt_l = other_size(shirt_m, size="L", stock=3)
    assert stock_of(shirt_m) == 8
    fields = {"replacement_variant_id": str(shirt_l.pk)} if kind == "exchange" else {}
    request = request_for(order, user, kind=kind, quantity=2, **fields)

    request = complete(request, staff=returns_staff_create(), inspection=inspection)

    assert (request.status, request.inspection) == ("completed", inspection)
    assert stock_of(shirt_m) == shirt_m_after == ledger_sum(shirt_m)
    assert stock_of(shirt_l) == shirt_l_after == ledger_sum(shirt_l)
    back = list(StockMovement.objects.filter(variant_id=shirt_m.pk, reference=request.number)
                .values_list("delta", "reason"))
    assert back == ([(2, "return")] if inspection == "sellable" else [])
    held = list(StockMovement.objects.filter(variant_id=shirt_l.pk, reference=request.number)
                .values_list("delta", "reason"))
    assert held == ([(-2, "sale")] if kind == "exchange" else [])
    # A return is refunded whatever the inspection found; an exchange is not refunded.
    refunds = list(Refund.objects.values_list("amount", "source"))
    assert refunds == ([(Decimal("2998.00"), f"return {request.number}")] if kind == "return" else [])
