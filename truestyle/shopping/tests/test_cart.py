"""Cart services and selectors: stock caps, quantities, guest carts merged at sign-in."""

from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import ProductImage
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.core.errors import NotFound, StoreError
from truestyle.shopping.models import Cart, CartLine
from truestyle.shopping.selectors import cart_for_session, cart_for_user, cart_item_count, cart_lines
from truestyle.shopping.services import (
    NotEnoughStock,
    cart_add,
    cart_clear,
    cart_get_or_create,
    cart_merge_at_sign_in,
    cart_remove,
    cart_set_quantity,
)


@pytest.fixture
def shirt(db):
    return product_create(name="Oxford Shirt", price="1499.00")


def _quantities(cart) -> dict:
    return {line.sku: line.quantity for line in cart_lines(cart=cart)}


def test_one_cart_per_user_and_per_guest_session(db):
    asha = user_create()

    first, again = cart_get_or_create(user=asha), cart_get_or_create(user=asha)
    guest = cart_get_or_create(session_key="guest-session-1")

    assert first.pk == again.pk and first.owner == f"user:{asha.pk}"
    assert guest.pk != first.pk and guest.session_key == "guest-session-1"
    assert cart_for_user(user=asha).pk == first.pk and cart_for_session(session_key="guest-session-1").pk == guest.pk
    assert Cart.objects.count() == 2


def test_adding_sums_quantities_of_the_same_size(shirt):
    variant = variant_create(product=shirt, size="M", stock=5)
    cart = cart_get_or_create(user=user_create())

    cart_add(cart=cart, variant_id=variant.pk, quantity=2)
    line = cart_add(cart=cart, variant_id=variant.pk, quantity=3)

    assert line.quantity == 5
    assert CartLine.objects.filter(cart=cart).count() == 1
    assert cart_item_count(cart=cart) == 5


def test_adding_beyond_stock_is_refused_with_what_is_left_and_writes_nothing(shirt):
    variant = variant_create(product=shirt, size="M", stock=3)
    cart = cart_get_or_create(user=user_create())
    cart_add(cart=cart, variant_id=variant.pk, quantity=2)

    with pytest.raises(NotEnoughStock) as refusal:
        cart_add(cart=cart, variant_id=variant.pk, quantity=2)

    assert (refusal.value.code, refusal.value.available, refusal.value.message) == (
        "not_enough_stock", 3, "Only 3 left in this size.")
    assert refusal.value.fields == {"quantity": ["Only 3 left in this size."]}
    assert _quantities(cart) == {variant.sku: 2}


def test_a_sold_out_size_cannot_be_added(shirt):
    variant = variant_create(product=shirt, size="L", stock=0)
    cart = cart_get_or_create(session_key="guest-1")

    with pytest.raises(NotEnoughStock) as refusal:
        cart_add(cart=cart, variant_id=variant.pk)

    assert (refusal.value.available, refusal.value.message) == (0, "This size is out of stock.")
    assert CartLine.objects.count() == 0


def test_unknown_or_withdrawn_variants_and_bad_quantities_are_refused(shirt):
    withdrawn = variant_create(product=product_create(name="Old Tee", is_active=False), stock=4)
    variant = variant_create(product=shirt, stock=4)
    cart = cart_get_or_create(session_key="guest-1")

    with pytest.raises(NotFound):
        cart_add(cart=cart, variant_id=withdrawn.pk)
    with pytest.raises(NotFound):
        cart_add(cart=cart, variant_id="0123456789abcdef01234567")
    with pytest.raises(StoreError) as zero:
        cart_add(cart=cart, variant_id=variant.pk, quantity=0)
    with pytest.raises(StoreError) as negative:
        cart_set_quantity(cart=cart, variant_id=variant.pk, quantity=-1)

    assert (zero.value.code, negative.value.code) == ("invalid", "invalid")
    assert CartLine.objects.count() == 0


def test_setting_a_quantity_is_capped_by_stock_and_zero_removes(shirt):
    variant = variant_create(product=shirt, size="S", stock=4)
    cart = cart_get_or_create(user=user_create())
    cart_add(cart=cart, variant_id=variant.pk)

    assert cart_set_quantity(cart=cart, variant_id=variant.pk, quantity=4).quantity == 4
    with pytest.raises(NotEnoughStock) as refusal:
        cart_set_quantity(cart=cart, variant_id=variant.pk, quantity=5)
    assert refusal.value.available == 4
    assert _quantities(cart) == {variant.sku: 4}

    assert cart_set_quantity(cart=cart, variant_id=variant.pk, quantity=0) is None
    assert CartLine.objects.count() == 0


def test_lowering_is_allowed_when_stock_fell_below_the_line(shirt):
    variant = variant_create(product=shirt, size="S", stock=4)
    cart = cart_get_or_create(user=user_create())
    cart_add(cart=cart, variant_id=variant.pk, quantity=4)
    from truestyle.catalog.services import stock_adjust

    stock_adjust(variant_id=variant.pk, delta=-3, reason="sale")

    assert cart_set_quantity(cart=cart, variant_id=variant.pk, quantity=2).quantity == 2
    assert cart_lines(cart=cart)[0].in_stock == 1


def test_remove_and_clear(shirt):
    small, medium = variant_create(product=shirt, size="S", stock=2), variant_create(product=shirt, size="M", stock=2)
    cart = cart_get_or_create(user=user_create())
    cart_add(cart=cart, variant_id=small.pk)
    cart_add(cart=cart, variant_id=medium.pk)

    assert (cart_remove(cart=cart, variant_id=small.pk), cart_remove(cart=cart, variant_id=small.pk)) == (True, False)
    assert _quantities(cart) == {medium.sku: 1}
    cart_clear(cart=cart)
    assert (cart_item_count(cart=cart), Cart.objects.filter(pk=cart.pk).exists()) == (0, True)


def test_cart_lines_show_current_price_stock_and_image(shirt):
    variant = variant_create(product=shirt, colour="Indigo", size="M", stock=7)
    ProductImage.objects.create(product=shirt, colourway=variant.colourway, image="shirt-indigo.jpg",
                                thumbnail="shirt-indigo-thumb.jpg", alt_text="Oxford shirt in indigo")
    cart = cart_get_or_create(user=user_create())
    cart_add(cart=cart, variant_id=variant.pk, quantity=2)
    shirt.price = Decimal("1299.00")
    shirt.save()

    [view] = cart_lines(cart=cart)

    assert (view.variant_id, view.product_id, view.product_name, view.product_slug) == (
        str(variant.pk), str(shirt.pk), "Oxford Shirt", "oxford-shirt")
    assert (view.size, view.colour, view.sku) == ("M", "Indigo", variant.sku)
    assert (view.quantity, view.unit_price, view.in_stock, view.line_total) == (
        2, Decimal("1299.00"), 7, Decimal("2598.00"))
    assert view.image_url == "/files/shirt-indigo-thumb.jpg"


def test_cart_lines_take_the_same_number_of_queries_for_one_line_or_many(db):
    cart = cart_get_or_create(user=user_create())
    product = product_create(name="Tee 0")
    cart_add(cart=cart, variant_id=variant_create(product=product, stock=3).pk)
    with CaptureQueriesContext(connections["mongodb"]) as small:
        assert len(cart_lines(cart=cart)) == 1
    for number in range(1, 5):
        product = product_create(name=f"Tee {number}")
        cart_add(cart=cart, variant_id=variant_create(product=product, size="L", stock=3).pk, quantity=2)
    with CaptureQueriesContext(connections["mongodb"]) as large:
        assert len(cart_lines(cart=cart)) == 5

    # The lines, then their variants, products, colourways (by ids, not joined) and images.
    assert len(small.captured_queries) == len(large.captured_queries) == 5
    with CaptureQueriesContext(connections["mongodb"]) as count:
        assert cart_item_count(cart=cart) == 9
    assert len(count.captured_queries) == 1


def test_guest_lines_are_merged_summed_and_capped_at_sign_in(shirt):
    small = variant_create(product=shirt, size="S", stock=3)
    medium = variant_create(product=shirt, size="M", stock=10)
    large = variant_create(product=shirt, size="L", stock=1)
    asha = user_create()
    own = cart_get_or_create(user=asha)
    cart_add(cart=own, variant_id=small.pk, quantity=2)
    cart_add(cart=own, variant_id=medium.pk, quantity=1)
    guest = cart_get_or_create(session_key="guest-1")
    cart_add(cart=guest, variant_id=small.pk, quantity=3)
    cart_add(cart=guest, variant_id=medium.pk, quantity=4)
    cart_add(cart=guest, variant_id=large.pk, quantity=1)

    merged = cart_merge_at_sign_in(session_key="guest-1", user=asha)

    assert merged.pk == own.pk
    assert _quantities(merged) == {small.sku: 3, medium.sku: 5, large.sku: 1}
    assert not Cart.objects.filter(pk=guest.pk).exists()
    assert CartLine.objects.count() == 3


def test_a_merge_drops_guest_lines_that_sold_out_and_creates_the_users_cart(shirt):
    from truestyle.catalog.services import stock_adjust

    gone = variant_create(product=shirt, size="S", stock=1)
    kept = variant_create(product=shirt, size="M", stock=2)
    guest = cart_get_or_create(session_key="guest-1")
    cart_add(cart=guest, variant_id=gone.pk)
    cart_add(cart=guest, variant_id=kept.pk, quantity=2)
    stock_adjust(variant_id=gone.pk, delta=-1, reason="sale")
    asha = user_create()

    merged = cart_merge_at_sign_in(session_key="guest-1", user=asha)

    assert merged.owner == f"user:{asha.pk}"
    assert _quantities(merged) == {kept.sku: 2}
    assert Cart.objects.count() == 1


def test_a_merge_without_a_guest_cart_changes_nothing(shirt):
    variant = variant_create(product=shirt, stock=2)
    asha = user_create()
    own = cart_get_or_create(user=asha)
    cart_add(cart=own, variant_id=variant.pk)

    assert cart_merge_at_sign_in(session_key="no-such-session", user=asha).pk == own.pk
    assert _quantities(own) == {variant.sku: 1}
