"""Staff actions on stock, orders and returns land in the audit log once committed; shoppers' do not."""

from __future__ import annotations

import pytest

from truestyle.auditlog.models import AuditEntry
from truestyle.catalog.services import stock_adjust
from truestyle.core.errors import StoreError
from truestyle.orders.services import order_transition
from truestyle.orders.tests.factories import customer_create, line, place, staff_create, stocked_variant
from truestyle.returns.services import return_transition
from truestyle.returns.tests.factories import delivered_order, request_for, returns_staff_create

FIELDS = ("actor_email", "action", "object_type", "object_id", "before", "after")


def test_a_staff_stock_adjustment_is_audited_with_before_and_after(db):
    staff = staff_create()
    variant = stocked_variant(stock=4)

    stock_adjust(variant_id=variant.pk, delta=6, reason="restock", actor_id=str(staff.pk), note="Delivery 12",
                 actor=staff)

    assert list(AuditEntry.objects.values_list(*FIELDS)) == [
        ("orders@example.com", "stock.adjust", "variant", variant.sku, {"stock": 4},
         {"stock": 10, "reason": "restock", "note": "Delivery 12"})]


def test_a_refused_adjustment_records_nothing(db):
    staff = staff_create()
    variant = stocked_variant(stock=2)

    with pytest.raises(StoreError):
        stock_adjust(variant_id=variant.pk, delta=-5, reason="damage", actor=staff)

    assert AuditEntry.objects.count() == 0


def test_staff_order_moves_are_audited_and_a_customer_cancellation_is_not(db):
    staff = staff_create()
    asha, home = customer_create()
    first = place(user=asha, address=home, lines=[line(stocked_variant(stock=5))])
    second = place(user=asha, address=home, lines=[line(stocked_variant(name="Linen Kurta", stock=5))])

    order_transition(order=first, to="confirmed", actor=staff, note="Checked")
    order_transition(order=second, to="cancelled", actor=asha, note="Changed my mind")

    assert list(AuditEntry.objects.values_list(*FIELDS)) == [
        ("orders@example.com", "order.transition", "order", first.number, {"status": "placed"},
         {"status": "confirmed", "tracking_number": "", "note": "Checked"})]


def test_a_staff_return_decision_is_audited(db):
    order, shopper = delivered_order()
    request = request_for(order, shopper)
    AuditEntry.objects.all().delete()  # delivering the order was audited too
    staff = returns_staff_create()

    return_transition(request=request, to="approved", actor=staff)

    assert list(AuditEntry.objects.values_list(*FIELDS)) == [
        ("returns@example.com", "return.transition", "return_request", request.number, {"status": "requested"},
         {"status": "approved", "note": "", "inspection": ""})]
