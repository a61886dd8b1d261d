"""Forms of the staff pages: input shape only; the rules live in truestyle.accounts.services."""

from django import forms

from truestyle.accounts.roles import ROLE_LABELS

STATUS_CHOICES = [("", "Any status"), ("active", "Active"), ("blocked", "Blocked"), ("deactivated", "Closed")]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Email or name"}))
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)


class BlockForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"placeholder": "Why is this account blocked?"}),
                             help_text="Kept in the audit log and shown to staff.")


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(choices=list(ROLE_LABELS.items()), required=False,
                                      widget=forms.CheckboxSelectMultiple)
