"""Forms of the staff contact inbox: input shape only."""

from django import forms

from truestyle.contact.models import ContactMessage


class ContactSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, email or words"}))
    status = forms.ChoiceField(choices=[("", "Any status"), *ContactMessage.Status.choices], required=False)


class ContactStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ContactMessage.Status.choices)


class ContactReplyForm(forms.Form):
    body = forms.CharField(label="Reply", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="Sent by email to the visitor, signed by customer care.")
