"""Signing in and out, registering, and resetting a forgotten password.

Rules (limits, lockouts, codes, session ends) live in truestyle.accounts.services;
these views only read forms, call a service and pick the page to show.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from storefront.account_forms import (
    PasswordForgotForm,
    PasswordResetForm,
    RegisterForm,
    SignInForm,
    add_service_errors,
)
from truestyle.accounts import services
from truestyle.accounts.services.sign_in import InvalidCredentials
from truestyle.core.errors import StoreError, Throttled
from truestyle.shopping import services as shopping_services

# Said for a wrong password, an unknown email, and a blocked or closed account alike:
# the page must not tell which accounts exist.
SIGN_IN_REFUSED = ("The email or password is not correct. If your account has been blocked or closed, "
                   "please contact customer support.")
RESET_EMAIL_SESSION_KEY = "password_reset_email"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def throttled_message(subject: str, error: Throttled) -> str:
    minutes = max(1, math.ceil(error.retry_after / 60))
    return f"Too many {subject}. Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again."


def safe_next(request, default: str) -> str:
    """The `next` the visitor came with, when it points at this site; `default` otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


def sign_in_session(request, user) -> None:
    """Start the browser session: Django's login, then the device record, the audit entry and the guest bag."""
    guest_session_key = request.session.session_key  # login() gives the session a new key
    login(request, user)
    if guest_session_key:
        shopping_services.cart_merge_at_sign_in(session_key=guest_session_key, user=user)
    services.browser_session_record_device(session=request.session, device=request.headers.get("User-Agent", ""),
                                           ip=client_ip(request))
    services.audit_sign_in(user=user, channel="web", ip=client_ip(request))


def sign_in(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request, reverse("storefront:account")))
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = services.sign_in_authenticate(request=request, email=form.cleaned_data["email"],
                                                     password=form.cleaned_data["password"], ip=client_ip(request))
            except Throttled as error:
                form.add_error(None, throttled_message("sign-in attempts", error))
                status = 429
            except InvalidCredentials:
                form.add_error(None, SIGN_IN_REFUSED)
            else:
                sign_in_session(request, user)
                return redirect(safe_next(request, reverse("storefront:account")))
    next_url = safe_next(request, "")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.audit_sign_out(user=request.user, channel="web", ip=client_ip(request))
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("storefront:home")


def register(request):
    if request.user.is_authenticated:
        return redirect("storefront:account")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data, ip=client_ip(request))
        except StoreError as error:
            add_service_errors(form, error)
        else:
            sign_in_session(request, user)
            messages.success(request, f"Welcome to TrueStyle, {user.get_short_name()}!")
            return redirect("storefront:account")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def password_forgot(request):
    form = PasswordForgotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.password_reset_request(email=email, ip=client_ip(request))
            except Throttled as error:
                form.add_error(None, throttled_message("code requests", error))
                status = 429
            else:
                # The reset page fills the email in; the page shown next is the same for every email.
                request.session[RESET_EMAIL_SESSION_KEY] = email
                return redirect("storefront:password-forgot-sent")
    return render(request, "accounts/password_forgot.html", {"form": form}, status=status)


def password_forgot_sent(request):
    return render(request, "accounts/password_forgot_sent.html",
                  {"email": request.session.get(RESET_EMAIL_SESSION_KEY, "")})


def password_reset(request):
    initial = {"email": request.session.get(RESET_EMAIL_SESSION_KEY, "")}
    form = PasswordResetForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.password_reset_confirm(**form.cleaned_data, ip=client_ip(request))
            except Throttled as error:
                form.add_error(None, throttled_message("attempts", error))
                status = 429
            except StoreError as error:
                add_service_errors(form, error)
            else:
                request.session.pop(RESET_EMAIL_SESSION_KEY, None)
                return redirect("storefront:password-reset-done")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")
