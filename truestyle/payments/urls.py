"""Payment endpoints the store owns: gateway callbacks, and the sandbox provider's hosted page."""

from django.urls import path

from truestyle.payments import views

app_name = "payments"

urlpatterns = [
    path("callback/<str:gateway>/", views.payment_callback, name="callback"),
    # The built-in sandbox provider's hosted payment page (stands in for a real provider's site).
    path("sandbox/<str:reference>/", views.sandbox_page, name="sandbox_page"),
]
