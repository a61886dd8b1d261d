from django.urls import path

from api.orders import views

urlpatterns = [
    path("checkout/quote", views.CheckoutQuoteView.as_view(), name="checkout-quote"),
    path("orders", views.OrderListView.as_view(), name="orders"),
    path("orders/<str:number>", views.OrderDetailView.as_view(), name="order"),
    path("orders/<str:number>/cancel", views.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/pay", views.OrderPayView.as_view(), name="order-pay"),
    path("orders/<str:number>/invoice", views.OrderInvoiceView.as_view(), name="order-invoice"),
]
