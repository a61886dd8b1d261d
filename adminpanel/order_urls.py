from django.urls import path

from adminpanel import orders

urlpatterns = [
    path("", orders.order_list, name="orders"),
    path("<str:order_number>/", orders.order_detail, name="order"),
    path("<str:order_number>/status/", orders.order_transition_view, name="order-transition"),
    path("<str:order_number>/invoice/", orders.order_invoice, name="order-invoice"),
]
