"""The bag and the wishlist: names stay in the storefront namespace (storefront:cart, storefront:wishlist, …)."""

from django.urls import path

from storefront import shopping_views

urlpatterns = [
    path("cart/", shopping_views.cart, name="cart"),
    path("cart/badge/", shopping_views.cart_badge, name="cart-badge"),
    path("cart/add/", shopping_views.cart_add, name="cart-add"),
    path("cart/lines/<str:variant_id>/", shopping_views.cart_line, name="cart-line"),
    path("cart/lines/<str:variant_id>/remove/", shopping_views.cart_line_remove, name="cart-line-remove"),
    path("wishlist/", shopping_views.wishlist, name="wishlist"),
    path("wishlist/add/", shopping_views.wishlist_add, name="wishlist-add"),
    path("wishlist/<str:item_id>/remove/", shopping_views.wishlist_remove, name="wishlist-remove"),
    path("wishlist/<str:item_id>/move/", shopping_views.wishlist_move, name="wishlist-move"),
    path("wishlist/<str:item_id>/notify/", shopping_views.wishlist_notify, name="wishlist-notify"),
]
