from django.urls import path

from api.shopping import views

urlpatterns = [
    path("cart", views.CartView.as_view(), name="cart"),
    path("cart/lines", views.CartLineListView.as_view(), name="cart-lines"),
    path("cart/lines/<str:variant_id>", views.CartLineDetailView.as_view(), name="cart-line"),
    path("wishlist", views.WishlistView.as_view(), name="wishlist"),
    path("wishlist/<str:item_id>", views.WishlistItemView.as_view(), name="wishlist-item"),
    path("wishlist/<str:item_id>/move-to-cart", views.WishlistMoveView.as_view(), name="wishlist-item-move"),
]
