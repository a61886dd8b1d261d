"""The signed-in shopper's pages: overview, profile, email, password, addresses, sessions, closing the account.

The address book is one htmx view per action (ARCHITECTURE.md, example 5): with htmx, an action
answers with only the address list fragment (`accounts/addresses.html#address-book`); without
it, the same URL renders the whole page or redirects back to it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from storefront.account_auth_views import client_ip
from storefront.account_forms import (
    AddressForm,
    EmailChangeForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    ProfileForm,
    add_service_errors,
)
from truestyle.accounts import selectors, services
from truestyle.core.errors import NotFound, StoreError

ADDRESSES_TEMPLATE = "accounts/addresses.html"


def _form_status(request) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def overview(request):
    addresses = selectors.user_addresses(user=request.user)
    default_address = next((address for address in addresses if address.is_default), None)
    return render(request, "accounts/overview.html", {
        "default_address": default_address, "address_count": len(addresses), "section": "overview",
    })


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"name": request.user.name, "phone": request.user.phone})
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile has been saved.")
        return redirect("storefront:account")
    return render(request, "accounts/profile.html", {"form": form, "section": "profile"}, status=_form_status(request))


@login_required
def email_change(request):
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_email_change(user=request.user, new_email=form.cleaned_data["new_email"],
                                       password=form.cleaned_data["password"], ip=client_ip(request))
        except StoreError as error:
            add_service_errors(form, error, field_map={"email": "new_email"})
        else:
            messages.success(request, f"Your email is now {request.user.email}.")
            return redirect("storefront:account")
    return render(request, "accounts/email_change.html", {"form": form, "section": "email"},
                  status=_form_status(request))


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(user=request.user, current_password=form.cleaned_data["current_password"],
                                          new_password=form.cleaned_data["new_password"],
                                          keep_session_key=request.session.session_key, ip=client_ip(request))
        except StoreError as error:
            add_service_errors(form, error, field_map={"password": "current_password"})
        else:
            # This browser stays signed in (under a fresh session key); every other one was signed out.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password has been changed. Other browsers and devices were signed out.")
            return redirect("storefront:account")
    return render(request, "accounts/password_change.html", {"form": form, "section": "password"},
                  status=_form_status(request))


@login_required
def deactivate(request):
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_deactivate(user=request.user, password=form.cleaned_data["password"], ip=client_ip(request))
        except StoreError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(request, "Your account has been closed. We're sorry to see you go.")
            return redirect("storefront:home")
    return render(request, "accounts/deactivate.html", {"form": form, "section": "deactivate"},
                  status=_form_status(request))


# --- Sessions ------------------------------------------------------------------------------------


@login_required
def sessions(request):
    return render(request, "accounts/sessions.html", {
        "sessions": selectors.user_sessions(user=request.user, current_session_key=request.session.session_key),
        "section": "sessions",
    })


@login_required
@require_POST
def session_end(request, session_id: str):
    current_key = request.session.session_key
    is_current = bool(current_key) and selectors.browser_session_public_id(current_key) == session_id
    try:
        kind = services.session_end(user=request.user, session_id=session_id)
    except NotFound:
        raise Http404("No such session")
    if is_current:
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("storefront:home")
    messages.success(request, "That app has been signed out." if kind == "app" else "That browser has been signed out.")
    return redirect("storefront:sessions")


@login_required
@require_POST
def sessions_end_all(request):
    user = request.user
    services.sessions_end_all(user=user, reason="signed_out_everywhere")
    services.audit_sign_out(user=user, channel="web", ip=client_ip(request))
    logout(request)
    messages.success(request, "You have been signed out everywhere, this browser included.")
    return redirect("storefront:sign-in")


# --- Address book ----------------------------------------------------------------------------------


def _address_book(request, *, form=None, editing=None, adding=False, status=200, notice=""):
    """The address book: the list fragment for htmx, the whole page otherwise."""
    context = {"addresses": selectors.user_addresses(user=request.user), "form": form, "editing": editing,
               "adding": adding, "notice": notice, "section": "addresses"}
    if request.htmx and not request.htmx.history_restore_request:
        # htmx swaps only 2xx answers: a refused form comes back as 200 with its errors.
        return render(request, f"{ADDRESSES_TEMPLATE}#address-book", context)
    return render(request, ADDRESSES_TEMPLATE, context, status=status)


def _after_change(request, message: str):
    if request.htmx:
        # The fragment carries its own notice: the page's messages area is not swapped.
        return _address_book(request, notice=message)
    messages.success(request, message)
    return redirect("storefront:addresses")


@login_required
def addresses(request):
    return _address_book(request)


@login_required
def address_add(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(user=request.user, values=form.values(),
                                    make_default=form.cleaned_data["is_default"])
        except StoreError as error:
            add_service_errors(form, error)
        else:
            return _after_change(request, "Address added.")
    return _address_book(request, form=form, adding=True, status=_form_status(request))


@login_required
def address_edit(request, address_id: str):
    address = next((a for a in selectors.user_addresses(user=request.user) if str(a.pk) == address_id), None)
    if address is None:
        raise Http404("No such address")
    initial = {field: getattr(address, field) for field in AddressForm.base_fields}
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(user=request.user, address_id=address_id, values=form.values())
            if form.cleaned_data["is_default"] and not address.is_default:
                services.address_set_default(user=request.user, address_id=address_id)
        except NotFound:
            raise Http404("No such address")
        except StoreError as error:
            add_service_errors(form, error)
        else:
            return _after_change(request, "Address saved.")
    return _address_book(request, form=form, editing=address_id, status=_form_status(request))


@login_required
@require_POST
def address_delete(request, address_id: str):
    try:
        services.address_delete(user=request.user, address_id=address_id)
    except NotFound:
        raise Http404("No such address")
    return _after_change(request, "Address removed.")


@login_required
@require_POST
def address_make_default(request, address_id: str):
    try:
        services.address_set_default(user=request.user, address_id=address_id)
    except NotFound:
        raise Http404("No such address")
    return _after_change(request, "Default address changed.")
