"""Test data for reviews: customers who received a product, reviews in each status, photos."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import Product
from truestyle.orders.models import Order, OrderLine
from truestyle.orders.statuses import OrderStatus
from truestyle.reviews import services

REVIEW_TEXT = "Soft fabric, good stitching, washes well."


def order_line_create(*, user, product: Product, status: str = OrderStatus.DELIVERED, size: str = "M",
                      colour: str = "Indigo") -> OrderLine:
    """An order of one unit of `product` in `status`, written directly (placement is tested in orders)."""
    order = Order.objects.create(
        number=f"TS{uuid.uuid4().hex[:10].upper()}", user=user, status=status, payment_method="cod",
        shipping_method="standard", subtotal=product.price, total=product.price,
        idempotency_key=uuid.uuid4().hex, request_fingerprint="test")
    return OrderLine.objects.create(
        order=order, variant_id="0" * 24, product_id=str(product.pk), product_name=product.name,
        product_slug=product.slug, sku=f"SKU-{size}", size=size, colour=colour, unit_price=product.price,
        quantity=1, line_total=product.price)


def buyer_create(product: Product, *, email: str, name: str = "Asha Rao", size: str = "M"):
    user = user_create(email=email, name=name)
    order_line_create(user=user, product=product, size=size)
    return user


def moderator_create(*, email: str = "support@example.com"):
    user = user_create(email=email, name="Sita Support")
    user.groups.add(Group.objects.get(name=Role.SUPPORT_AGENT))
    return user


def review_create(product: Product, *, email: str, rating: int = 5, fit: str = "true_to_size",
                  title: str = "Lovely", text: str = REVIEW_TEXT, size: str = "M", name: str = "Asha Rao",
                  photos=None, approve_by=None):
    user = buyer_create(product, email=email, name=name, size=size)
    review = services.review_submit(user=user, product=product, rating=rating, title=title, text=text, fit=fit,
                                    photos=photos)
    if approve_by is not None:
        review = services.review_moderate(actor=approve_by, review_id=review.pk, decision="approve")
    return review


def photo(name: str = "photo.jpg", size=(40, 30), colour=(200, 80, 40), fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def product_figures(product: Product) -> tuple[Decimal, int]:
    fresh = Product.objects.get(pk=product.pk)
    return fresh.rating_average, fresh.rating_count
