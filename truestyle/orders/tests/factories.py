"""Test data for orders: customers with an address, stocked variants, placement shortcuts."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Sum

from truestyle.accounts.models import Address
from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import StockMovement, Variant
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.orders.services import PlacementLine, order_place


def customer_create(*, email: str = "asha@example.com", pincode: str = "560001"):
    user = user_create(email=email)
    address = Address.objects.create(user=user, name="Asha Rao", phone="9876543210", line1="12 Residency Road",
                                     city="Bengaluru", state="Karnataka", pincode=pincode, is_default=True)
    return user, address


def staff_create(*, email: str = "orders@example.com"):
    user = user_create(email=email, name="Ravi Staff")
    user.groups.add(Group.objects.get(name=Role.ORDER_MANAGER))
    return user


def stocked_variant(*, name: str = "Oxford Shirt", price: str = "1499.00", stock: int = 10, size: str = "M",
                    category: str = "Shirts", brand: str = "Loom") -> Variant:
    product = product_create(name=name, price=price, mrp=str(Decimal(price) + 500), category=category, brand=brand)
    return variant_create(product=product, size=size, stock=stock)


def line(variant: Variant, quantity: int = 1, price: str | None = None) -> PlacementLine:
    return PlacementLine(variant_id=str(variant.pk), quantity=quantity,
                         unit_price_seen=Decimal(price) if price else variant.product.price)


def place(*, user, address, lines, payment_method: str = "cod", shipping_method: str = "standard",
          coupon_code: str | None = None, key: str | None = None):
    return order_place(user=user, lines=lines, address_id=str(address.pk), shipping_method=shipping_method,
                       payment_method=payment_method, coupon_code=coupon_code,
                       idempotency_key=key or uuid.uuid4().hex)


def ledger_sum(variant) -> int:
    return StockMovement.objects.filter(variant_id=variant.pk).aggregate(total=Sum("delta"))["total"] or 0


def stock_of(variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock
