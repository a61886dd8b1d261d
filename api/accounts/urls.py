from django.urls import path

from api.accounts import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token", views.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/password/otp", views.PasswordOtpView.as_view(), name="auth-password-otp"),
    path("auth/password/reset", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path("me", views.MeView.as_view(), name="me"),
    path("me/email", views.EmailChangeView.as_view(), name="me-email"),
    path("me/password", views.PasswordChangeView.as_view(), name="me-password"),
    path("me/deactivate", views.DeactivateView.as_view(), name="me-deactivate"),
    path("me/addresses", views.AddressListView.as_view(), name="me-addresses"),
    path("me/addresses/<str:address_id>", views.AddressDetailView.as_view(), name="me-address"),
    path("me/addresses/<str:address_id>/default", views.AddressDefaultView.as_view(), name="me-address-default"),
    path("me/sessions", views.SessionListView.as_view(), name="me-sessions"),
    path("me/sessions/sign-out-everywhere", views.SignOutEverywhereView.as_view(), name="me-sessions-everywhere"),
    path("me/sessions/<str:session_id>", views.SessionDetailView.as_view(), name="me-session"),
]
