"""Cart and wishlist over the API: exact bodies, stock caps, and refusals that write nothing."""

import pytest

from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.shopping.models import Cart, CartLine, WishlistItem


@pytest.fixture
def shirt(db):
    product = product_create(name="Oxford Shirt", brand="Loom", price="1499.00", mrp="1999.00")
    return variant_create(product=product, colour="Indigo", size="M", stock=3)


@pytest.fixture
def tee(db):
    product = product_create(name="Linen Tee", brand="Weft", category="Tees", price="799.00", mrp="799.00")
    return variant_create(product=product, colour="Sand", size="S", stock=5)


def _line(variant, quantity, in_stock):
    product = variant.product
    return {"variant_id": str(variant.pk), "product_id": str(product.pk), "product_name": product.name,
            "product_slug": product.slug, "size": variant.size, "colour": variant.colourway.name, "sku": variant.sku,
            "quantity": quantity, "unit_price": str(product.price), "line_total": f"{product.price * quantity:.2f}",
            "in_stock": in_stock, "image_url": None}


def _lines(shopper):
    return sorted((str(line.variant_id), line.quantity) for line in CartLine.objects.filter(cart__user=shopper))


def test_an_empty_bag_is_shown_without_creating_one(signed_in):
    response = signed_in.get("/api/v1/cart")

    assert response.status_code == 200
    assert response.json() == {"lines": [], "item_count": 0, "subtotal": "0.00", "currency": "INR"}
    assert Cart.objects.count() == 0


def test_adding_sums_quantities_and_answers_the_whole_bag(signed_in, shirt, tee):
    signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk), "quantity": 1}, format="json")
    signed_in.post("/api/v1/cart/lines", {"variant_id": str(tee.pk), "quantity": 2}, format="json")
    response = signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk), "quantity": 1}, format="json")

    assert response.status_code == 200
    assert response.json() == {"lines": [_line(shirt, 2, 3), _line(tee, 2, 5)], "item_count": 4,
                               "subtotal": "4596.00", "currency": "INR"}
    assert signed_in.get("/api/v1/cart").json() == response.json()


def test_adding_beyond_stock_is_refused_with_what_is_left_and_writes_nothing(signed_in, shopper, shirt):
    signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk), "quantity": 2}, format="json")

    response = signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk), "quantity": 2}, format="json")

    assert response.status_code == 409
    assert response.json() == {"error": {"code": "not_enough_stock", "message": "Only 3 left in this size.",
                                         "fields": {"quantity": ["Only 3 left in this size."]}}}
    assert _lines(shopper) == [(str(shirt.pk), 2)]


def test_price_owner_or_unknown_fields_are_refused_and_nothing_is_added(signed_in, shopper, shirt):
    response = signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk), "quantity": 1,
                                                     "unit_price": "1.00", "user": "someone"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "unknown_field", "message": "Some fields are not valid.",
                                        "fields": {"unit_price": ["This field is not allowed."],
                                                   "user": ["This field is not allowed."]}}
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize("body", [{"variant_id": "not-an-id", "quantity": 1}, {"quantity": 1},
                                  {"variant_id": {"id": "x"}, "quantity": 1}])
def test_a_bad_variant_id_is_refused(signed_in, shirt, body):
    response = signed_in.post("/api/v1/cart/lines", body, format="json")

    assert response.status_code == 400
    assert "variant_id" in response.json()["error"]["fields"]
    assert CartLine.objects.count() == 0


def test_an_unknown_size_is_not_found(signed_in):
    response = signed_in.post("/api/v1/cart/lines", {"variant_id": "65f000000000000000000000"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "variant_not_found"
    assert CartLine.objects.count() == 0


def test_changing_a_quantity_and_zero_removes_the_line(signed_in, shopper, shirt, tee):
    for variant in (shirt, tee):
        signed_in.post("/api/v1/cart/lines", {"variant_id": str(variant.pk)}, format="json")

    changed = signed_in.patch(f"/api/v1/cart/lines/{shirt.pk}", {"quantity": 3}, format="json")
    removed = signed_in.patch(f"/api/v1/cart/lines/{tee.pk}", {"quantity": 0}, format="json")

    assert changed.status_code == 200
    assert changed.json()["lines"] == [_line(shirt, 3, 3), _line(tee, 1, 5)]
    assert removed.json() == {"lines": [_line(shirt, 3, 3)], "item_count": 3, "subtotal": "4497.00",
                              "currency": "INR"}


def test_raising_a_quantity_beyond_stock_is_refused_and_the_line_stays(signed_in, shopper, shirt):
    signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk)}, format="json")

    response = signed_in.patch(f"/api/v1/cart/lines/{shirt.pk}", {"quantity": 4}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_enough_stock"
    assert _lines(shopper) == [(str(shirt.pk), 1)]


def test_a_size_not_in_the_bag_cannot_be_changed_or_removed_and_no_line_appears(signed_in, shopper, shirt):
    patched = signed_in.patch(f"/api/v1/cart/lines/{shirt.pk}", {"quantity": 2}, format="json")
    deleted = signed_in.delete(f"/api/v1/cart/lines/{shirt.pk}")
    garbage = signed_in.delete("/api/v1/cart/lines/zzz")

    assert [patched.status_code, deleted.status_code, garbage.status_code] == [404, 404, 404]
    assert patched.json()["error"] == {"code": "cart_line_not_found", "message": "That size is not in your bag.",
                                       "fields": {}}
    assert CartLine.objects.count() == 0


def test_removing_a_line(signed_in, shopper, shirt):
    signed_in.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk)}, format="json")

    response = signed_in.delete(f"/api/v1/cart/lines/{shirt.pk}")

    assert response.status_code == 200
    assert response.json()["item_count"] == 0
    assert _lines(shopper) == []


def test_the_bag_needs_a_token(api, shirt):
    assert api.get("/api/v1/cart").status_code == 401
    assert api.post("/api/v1/cart/lines", {"variant_id": str(shirt.pk)}, format="json").status_code == 401
    assert CartLine.objects.count() == 0


# --- Wishlist -----------------------------------------------------------------------------------

def _item(signed_in, shirt, notify=False):
    return signed_in.post("/api/v1/wishlist", {"product_id": str(shirt.product_id),
                                               "colourway_id": str(shirt.colourway_id),
                                               "notify_price_drop": notify}, format="json")


def test_saving_a_product_answers_the_item_with_its_sizes_in_stock(signed_in, shopper, shirt):
    response = _item(signed_in, shirt)

    item = WishlistItem.objects.get(user=shopper)
    assert response.status_code == 201
    assert response.json() == {
        "id": str(item.pk), "product_id": str(shirt.product_id), "product_name": "Oxford Shirt",
        "product_slug": shirt.product.slug, "colourway_id": str(shirt.colourway_id), "colour": "Indigo",
        "price": "1499.00", "price_when_added": "1499.00", "price_dropped": False, "notify_price_drop": False,
        "image_url": None, "sizes_in_stock": [{"variant_id": str(shirt.pk), "size": "M", "stock": 3}]}
    assert signed_in.get("/api/v1/wishlist").json() == [response.json()]


def test_saving_an_unknown_product_is_not_found_and_writes_nothing(signed_in):
    response = signed_in.post("/api/v1/wishlist", {"product_id": "65f000000000000000000000"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "product_not_found"
    assert WishlistItem.objects.count() == 0


def test_the_price_drop_opt_in_is_set_and_only_that(signed_in, shopper, shirt):
    item_id = _item(signed_in, shirt).json()["id"]

    response = signed_in.patch(f"/api/v1/wishlist/{item_id}", {"notify_price_drop": True}, format="json")
    refused = signed_in.patch(f"/api/v1/wishlist/{item_id}", {"notify_price_drop": False,
                                                              "price_when_added": "1.00"}, format="json")

    assert response.status_code == 200 and response.json()["notify_price_drop"] is True
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "unknown_field"
    item = WishlistItem.objects.get(pk=item_id)
    assert (item.notify_price_drop, str(item.price_when_added)) == (True, "1499.00")


def test_moving_to_the_bag_takes_it_off_the_wishlist(signed_in, shopper, shirt):
    item_id = _item(signed_in, shirt).json()["id"]

    response = signed_in.post(f"/api/v1/wishlist/{item_id}/move-to-cart", {"variant_id": str(shirt.pk),
                                                                             "quantity": 2}, format="json")

    assert response.status_code == 200
    assert response.json()["lines"] == [_line(shirt, 2, 3)]
    assert WishlistItem.objects.count() == 0


def test_moving_more_than_in_stock_is_refused_and_both_stay_as_they_were(signed_in, shopper, shirt):
    item_id = _item(signed_in, shirt).json()["id"]

    response = signed_in.post(f"/api/v1/wishlist/{item_id}/move-to-cart", {"variant_id": str(shirt.pk),
                                                                             "quantity": 4}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_enough_stock"
    assert WishlistItem.objects.filter(pk=item_id).exists()
    assert CartLine.objects.count() == 0


def test_removing_a_wishlist_item_then_again_is_not_found(signed_in, shirt):
    item_id = _item(signed_in, shirt).json()["id"]

    first = signed_in.delete(f"/api/v1/wishlist/{item_id}")
    second = signed_in.delete(f"/api/v1/wishlist/{item_id}")

    assert (first.status_code, second.status_code) == (204, 404)
    assert second.json()["error"]["code"] == "wishlist_item_not_found"
    assert WishlistItem.objects.count() == 0
