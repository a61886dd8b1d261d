"""The bag and wishlist pages: htmx answers with the fragment and `HX-Trigger: cartChanged`, plain
POSTs redirect back with a message; stock caps show the service's message and change nothing; a guest
bag follows the shopper into their account at sign-in; nobody reaches another browser's bag."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from storefront.tests.catalog_data import catalogue_create
from storefront.tests.conftest import signed_in_client
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.catalog.models import Product
from truestyle.shopping.models import Cart, CartLine, WishlistItem
from truestyle.shopping.selectors import cart_for_session, cart_for_user, cart_lines
from truestyle.shopping.services import cart_add, cart_get_or_create, wishlist_add

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def catalogue(db):
    return catalogue_create()


def _bag(cart) -> dict:
    return {line.sku: line.quantity for line in cart_lines(cart=cart)}


def _guest_cart(client):
    return cart_for_session(session_key=client.session.session_key)


def _add(client, variant, quantity=1, **extra):
    return client.post("/cart/add/", {"variant": str(variant.pk), "quantity": str(quantity),
                                      "next": "/p/oxford-shirt/?colour=indigo"}, **extra)


# --- adding --------------------------------------------------------------------------------------


def test_a_guest_adds_to_a_bag_kept_with_the_browser_session(catalogue, client):
    response = _add(client, catalogue["indigo_m"], 2)

    assert response.status_code == 302 and response["Location"] == "/p/oxford-shirt/?colour=indigo"
    assert client.session.session_key
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 2}
    page = client.get(response["Location"]).content.decode()
    assert "Added to your bag: 2 × Oxford Shirt, Indigo, size M." in page


def test_adding_with_htmx_answers_with_the_status_and_the_cart_changed_event(catalogue, client):
    response = _add(client, catalogue["indigo_m"], 1, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "cartChanged"
    assert html.lstrip().startswith('<div id="bag-status"') and "<html" not in html
    assert "Added to your bag: 1 × Oxford Shirt, Indigo, size M." in html
    badge = client.get("/cart/badge/", **HTMX).content.decode()
    assert '<span class="cart-count" data-count="1"' in badge


def test_adding_again_sums_and_the_badge_counts_units(catalogue, client):
    _add(client, catalogue["indigo_m"], 1)
    _add(client, catalogue["indigo_m"], 2)
    _add(client, catalogue["white_s"], 1)

    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 3, catalogue["white_s"].sku: 1}
    assert 'data-count="4"' in client.get("/cart/badge/").content.decode()


def test_adding_beyond_stock_shows_the_message_and_changes_nothing(catalogue, client):
    _add(client, catalogue["indigo_m"], 3)  # 4 in stock

    refused = _add(client, catalogue["indigo_m"], 2, **HTMX)
    assert refused.status_code == 200 and "HX-Trigger" not in refused
    assert "Only 4 left in this size." in refused.content.decode()

    plain = _add(client, catalogue["indigo_m"], 5)
    assert plain.status_code == 302
    assert "Only 4 left in this size." in client.get(plain["Location"]).content.decode()
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 3}


@pytest.mark.parametrize("data, message", [
    ({"quantity": "1"}, "Choose a size first."),
    ({"variant": "nonsense", "quantity": "1"}, "That size is not for sale."),
    ({"variant": "SOLD_OUT", "quantity": "1"}, "This size is out of stock."),
    ({"variant": "IN_STOCK", "quantity": "0"}, "Enter a quantity of at least 1."),
    ({"variant": "IN_STOCK", "quantity": "two"}, "Enter a quantity of at least 1."),
])
def test_bad_adds_are_refused_with_a_message(catalogue, client, data, message):
    ids = {"SOLD_OUT": str(catalogue["indigo_l"].pk), "IN_STOCK": str(catalogue["indigo_m"].pk)}
    data = {key: ids.get(value, value) for key, value in data.items()}

    response = client.post("/cart/add/", data, **HTMX)

    assert response.status_code == 200 and message in response.content.decode()
    assert CartLine.objects.count() == 0


def test_the_badge_of_a_browser_without_a_bag_is_empty_and_starts_no_session(db, client):
    response = client.get("/cart/badge/")

    assert response.status_code == 200
    assert response.content.decode().strip() == '<span class="cart-link-label">Bag</span>'
    assert "sessionid" not in response.cookies and Cart.objects.count() == 0


# --- the bag page --------------------------------------------------------------------------------


def test_the_bag_page_shows_lines_totals_and_the_checkout_link(catalogue, client):
    _add(client, catalogue["indigo_m"], 2)
    _add(client, catalogue["white_s"], 1)

    html = client.get("/cart/").content.decode()

    assert html.startswith("<!doctype html>")
    assert re.findall(r'<h2 class="cart-line-name"><a href="/p/oxford-shirt/">([^<]+)</a></h2>', html) == [
        "Oxford Shirt", "Oxford Shirt"]
    assert "Colour: Indigo · Size: M" in html and "Colour: White · Size: S" in html
    assert f'src="/files/{catalogue["images"]["indigo"]}"' in html
    assert '<p class="cart-line-price">₹1,499 each</p>' in html
    assert re.findall(r'<p class="cart-line-total"><span class="visually-hidden">Line total: </span>([^<]+)</p>',
                      html) == ["₹2,998", "₹1,499"]
    assert '<dd class="cart-subtotal">₹4,497</dd>' in html and '<dd class="cart-summary-count">3</dd>' in html
    assert '<a class="button button-block cart-checkout" href="/checkout/">Checkout</a>' in html


def test_an_empty_bag_says_so(db, client):
    html = client.get("/cart/").content.decode()

    assert "Your bag is empty" in html and "/checkout/" not in html


def test_a_price_changed_since_adding_is_shown_on_the_line(catalogue, client):
    _add(client, catalogue["indigo_m"], 1)
    Product.objects.filter(pk=catalogue["oxford"].pk).update(price=Decimal("1299.00"))

    html = client.get("/cart/").content.decode()

    assert "Price changed since you added it: was ₹1,499, now ₹1,299." in html
    assert '<dd class="cart-subtotal">₹1,299</dd>' in html


def test_a_line_short_of_stock_is_flagged(catalogue, client):
    _add(client, catalogue["indigo_m"], 3)
    catalogue["indigo_m"].__class__.objects.filter(pk=catalogue["indigo_m"].pk).update(stock=1)

    html = client.get("/cart/").content.decode()

    assert "Only 1 left in this size: lower the quantity to check out." in html


def test_changing_a_quantity_with_htmx_answers_with_the_bag_fragment(catalogue, client):
    _add(client, catalogue["indigo_m"], 1)

    response = client.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "3"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "cartChanged"
    assert html.lstrip().startswith('<div id="cart-body"') and "<html" not in html
    assert "Oxford Shirt (M): quantity 3." in html and '<dd class="cart-subtotal">₹4,497</dd>' in html
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 3}


def test_changing_a_quantity_without_htmx_redirects_to_the_bag_with_a_message(catalogue, client):
    _add(client, catalogue["indigo_m"], 1)

    response = client.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "2"})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert "Oxford Shirt (M): quantity 2." in client.get("/cart/").content.decode()
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 2}


def test_raising_a_quantity_beyond_stock_is_refused_on_the_line_and_changes_nothing(catalogue, client):
    _add(client, catalogue["indigo_m"], 2)

    response = client.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "9"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert re.search(r'<li class="cart-line" id="line-\w+".*?Only 4 left in this size\.', html, re.S)
    quantity_input = f'id="qty-{catalogue["indigo_m"].pk}" class="quantity-input" type="number" name="quantity"'
    assert f'{quantity_input} min="0" value="2"' in html
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 2}
    plain = client.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "x"})
    assert plain.status_code == 302
    assert "Enter a whole number." in client.get("/cart/").content.decode()
    assert _bag(_guest_cart(client)) == {catalogue["indigo_m"].sku: 2}


def test_quantity_zero_and_remove_take_lines_out(catalogue, client):
    _add(client, catalogue["indigo_m"], 2)
    _add(client, catalogue["white_s"], 1)

    zero = client.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "0"}, **HTMX)
    assert zero["HX-Trigger"] == "cartChanged" and "Removed Oxford Shirt (M) from your bag." in zero.content.decode()
    removed = client.post(f"/cart/lines/{catalogue['white_s'].pk}/remove/", **HTMX)
    assert removed["HX-Trigger"] == "cartChanged" and "Your bag is empty" in removed.content.decode()
    assert _bag(_guest_cart(client)) == {}
    again = client.post(f"/cart/lines/{catalogue['white_s'].pk}/remove/")
    assert again.status_code == 404


def test_another_browsers_bag_is_not_reachable(catalogue, client):
    _add(client, catalogue["indigo_m"], 2)
    owner_cart = _guest_cart(client)
    stranger = Client()
    _add(stranger, catalogue["white_s"], 1)

    assert stranger.post(f"/cart/lines/{catalogue['indigo_m'].pk}/", {"quantity": "1"}).status_code == 404
    assert stranger.post(f"/cart/lines/{catalogue['indigo_m'].pk}/remove/").status_code == 404
    assert "Colour: Indigo" not in stranger.get("/cart/").content.decode()
    assert 'data-count="1"' in stranger.get("/cart/badge/").content.decode()
    assert _bag(owner_cart) == {catalogue["indigo_m"].sku: 2}


def test_cart_changes_accept_only_post(catalogue, client):
    assert client.get("/cart/add/").status_code == 405
    assert client.get(f"/cart/lines/{catalogue['indigo_m'].pk}/").status_code == 405


# --- sign-in ---------------------------------------------------------------------------------------


def test_the_guest_bag_is_merged_into_the_account_at_sign_in(catalogue, client):
    asha = user_create()
    own = cart_get_or_create(user=asha)
    cart_add(cart=own, variant_id=catalogue["indigo_m"].pk, quantity=1)
    cart_add(cart=own, variant_id=catalogue["white_s"].pk, quantity=1)
    _add(client, catalogue["indigo_m"], 2)
    _add(client, catalogue["white_s"], 2)  # 1 + 2 is more than the 2 in stock: capped at 2
    _add(client, catalogue["linen"].variants.get(), 1)
    guest_key = client.session.session_key

    response = client.post("/account/sign-in/", {"email": asha.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.session_key != guest_key
    assert _bag(cart_for_user(user=asha)) == {catalogue["indigo_m"].sku: 3, catalogue["white_s"].sku: 2,
                                             catalogue["linen"].variants.get().sku: 1}
    assert cart_for_session(session_key=guest_key) is None
    assert 'data-count="6"' in client.get("/cart/badge/").content.decode()


def test_a_signed_in_shopper_uses_their_account_bag(catalogue, shopper, shopper_client):
    _add(shopper_client, catalogue["white_s"], 1)

    assert _bag(cart_for_user(user=shopper)) == {catalogue["white_s"].sku: 1}
    assert 'data-count="1"' in signed_in_client(shopper).get("/cart/badge/").content.decode()


# --- the product page -------------------------------------------------------------------------------


def test_the_product_page_posts_the_chosen_size_to_the_bag(catalogue, client):
    html = client.get("/p/oxford-shirt/?colour=indigo").content.decode()

    assert '<form id="add-to-bag" class="bag-row" method="post" action="/cart/add/"' in html
    assert f'name="variant" form="add-to-bag" value="{catalogue["indigo_m"].pk}"' in html
    assert '<input type="hidden" name="next" value="/p/oxford-shirt/?colour=indigo">' in html
    assert 'href="/account/sign-in/?next=/p/oxford-shirt/%3Fcolour%3Dindigo">Sign in to add to wishlist</a>' in html


def test_a_colour_sold_out_in_every_size_cannot_be_added(catalogue, client):
    html = client.get("/p/graphic-tee/").content.decode()

    assert re.search(r'<button class="button button-block" type="submit" disabled>Add to bag</button>', html)


# --- wishlist --------------------------------------------------------------------------------------


def _wish(client, catalogue, **extra):
    return client.post("/wishlist/add/", {"product": str(catalogue["oxford"].pk),
                                          "colourway": str(catalogue["white_s"].colourway_id),
                                          "next": "/p/oxford-shirt/?colour=white"}, **extra)


def test_guests_are_sent_to_sign_in_and_nothing_is_saved(catalogue, client):
    page = client.get("/wishlist/")
    assert page.status_code == 302 and page["Location"] == "/account/sign-in/?next=%2Fwishlist%2F"

    plain = _wish(client, catalogue)
    assert plain.status_code == 302
    assert plain["Location"] == "/account/sign-in/?next=%2Fp%2Foxford-shirt%2F%3Fcolour%3Dwhite"
    htmx = _wish(client, catalogue, **HTMX)
    assert htmx["HX-Redirect"] == "/account/sign-in/?next=%2Fp%2Foxford-shirt%2F%3Fcolour%3Dwhite"
    assert WishlistItem.objects.count() == 0


def test_a_shopper_saves_a_product_and_sees_it_on_the_wishlist(catalogue, shopper, shopper_client):
    response = _wish(shopper_client, catalogue, **HTMX)

    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "Saved Oxford Shirt to your wishlist." in response.content.decode()
    item = WishlistItem.objects.get(user=shopper)
    assert item.colourway_id == catalogue["white_s"].colourway_id and item.price_when_added == Decimal("1499.00")

    html = shopper_client.get("/wishlist/").content.decode()
    assert '<h2 class="wishlist-name"><a href="/p/oxford-shirt/">Oxford Shirt</a></h2>' in html
    assert "Colour: White" in html and f'src="/files/{catalogue["images"]["white"]}"' in html
    assert re.findall(r'<option value="(\w+)">(\w+)</option>', html) == [(str(catalogue["white_s"].pk), "S")]
    assert "less than when you saved it" not in html


def test_a_cheaper_product_shows_the_drop_since_it_was_saved(catalogue, shopper, shopper_client):
    wishlist_add(user=shopper, product_id=catalogue["oxford"].pk)
    Product.objects.filter(pk=catalogue["oxford"].pk).update(price=Decimal("1199.00"))

    html = shopper_client.get("/wishlist/").content.decode()

    assert '<span class="price-now">₹1,199</span>' in html
    assert "₹300 less than when you saved it" in html


def test_saving_again_keeps_the_price_drop_opt_in(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk, notify_price_drop=True)

    _wish(shopper_client, catalogue)

    item.refresh_from_db()
    assert item.notify_price_drop is True and WishlistItem.objects.count() == 1


def test_the_price_drop_email_toggle(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk)

    on = shopper_client.post(f"/wishlist/{item.pk}/notify/", {"enabled": "1"}, **HTMX)
    assert "We will email you when Oxford Shirt gets cheaper." in on.content.decode()
    assert 'name="enabled" value="0"' in on.content.decode()  # the button now offers to turn it off
    item.refresh_from_db()
    assert item.notify_price_drop is True

    off = shopper_client.post(f"/wishlist/{item.pk}/notify/", {"enabled": "0"})
    assert off.status_code == 302 and off["Location"] == "/wishlist/"
    item.refresh_from_db()
    assert item.notify_price_drop is False


def test_move_to_bag_takes_the_chosen_size_and_empties_the_wishlist(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk, colourway_id=catalogue["white_s"].colourway_id)

    response = shopper_client.post(f"/wishlist/{item.pk}/move/", {"variant": str(catalogue["white_s"].pk)}, **HTMX)

    html = response.content.decode()
    assert response["HX-Trigger"] == "cartChanged"
    assert "Moved Oxford Shirt (S) to your bag." in html and "Your wishlist is empty" in html
    assert _bag(cart_for_user(user=shopper)) == {catalogue["white_s"].sku: 1}
    assert WishlistItem.objects.count() == 0


def test_move_refused_by_stock_keeps_both_bag_and_wishlist(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk)
    cart_add(cart=cart_get_or_create(user=shopper), variant_id=catalogue["white_s"].pk, quantity=2)  # all of it

    response = shopper_client.post(f"/wishlist/{item.pk}/move/", {"variant": str(catalogue["white_s"].pk)}, **HTMX)
    no_size = shopper_client.post(f"/wishlist/{item.pk}/move/", {"variant": ""}, **HTMX)

    assert "HX-Trigger" not in response and "Only 2 left in this size." in response.content.decode()
    assert "Choose a size first." in no_size.content.decode()
    assert _bag(cart_for_user(user=shopper)) == {catalogue["white_s"].sku: 2}
    assert WishlistItem.objects.filter(pk=item.pk).exists()


def test_remove_from_the_wishlist(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk)

    response = shopper_client.post(f"/wishlist/{item.pk}/remove/")

    assert response.status_code == 302 and response["Location"] == "/wishlist/"
    assert "Removed Oxford Shirt from your wishlist." in shopper_client.get("/wishlist/").content.decode()
    assert WishlistItem.objects.count() == 0


def test_another_shoppers_wishlist_items_are_not_reachable(catalogue, shopper, shopper_client):
    other = user_create(email="ravi@example.com")
    item = wishlist_add(user=other, product_id=catalogue["oxford"].pk)

    for action, data in (("remove", {}), ("notify", {"enabled": "1"}),
                         ("move", {"variant": str(catalogue["indigo_m"].pk)})):
        assert shopper_client.post(f"/wishlist/{item.pk}/{action}/", data).status_code == 404
    item.refresh_from_db()
    assert item.notify_price_drop is False and cart_for_user(user=shopper) is None


def test_malformed_ids_are_refused_with_a_message_not_an_error_page(catalogue, shopper, shopper_client):
    item = wishlist_add(user=shopper, product_id=catalogue["oxford"].pk)

    bad_product = shopper_client.post("/wishlist/add/", {"product": "nonsense"}, **HTMX)
    bad_colour = shopper_client.post("/wishlist/add/", {"product": str(catalogue["oxford"].pk),
                                                        "colourway": "nonsense"}, **HTMX)
    bad_size = shopper_client.post(f"/wishlist/{item.pk}/move/", {"variant": "nonsense"}, **HTMX)

    assert "That product is not for sale." in bad_product.content.decode()
    assert "Choose one of this product&#x27;s colours." in bad_colour.content.decode()
    assert "That size is not for sale." in bad_size.content.decode()
    assert shopper_client.post("/wishlist/nonsense/remove/").status_code == 404
    assert shopper_client.post("/cart/lines/nonsense/", {"quantity": "1"}).status_code == 404
    assert WishlistItem.objects.filter(pk=item.pk).exists() and cart_for_user(user=shopper) is None
