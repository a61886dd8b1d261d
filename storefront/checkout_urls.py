"""Checkout under /checkout/, included by storefront/urls.py (names in the storefront namespace)."""

from django.urls import path

from storefront import checkout_views as checkout

urlpatterns = [
    path("", checkout.checkout, name="checkout"),
    path("summary/", checkout.checkout_summary, name="checkout-summary"),
    path("place/", checkout.checkout_place, name="checkout-place"),
]
