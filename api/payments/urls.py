from django.urls import path

from api.payments import views

urlpatterns = [
    path("payments/callback/<str:gateway>", views.PaymentCallbackView.as_view(), name="payments-callback"),
]
