"""Wishlists: saving, moving to the cart, and the price-drop email (one per shopper, once per drop)."""

from decimal import Decimal

import pytest
from django.core import mail

from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import Product
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.core.errors import NotFound, StoreError
from truestyle.shopping.models import CartLine, WishlistItem
from truestyle.shopping.selectors import cart_for_user, wishlist_for_user
from truestyle.shopping.services import (
    NotEnoughStock,
    wishlist_add,
    wishlist_move_to_cart,
    wishlist_notify_set,
    wishlist_remove,
)
from truestyle.shopping.tasks import wishlist_price_drop_notify


def _reprice(product: Product, price: str) -> None:
    Product.objects.filter(pk=product.pk).update(price=Decimal(price))


def test_saving_a_product_keeps_todays_price_and_saving_again_updates_it(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta", price="1799.00")
    sage = variant_create(product=kurta, colour="Sage", stock=2).colourway

    item = wishlist_add(user=asha, product_id=kurta.pk)
    _reprice(kurta, "1599.00")
    again = wishlist_add(user=asha, product_id=kurta.pk, colourway_id=sage.pk, notify_price_drop=True)

    assert again.pk == item.pk and WishlistItem.objects.count() == 1
    assert (again.price_when_added, again.last_notified_price, again.colourway_id, again.notify_price_drop) == (
        Decimal("1799.00"), Decimal("1799.00"), sage.pk, True)
    [view] = wishlist_for_user(user=asha)
    assert (view.product_name, view.colour, view.price, view.price_when_added, view.price_dropped) == (
        "Linen Kurta", "Sage", Decimal("1599.00"), Decimal("1799.00"), True)


def test_withdrawn_products_and_foreign_colours_are_refused(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta")
    other = variant_create(product=product_create(name="Oxford Shirt"), colour="Blue").colourway

    with pytest.raises(NotFound):
        wishlist_add(user=asha, product_id=product_create(name="Old Tee", is_active=False).pk)
    with pytest.raises(StoreError) as refusal:
        wishlist_add(user=asha, product_id=kurta.pk, colourway_id=other.pk)

    assert refusal.value.fields == {"colourway": ["Choose one of this product's colours."]}
    assert WishlistItem.objects.count() == 0


def test_only_the_owner_removes_an_item(db):
    asha, ravi = user_create(), user_create(email="ravi@example.com")
    item = wishlist_add(user=asha, product_id=product_create().pk)

    assert wishlist_remove(user=ravi, item_id=item.pk) is False
    assert WishlistItem.objects.count() == 1
    assert wishlist_remove(user=asha, item_id=item.pk) is True
    assert WishlistItem.objects.count() == 0


def test_moving_to_the_cart_adds_the_size_and_takes_it_off_the_wishlist(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta")
    medium = variant_create(product=kurta, size="M", stock=3)
    item = wishlist_add(user=asha, product_id=kurta.pk)

    line = wishlist_move_to_cart(user=asha, item_id=item.pk, variant_id=medium.pk, quantity=2)

    assert (line.variant_id, line.quantity, line.cart_id) == (medium.pk, 2, cart_for_user(user=asha).pk)
    assert WishlistItem.objects.count() == 0


def test_a_move_beyond_stock_or_of_another_product_changes_nothing(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta")
    medium = variant_create(product=kurta, size="M", stock=1)
    shirt_size = variant_create(product=product_create(name="Oxford Shirt"), stock=5)
    item = wishlist_add(user=asha, product_id=kurta.pk)

    with pytest.raises(NotEnoughStock):
        wishlist_move_to_cart(user=asha, item_id=item.pk, variant_id=medium.pk, quantity=2)
    with pytest.raises(StoreError) as wrong:
        wishlist_move_to_cart(user=asha, item_id=item.pk, variant_id=shirt_size.pk)

    assert wrong.value.code == "invalid"
    assert CartLine.objects.count() == 0
    assert WishlistItem.objects.count() == 1


def test_the_wishlist_lists_sizes_in_stock_of_the_chosen_colour(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta")
    sage_m = variant_create(product=kurta, colour="Sage", size="M", stock=2)
    variant_create(product=kurta, colour="Sage", size="L", stock=0)
    variant_create(product=kurta, colour="Rust", size="S", stock=4)
    wishlist_add(user=asha, product_id=kurta.pk, colourway_id=sage_m.colourway_id)

    [view] = wishlist_for_user(user=asha)

    assert view.sizes_in_stock == [{"variant_id": str(sage_m.pk), "size": "M", "stock": 2}]


def test_price_drops_are_emailed_once_per_shopper_listing_every_drop(db):
    asha, ravi = user_create(name="Asha Rao"), user_create(email="ravi@example.com", name="Ravi Kumar")
    kurta = product_create(name="Linen Kurta", price="1800.00")
    shirt = product_create(name="Oxford Shirt", price="1500.00")
    tee = product_create(name="Crew Tee", price="600.00")
    wishlist_add(user=asha, product_id=kurta.pk, notify_price_drop=True)
    wishlist_add(user=asha, product_id=shirt.pk, notify_price_drop=True)
    wishlist_add(user=asha, product_id=tee.pk, notify_price_drop=True)
    wishlist_add(user=ravi, product_id=kurta.pk)  # not opted in
    _reprice(kurta, "1500.00")
    _reprice(shirt, "1350.50")
    _reprice(tee, "650.00")  # dearer: not a drop

    sent = wishlist_price_drop_notify.delay().get()

    assert sent == 1
    [message] = mail.outbox
    assert (message.to, message.subject) == (["asha@example.com"], "Price drops on 2 items in your wishlist")
    assert "Hello Asha," in message.body
    assert "- Linen Kurta: now ₹1500.00, was ₹1800.00 (you save ₹300.00)" in message.body
    assert "- Oxford Shirt: now ₹1350.50, was ₹1500.00 (you save ₹149.50)" in message.body
    assert "Crew Tee" not in message.body
    assert WishlistItem.objects.get(user=asha, product=kurta).last_notified_price == Decimal("1500.00")


def test_a_second_run_sends_nothing_until_the_price_drops_again(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta", price="1800.00")
    wishlist_add(user=asha, product_id=kurta.pk, notify_price_drop=True)
    _reprice(kurta, "1600.00")

    first = wishlist_price_drop_notify.delay().get()
    second = wishlist_price_drop_notify.delay().get()
    _reprice(kurta, "1700.00")  # up again, still under the price first saved: no news
    third = wishlist_price_drop_notify.delay().get()
    _reprice(kurta, "1400.00")
    fourth = wishlist_price_drop_notify.delay().get()

    assert (first, second, third, fourth) == (1, 0, 0, 1)
    assert [m.subject for m in mail.outbox] == ["Price drop: Linen Kurta", "Price drop: Linen Kurta"]
    assert "now ₹1400.00, was ₹1600.00" in mail.outbox[1].body


def test_opting_out_stops_the_emails(db):
    asha = user_create()
    kurta = product_create(name="Linen Kurta", price="1800.00")
    item = wishlist_add(user=asha, product_id=kurta.pk, notify_price_drop=True)
    wishlist_notify_set(user=asha, item_id=item.pk, enabled=False)
    _reprice(kurta, "1000.00")

    assert wishlist_price_drop_notify.delay().get() == 0
    assert mail.outbox == []
    assert WishlistItem.objects.get(pk=item.pk).last_notified_price == Decimal("1800.00")
