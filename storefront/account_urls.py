"""Account pages under /account/, included by storefront/urls.py (names in the storefront namespace)."""

from django.urls import path

from storefront import account_auth_views as auth, account_views as account

urlpatterns = [
    path("", account.overview, name="account"),
    path("register/", auth.register, name="register"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("password/forgot/", auth.password_forgot, name="password-forgot"),
    path("password/forgot/sent/", auth.password_forgot_sent, name="password-forgot-sent"),
    path("password/reset/", auth.password_reset, name="password-reset"),
    path("password/reset/done/", auth.password_reset_done, name="password-reset-done"),
    path("profile/", account.profile, name="profile"),
    path("email/", account.email_change, name="email-change"),
    path("password/", account.password_change, name="password-change"),
    path("close/", account.deactivate, name="deactivate"),
    path("sessions/", account.sessions, name="sessions"),
    path("sessions/end-all/", account.sessions_end_all, name="sessions-end-all"),
    path("sessions/<str:session_id>/end/", account.session_end, name="session-end"),
    path("addresses/", account.addresses, name="addresses"),
    path("addresses/new/", account.address_add, name="address-add"),
    path("addresses/<str:address_id>/edit/", account.address_edit, name="address-edit"),
    path("addresses/<str:address_id>/delete/", account.address_delete, name="address-delete"),
    path("addresses/<str:address_id>/default/", account.address_make_default, name="address-default"),
]
