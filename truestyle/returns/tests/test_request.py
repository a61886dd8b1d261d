"""Filing a return or exchange: eligibility (refusals write nothing), photos, and the exchange hold."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from truestyle.catalog.models import StockMovement, Variant
from truestyle.core.errors import StoreError
from truestyle.orders.models import OrderEvent
from truestyle.orders.tests.factories import customer_create, ledger_sum, line, place, stock_of, stocked_variant
from truestyle.promotions.tests.factories import category_create
from truestyle.returns.models import ReturnEvent, ReturnLineTally, ReturnRequest, ReturnRule
from truestyle.returns.rules import policy_for_category
from truestyle.returns.services import return_transition
from truestyle.returns.tests.factories import (
    delivered_order, other_size, png_upload, request_for, returns_staff_create,
)


def _nothing_written(*, movements_before: int, files_before: int = 0) -> None:
    assert ReturnRequest.objects.count() == 0
    assert ReturnEvent.objects.count() == 0
    assert StockMovement.objects.count() == movements_before
    assert ReturnLineTally.objects.filter(claimed__gt=0).count() == 0
    assert _stored_files() == files_before
    assert mail.outbox == []


def _stored_files() -> int:
    return default_storage.files_collection.count_documents({})


def test_a_customer_files_a_return_with_photos_and_is_mailed(db):
    order, user = delivered_order()

    request = request_for(order, user, quantity=1, reason="too_small", comment=" Tight at the chest ",
                          photos=[png_upload(), png_upload("second.png")])

    assert (request.status, request.kind, request.quantity, request.reason, request.comment) == (
        "requested", "return", 1, "too_small", "Tight at the chest")
    assert request.number.startswith("RT")
    # One of two shirts at ₹1499 (no coupon): the refund the customer can expect.
    assert (request.refund_amount, request.refund_method) == (Decimal("1499.00"), "bank_transfer")
    assert len(request.photos) == 2
    for name in request.photos:
        with default_storage.open(name) as stored:
            assert stored.read(8) == b"\x89PNG\r\n\x1a\n"
    event = ReturnEvent.objects.get(request=request)
    assert (event.from_status, event.to_status, event.actor_id) == ("", "requested", str(user.pk))
    assert [m.subject for m in mail.outbox] == [f"TrueStyle: We received your return request {request.number}"]
    assert "estimated refund is ₹1499.00" in mail.outbox[0].body


def test_a_return_after_the_window_is_refused_and_writes_nothing(db):
    order, user = delivered_order()
    # Delivered 31 days ago: the default window is 30 days.
    OrderEvent.objects.filter(order=order, to_status="delivered").update(
        created_at=timezone.now() - timedelta(days=30, minutes=1))
    movements = StockMovement.objects.count()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user, photos=[png_upload()])

    assert refusal.value.code == "return_window_closed"
    _nothing_written(movements_before=movements)


def test_the_window_of_the_nearest_category_rule_applies(db):
    category = category_create("men/shirts")
    ReturnRule.objects.create(category=category.parent, window_days=7)
    order, user = delivered_order(items=[(stocked_variant(category="men/shirts", stock=5), 1)])
    OrderEvent.objects.filter(order=order, to_status="delivered").update(
        created_at=timezone.now() - timedelta(days=8))

    with pytest.raises(StoreError) as refusal:
        request_for(order, user)

    assert refusal.value.code == "return_window_closed"
    assert "7-day" in refusal.value.message
    assert ReturnRequest.objects.count() == 0


def test_innerwear_is_not_returnable_though_its_parent_is(db):
    innerwear = category_create("men/innerwear")
    ReturnRule.objects.create(category=innerwear.parent, window_days=30, returnable=True)
    ReturnRule.objects.create(category=innerwear, returnable=False)
    briefs = category_create("men/innerwear/briefs")
    assert policy_for_category(briefs).returnable is False
    assert policy_for_category(innerwear.parent).returnable is True
    order, user = delivered_order(items=[(stocked_variant(name="Cotton Briefs", category="men/innerwear/briefs",
                                                          stock=5), 1)])
    movements = StockMovement.objects.count()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user)

    assert refusal.value.code == "not_returnable"
    _nothing_written(movements_before=movements)


def test_an_undelivered_order_cannot_be_returned(db):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(stock=5), 1)])
    mail.outbox.clear()
    movements = StockMovement.objects.count()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user)

    assert refusal.value.code == "not_delivered"
    _nothing_written(movements_before=movements)


def test_more_than_delivered_is_refused(db):
    order, user = delivered_order()  # 2 shirts
    movements = StockMovement.objects.count()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user, quantity=3)

    assert (refusal.value.code, refusal.value.fields) == ("quantity_too_high", {
        "quantity": ["You can send back at most 2 of this item."]})
    _nothing_written(movements_before=movements)


def test_units_already_being_returned_count_against_the_line(db):
    order, user = delivered_order()  # 2 shirts
    first = request_for(order, user, quantity=1)
    mail.outbox.clear()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user, quantity=2)

    assert refusal.value.code == "quantity_too_high"
    assert list(ReturnRequest.objects.values_list("number", flat=True)) == [first.number]
    assert ReturnLineTally.objects.get().claimed == 1
    assert mail.outbox == []
    # Once the first request is cancelled its unit may be asked for again.
    return_transition(request=first, to="cancelled", actor=user)
    assert request_for(order, user, quantity=2).quantity == 2


def test_another_customers_order_is_not_found(db):
    order, _ = delivered_order()
    stranger, _ = customer_create(email="stranger@example.com")

    with pytest.raises(StoreError) as refusal:
        request_for(order, stranger)

    assert refusal.value.code == "order_not_found"
    assert ReturnRequest.objects.count() == 0


def test_an_invalid_photo_is_refused_and_nothing_is_stored(db):
    order, user = delivered_order()
    movements, files = StockMovement.objects.count(), _stored_files()
    text = SimpleUploadedFile("receipt.png", b"not an image at all", content_type="image/png")

    with pytest.raises(StoreError) as refusal:
        request_for(order, user, photos=[png_upload(), text])

    assert refusal.value.code == "invalid_image"
    _nothing_written(movements_before=movements, files_before=files)


def test_an_exchange_holds_the_replacement_and_rejection_releases_it(db):
    order, user = delivered_order()
    shirt_m = order.lines.get().variant_id
    large = other_size(Variant.objects.get(pk=shirt_m), size="L", stock=3)

    request = request_for(order, user, kind="exchange", quantity=2, replacement_variant_id=str(large.pk))

    assert (request.replacement_variant_id, request.replacement_label, request.refund_amount) == (
        str(large.pk), "Indigo, L", Decimal("0.00"))
    assert stock_of(large) == 1 == ledger_sum(large)
    hold = StockMovement.objects.get(variant_id=large.pk, reference=request.number)
    assert (hold.delta, hold.reason, hold.actor_id) == (-2, "sale", str(user.pk))

    staff = returns_staff_create()
    return_transition(request=request, to="rejected", actor=staff, note="Worn and washed")

    assert stock_of(large) == 3 == ledger_sum(large)
    release = StockMovement.objects.filter(variant_id=large.pk, reference=request.number).order_by("-created_at")[0]
    assert (release.delta, release.reason, release.actor_id) == (2, "return", str(staff.pk))
    assert ReturnLineTally.objects.get().claimed == 0


def test_cancelling_an_approved_exchange_releases_the_hold(db):
    order, user = delivered_order()
    large = other_size(Variant.objects.get(pk=order.lines.get().variant_id), size="L", stock=1)
    request = request_for(order, user, kind="exchange", replacement_variant_id=str(large.pk))
    assert stock_of(large) == 0
    request = return_transition(request=request, to="approved", actor=returns_staff_create())

    request = return_transition(request=request, to="cancelled", actor=user)

    assert request.status == "cancelled"
    assert stock_of(large) == 1 == ledger_sum(large)


def test_an_exchange_for_a_sold_out_size_is_refused_and_writes_nothing(db):
    order, user = delivered_order()
    large = other_size(Variant.objects.get(pk=order.lines.get().variant_id), size="L", stock=1)
    movements = StockMovement.objects.count()

    with pytest.raises(StoreError) as refusal:
        request_for(order, user, kind="exchange", quantity=2, replacement_variant_id=str(large.pk),
                    photos=[png_upload()])

    assert refusal.value.code == "replacement_unavailable"
    assert stock_of(large) == 1
    assert ReturnRequest.objects.count() == 0 == ReturnEvent.objects.count()
    assert StockMovement.objects.count() == movements
    assert ReturnLineTally.objects.get().claimed == 0
    assert _stored_files() == 0
    assert mail.outbox == []


def test_an_exchange_must_name_another_size_of_the_same_product(db):
    order, user = delivered_order()
    same = order.lines.get().variant_id
    unrelated = stocked_variant(name="Linen Trousers", stock=4)

    for variant_id in (same, str(unrelated.pk), "", "not-an-id"):
        with pytest.raises(StoreError) as refusal:
            request_for(order, user, kind="exchange", replacement_variant_id=variant_id)
        assert refusal.value.code == "invalid_replacement"
    assert ReturnRequest.objects.count() == 0
