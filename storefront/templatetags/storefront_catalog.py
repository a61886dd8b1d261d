"""Small display helpers for catalogue pages: rupee amounts and stored-file URLs."""

from decimal import Decimal

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def inr(amount) -> str:
    """₹1,499 for whole rupees, ₹1,348.99 otherwise (Indian digit grouping is not needed at these prices)."""
    if amount in (None, ""):
        return ""
    amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"₹{text}"


@register.filter
def file_url(name: str) -> str:
    """The /files/ URL of a stored file name, or '' for none."""
    return reverse("file", args=[name]) if name else ""
