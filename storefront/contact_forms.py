"""The contact form: shape checks only; the rate limit and storage live in truestyle.contact.services."""

from __future__ import annotations

from django import forms

# The hidden field bots fill in and people never see (it is off-screen and skipped by keyboard and
# screen readers). A filled one is answered like a success and stores nothing.
HONEYPOT_FIELD = "website"


class ContactForm(forms.Form):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
                            help_text="Optional: if a call suits you better.")
    subject = forms.CharField(max_length=200)
    message = forms.CharField(min_length=10, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"min_length": "Tell us a little more (at least 10 characters)."})
    website = forms.CharField(required=False, label="Leave this empty",
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))
