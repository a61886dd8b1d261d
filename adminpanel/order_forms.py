"""Forms of the staff order pages: input shape only. Which moves exist, who may make them and that shipping
needs a tracking number are the order service's rules (truestyle/orders/services/transitions.py)."""

from django import forms

from truestyle.orders.models import PaymentMethod
from truestyle.orders.statuses import OrderStatus
from truestyle.payments.models import PaymentStatus


class _Date(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class OrderSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Order number, email or name"}))
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *OrderStatus.choices], required=False)
    payment_method = forms.ChoiceField(label="Payment method", choices=[("", "Any method"), *PaymentMethod.choices],
                                       required=False)
    payment_status = forms.ChoiceField(label="Payment status", choices=[("", "Any"), *PaymentStatus.choices],
                                       required=False)
    placed_from = forms.DateField(label="Placed from", required=False, widget=_Date())
    placed_to = forms.DateField(label="Placed to", required=False, widget=_Date())

    def clean(self):
        data = super().clean()
        start, end = data.get("placed_from"), data.get("placed_to")
        if start and end and end < start:
            self.add_error("placed_to", "The end date cannot be before the start date.")
        return data


class OrderTransitionForm(forms.Form):
    # The status the page showed: a move judged on a page that is out of date is refused.
    from_status = forms.ChoiceField(choices=OrderStatus.choices, widget=forms.HiddenInput)
    to = forms.ChoiceField(choices=OrderStatus.choices, widget=forms.HiddenInput)
    tracking_number = forms.CharField(label="Tracking number", max_length=60, required=False)
    note = forms.CharField(label="Note", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        # A cancellation reaches the customer and the refund: staff say why.
        if data.get("to") == OrderStatus.CANCELLED and not (data.get("note") or "").strip():
            self.add_error("note", "Give the reason for cancelling the order.")
        return data
