"""Shipping fees, cash-on-delivery eligibility and GST: the money rules of an order, in one place.

The figures themselves live in settings (ORDER_* and INVOICE_*), so a fee change is configuration.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from truestyle.core.errors import StoreError

CENT = Decimal("0.01")
# Apparel GST (prices are GST-inclusive): 5% on a piece up to this price, 18% above it.
GST_LOW_RATE = Decimal("5")
GST_HIGH_RATE = Decimal("18")
GST_THRESHOLD = Decimal("2500.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def shipping_fee(*, shipping_method: str, subtotal: Decimal) -> Decimal:
    """Standard ₹79 (free from ₹999 of items), express ₹149 (never free)."""
    fees = settings.ORDER_SHIPPING_FEES
    if shipping_method not in fees:
        raise StoreError("Choose a shipping method.", code="invalid",
                         fields={"shipping_method": ["Choose standard or express shipping."]})
    if shipping_method == "standard" and subtotal >= Decimal(settings.ORDER_FREE_SHIPPING_FROM):
        return Decimal("0.00")
    return money(fees[shipping_method])


def cod_pincode_serviceable(pincode: str) -> bool:
    pincode = (pincode or "").strip()
    return (len(pincode) == 6 and pincode.isdigit() and pincode.startswith(settings.ORDER_COD_PIN_PREFIXES)
            and pincode not in settings.ORDER_COD_EXCLUDED_PINS)


def cod_check(*, pincode: str, total: Decimal) -> None:
    """Refuses cash on delivery (code "cod_unavailable") outside serviceable PINs or from the maximum total."""
    if not cod_pincode_serviceable(pincode):
        raise StoreError("Cash on delivery is not available for this PIN code.", code="cod_unavailable",
                         fields={"payment_method": ["Pay by UPI or card for this address."]})
    limit = Decimal(settings.ORDER_COD_MAX_TOTAL)
    if total >= limit:
        raise StoreError(f"Cash on delivery is available for orders below ₹{limit:,.0f}.", code="cod_unavailable",
                         fields={"payment_method": ["Pay by UPI or card for this order."]})


def gst_rate(unit_price: Decimal) -> Decimal:
    """The GST rate (percent) of one piece sold at `unit_price`."""
    return GST_LOW_RATE if unit_price <= GST_THRESHOLD else GST_HIGH_RATE


def gst_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax part of a GST-inclusive amount."""
    return money(amount * rate / (Decimal("100") + rate))
