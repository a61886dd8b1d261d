"""Test data for returns: delivered orders (cash or online), exchange sizes, returns staff, shortcuts."""

from __future__ import annotations

import io
import itertools

from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import Variant
from truestyle.catalog.tests.factories import variant_create
from truestyle.orders.services import order_transition
from truestyle.orders.tests.factories import customer_create, line, place, staff_create, stocked_variant
from truestyle.payments.models import Payment
from truestyle.returns.services import return_request

_sequence = itertools.count(1)


def returns_staff_create(*, email: str = "returns@example.com"):
    """A support agent: manage_returns, but not manage_orders."""
    user = user_create(email=email, name="Meera Support")
    user.groups.add(Group.objects.get(name=Role.SUPPORT_AGENT))
    return user


def deliver(order, *, staff=None):
    staff = staff or staff_create(email=f"orders{next(_sequence)}@example.com")
    for to in ("confirmed", "packed"):
        order = order_transition(order=order, to=to, actor=staff)
    order = order_transition(order=order, to="shipped", actor=staff, tracking_number="DTDC1")
    return order_transition(order=order, to="delivered", actor=staff)


def pay_online(order):
    from truestyle.payments.tests.factories import callback

    callback(Payment.objects.get(order=order), "paid", sequence=next(_sequence))
    order.refresh_from_db()
    return order


def delivered_order(*, user=None, address=None, items=None, payment_method: str = "cod", coupon_code=None,
                    email: str = "asha@example.com"):
    """A delivered order of `items` [(variant, quantity)]; by default one Oxford Shirt (size M, ₹1499) × 2."""
    if user is None:
        user, address = customer_create(email=email)
    if items is None:
        items = [(stocked_variant(stock=10), 2)]
    order = place(user=user, address=address, lines=[line(variant, quantity) for variant, quantity in items],
                  payment_method=payment_method, coupon_code=coupon_code)
    if payment_method != "cod":
        order = pay_online(order)
    order = deliver(order)
    mail.outbox.clear()
    return order, user


def other_size(variant, *, size: str = "L", stock: int = 3) -> Variant:
    return variant_create(product=variant.product, colour=variant.colourway.name, size=size, stock=stock)


def request_for(order, user, *, position: int = 0, kind: str = "return", quantity: int = 1,
                reason: str = "too_small", **fields):
    order_line = order.lines.get(position=position)
    return return_request(user=user, order_id=str(order.pk), line_id=str(order_line.pk), kind=kind,
                          quantity=quantity, reason=reason, **fields)


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def complete(request, *, staff, inspection: str = "sellable"):
    """Walk a request from "requested" to "completed" as staff would."""
    from truestyle.returns.services import return_transition

    request = return_transition(request=request, to="approved", actor=staff)
    request = return_transition(request=request, to="picked_up", actor=staff)
    request = return_transition(request=request, to="received", actor=staff, inspection=inspection)
    return return_transition(request=request, to="completed", actor=staff)
