"""Forms of the account pages: they check the shape of the input; the rules live in the services.

A service refusal (`StoreError`) carries `fields`; `add_service_errors` puts them on the form,
under the form's own field names, so the page shows them beside the right inputs.
"""

from __future__ import annotations

from django import forms

from truestyle.core.errors import StoreError


def add_service_errors(form: forms.Form, error: StoreError, field_map: dict[str, str] | None = None) -> None:
    """Show a service refusal on `form`: each of `error.fields` on its field, else the message on the form."""
    field_map = field_map or {}
    placed = False
    for service_field, messages in error.fields.items():
        field = field_map.get(service_field, service_field)
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class _PasswordInput(forms.PasswordInput):
    def __init__(self, autocomplete: str):
        super().__init__(attrs={"autocomplete": autocomplete})


class RegisterForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    password = forms.CharField(strip=False, widget=_PasswordInput("new-password"),
                               help_text="At least 12 characters. A phrase of a few words works well.")


class SignInForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(strip=False, widget=_PasswordInput("current-password"))


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label="New email", max_length=254,
                                 widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label="Your password", strip=False, widget=_PasswordInput("current-password"),
                               help_text="We ask for it again to make sure it's you.")


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(strip=False, widget=_PasswordInput("current-password"))
    new_password = forms.CharField(strip=False, widget=_PasswordInput("new-password"),
                                   help_text="At least 12 characters. Other browsers and devices will be signed out.")


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label="Your password", strip=False, widget=_PasswordInput("current-password"))


class AddressForm(forms.Form):
    label = forms.CharField(max_length=40, required=False, help_text="Home, Work…")
    name = forms.CharField(label="Full name", max_length=150)
    phone = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    line1 = forms.CharField(label="Address line 1", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100)
    state = forms.CharField(max_length=100)
    pincode = forms.CharField(label="PIN code", max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    is_default = forms.BooleanField(label="Use as my default shipping address", required=False)

    def values(self) -> dict:
        """The address values for the services (without `is_default`)."""
        return {key: value for key, value in self.cleaned_data.items() if key != "is_default"}


class PasswordForgotForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PasswordResetForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    code = forms.CharField(label="6-digit code", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new_password = forms.CharField(strip=False, widget=_PasswordInput("new-password"),
                                   help_text="At least 12 characters.")
