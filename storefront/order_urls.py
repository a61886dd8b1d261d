"""The shopper's orders under /account/orders/, included by storefront/urls.py (storefront namespace)."""

from django.urls import path

from storefront import order_views as orders

urlpatterns = [
    path("", orders.order_list, name="orders"),
    path("<str:number>/", orders.order_detail, name="order"),
    path("<str:number>/cancel/", orders.order_cancel, name="order-cancel"),
    path("<str:number>/reorder/", orders.order_reorder, name="order-reorder"),
    path("<str:number>/invoice/", orders.order_invoice, name="order-invoice"),
    path("<str:number>/pay/", orders.order_pay, name="order-pay"),
]
