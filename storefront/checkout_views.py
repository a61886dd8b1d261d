"""Checkout: the signed-in shopper's bag becomes an order through `order_place`, and nothing else.

The page carries what the shopper saw: each line's quantity and price (hidden `line` fields written
when the page rendered) and an idempotency key. Placement compares those prices with the current
ones, so a changed price refuses and is shown instead of being charged, and a double submit of the
same page returns the same order. The summary (totals, coupon, cash-on-delivery eligibility) is
recomputed by an htmx partial whenever the address, shipping method or coupon changes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from storefront.account_forms import AddressForm, add_service_errors
from truestyle.accounts import selectors as account_selectors
from truestyle.accounts import services as account_services
from truestyle.accounts.services.addresses import ADDRESS_FIELDS
from truestyle.catalog.models import Product
from truestyle.core.errors import StoreError
from truestyle.orders.models import PaymentMethod, ShippingMethod
from truestyle.orders.pricing import cod_check, money, shipping_fee
from truestyle.orders.services import PlacementLine, order_place
from truestyle.payments.gateways import ONLINE_PAYMENT_UNAVAILABLE, online_payment_available
from truestyle.payments.services import payment_start
from truestyle.promotions.services import CouponLine, coupon_quote
from truestyle.shopping.selectors import cart_for_user, cart_lines

TEMPLATE = "storefront/checkout/checkout.html"
NEW_ADDRESS = "new"
NEW_PREFIX = "new"
# Refusals shown next to a field rather than (only) in the banner at the top.
FIELD_REFUSALS = {"coupon_code", "payment_method"}
PAYMENT_HINTS = {
    PaymentMethod.COD: "Pay in cash when your order arrives.",
    PaymentMethod.UPI: "Any UPI app; you confirm on the payment page.",
    PaymentMethod.CARD: "Credit or debit card, on the secure payment page.",
}


@dataclass
class Choices:
    """What the shopper picked on the page (or the defaults on first render)."""

    address: str = ""
    shipping: str = ShippingMethod.STANDARD
    payment: str = PaymentMethod.UPI
    coupon: str = ""
    key: str = ""
    errors: dict = field(default_factory=dict)  # field -> message shown beside it
    banner: str = ""
    changed_prices: dict = field(default_factory=dict)  # variant id -> price the shopper had seen


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def _choices(request, addresses) -> Choices:
    data = request.POST
    default = next((str(a.pk) for a in addresses if a.is_default), "") or (NEW_ADDRESS if not addresses else "")
    # An unknown id is kept: placement refuses it ("address_not_found") rather than shipping elsewhere.
    address = data.get("address_id") or default
    shipping = data.get("shipping_method") or ShippingMethod.STANDARD
    payment = data.get("payment_method") or PaymentMethod.UPI
    return Choices(
        address=address,
        shipping=shipping if shipping in ShippingMethod.values else ShippingMethod.STANDARD,
        payment=payment if payment in PaymentMethod.values else PaymentMethod.UPI,
        coupon=(data.get("coupon_code") or "").strip()[:40],
        key=(data.get("idempotency_key") or "").strip()[:100] or _new_key(),
    )


def _coupon_lines(lines) -> list[CouponLine]:
    """The bag's lines as a coupon sees them (category and brand decide what a coupon covers)."""
    ids = [line.product_id for line in lines]
    owners = {str(pk): (str(category), str(brand)) for pk, category, brand in
              Product.objects.filter(pk__in=ids).values_list("pk", "category_id", "brand_id")}
    return [CouponLine(product_id=line.product_id, category_id=owners.get(line.product_id, ("", ""))[0],
                       brand_id=owners.get(line.product_id, ("", ""))[1], amount=money(line.line_total))
            for line in lines]


def _pincode(request, choices: Choices, addresses) -> str:
    if choices.address == NEW_ADDRESS:
        return (request.POST.get(f"{NEW_PREFIX}-pincode") or "").strip()
    return next((a.pincode for a in addresses if str(a.pk) == choices.address), "")


def _summary(request, choices: Choices, lines, addresses) -> dict:
    """Totals as they would be charged now, the coupon's verdict and whether COD is offered."""
    subtotal = money(sum((line.line_total for line in lines), Decimal("0")))
    discount = Decimal("0.00")
    coupon_applied = ""
    if choices.coupon and lines:
        try:
            quote = coupon_quote(code=choices.coupon, user=request.user, lines=_coupon_lines(lines))
        except StoreError as refusal:
            choices.errors.setdefault("coupon_code", refusal.message)
        else:
            discount, coupon_applied = money(quote.discount), quote.code
    fee = shipping_fee(shipping_method=choices.shipping, subtotal=subtotal)
    total = money(subtotal - discount + fee)
    cod_reason = ""
    pincode = _pincode(request, choices, addresses)
    if not pincode:
        cod_reason = "Choose an address to see whether cash on delivery is available."
    else:
        try:
            cod_check(pincode=pincode, total=total)
        except StoreError as refusal:
            cod_reason = refusal.message
    online = online_payment_available()
    if cod_reason and choices.payment == PaymentMethod.COD and online:
        choices.payment = PaymentMethod.UPI
    elif not online and choices.payment != PaymentMethod.COD:
        choices.payment = PaymentMethod.COD
    free_from = money(settings.ORDER_FREE_SHIPPING_FROM)
    shipping_options = [
        {"value": method.value, "label": method.label,
         "fee": shipping_fee(shipping_method=method.value, subtotal=subtotal),
         "base_fee": money(settings.ORDER_SHIPPING_FEES[method.value]),
         "free_from": free_from if method == ShippingMethod.STANDARD else None}
        for method in ShippingMethod
    ]
    return {"subtotal": subtotal, "discount": discount, "coupon_applied": coupon_applied, "shipping_fee": fee,
            "total": total, "cod_reason": cod_reason, "shipping_options": shipping_options,
            "payment_options": [_payment_option(m, cod_reason=cod_reason, online=online) for m in PaymentMethod]}


def _payment_option(method: PaymentMethod, *, cod_reason: str, online: bool) -> dict:
    """One payment choice; a method the store cannot take now is shown disabled with the reason."""
    reason = cod_reason if method == PaymentMethod.COD else ("" if online else ONLINE_PAYMENT_UNAVAILABLE)
    return {"value": method.value, "label": method.label, "hint": PAYMENT_HINTS[method.value],
            "disabled": bool(reason), "reason": reason}


def _blank_address_form(request) -> AddressForm:
    return AddressForm(prefix=NEW_PREFIX, initial={"name": request.user.name, "phone": request.user.phone})


def _render(request, choices: Choices, *, new_form: AddressForm | None = None, template: str = TEMPLATE,
            status: int = 200):
    addresses = account_selectors.user_addresses(user=request.user)
    lines = cart_lines(cart=cart_for_user(user=request.user))
    if choices.address not in {str(a.pk) for a in addresses} and choices.address != NEW_ADDRESS:
        choices.address = next((str(a.pk) for a in addresses if a.is_default), NEW_ADDRESS)
    summary = _summary(request, choices, lines, addresses)
    context = {
        "lines": lines, "addresses": addresses, "choices": choices, "NEW_ADDRESS": NEW_ADDRESS,
        "new_form": new_form or _blank_address_form(request),
        # Each line with the price the shopper had seen when that price has changed since.
        "rows": [{"line": line, "was": choices.changed_prices.get(line.variant_id)} for line in lines],
        **summary,
    }
    return render(request, template, context, status=status)


@login_required
def checkout(request):
    addresses = account_selectors.user_addresses(user=request.user)
    choices = _choices(request, addresses)
    choices.key = _new_key()  # a fresh page is a fresh attempt
    return _render(request, choices)


@login_required
@require_POST
def checkout_summary(request):
    """Totals again for the choices on the page: the summary fragment (and the payment options out of
    band) for htmx; without htmx (the coupon's Apply button) the whole page."""
    addresses = account_selectors.user_addresses(user=request.user)
    choices = _choices(request, addresses)
    typed = AddressForm(request.POST, prefix=NEW_PREFIX) if choices.address == NEW_ADDRESS else None
    if request.htmx:
        return _render(request, choices, template="storefront/checkout/_summary_swap.html")
    return _render(request, choices, new_form=typed)


def _posted_lines(request) -> tuple[list[PlacementLine], dict]:
    """The lines as the page showed them: "variant id|quantity|unit price" each."""
    lines, seen = [], {}
    for raw in request.POST.getlist("line"):
        try:
            variant_id, quantity, price = raw.split("|")
            line = PlacementLine(variant_id=variant_id, quantity=int(quantity), unit_price_seen=Decimal(price))
        except (ValueError, InvalidOperation):
            raise StoreError("Your bag could not be read. Please review it and try again.", code="invalid")
        lines.append(line)
        seen[variant_id] = line.unit_price_seen
    return lines, seen


def _address_for_order(request, choices: Choices) -> tuple[str | None, AddressForm | None]:
    """The chosen address id; a new address is saved to the address book first (once: the same
    address typed again, as a double submit sends it, is found rather than added twice)."""
    if choices.address != NEW_ADDRESS:
        return choices.address, None
    form = AddressForm(request.POST, prefix=NEW_PREFIX)
    if not form.is_valid():
        return None, form
    values = form.values()
    for address in account_selectors.user_addresses(user=request.user):
        if all(str(getattr(address, name) or "") == str(values.get(name) or "") for name in ADDRESS_FIELDS):
            return str(address.pk), None
    try:
        address = account_services.address_create(user=request.user, values=values,
                                                   make_default=form.cleaned_data["is_default"])
    except StoreError as refusal:
        add_service_errors(form, refusal)
        return None, form
    return str(address.pk), None


@login_required
@require_POST
def checkout_place(request):
    addresses = account_selectors.user_addresses(user=request.user)
    choices = _choices(request, addresses)
    address_id, address_form = _address_for_order(request, choices)
    if address_id is None:
        choices.banner = "Please check the delivery address."
        return _render(request, choices, new_form=address_form, status=400)
    choices.address = address_id
    seen = {}
    try:
        lines, seen = _posted_lines(request)
        # The methods as posted, not the page's defaults: a missing or unknown one is refused, never guessed.
        order = order_place(user=request.user, lines=lines, address_id=address_id,
                            shipping_method=request.POST.get("shipping_method", ""),
                            payment_method=request.POST.get("payment_method", ""),
                            coupon_code=choices.coupon or None,
                            idempotency_key=request.POST.get("idempotency_key", ""))
    except StoreError as refusal:
        _refusal_show(choices, refusal, seen)
        return _render(request, choices, status=409 if refusal.status == 409 else 400)

    order_url = reverse("storefront:order", kwargs={"number": order.number})
    if order.status != "pending_payment":
        return redirect(f"{order_url}?placed=1")
    try:
        return redirect(payment_start(order=order, return_url=request.build_absolute_uri(order_url)))
    except StoreError:
        return redirect(order_url)  # paid or cancelled meanwhile: the order page tells which


def _refusal_show(choices: Choices, refusal: StoreError, seen: dict) -> None:
    fields = refusal.fields or {}
    for name in FIELD_REFUSALS & set(fields):
        # COD's refusal says why in the banner and what to do instead beside the payment options.
        choices.errors[name] = fields[name][0] if refusal.code == "cod_unavailable" else refusal.message
    if refusal.code == "price_changed":
        choices.changed_prices = {variant_id: seen[variant_id] for variant_id in fields.get("lines", [])
                                  if variant_id in seen}
    if refusal.code == "idempotency_key_reused":
        choices.key = _new_key()
    if not FIELD_REFUSALS & set(fields) or refusal.code == "cod_unavailable":
        choices.banner = refusal.message
