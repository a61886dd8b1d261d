"""Test data for coupons."""

from decimal import Decimal

from truestyle.catalog.models import Brand, Category
from truestyle.promotions.models import Coupon
from truestyle.promotions.services import CouponLine


def coupon_create(*, code: str = "SAVE10", kind: str = "percent", value: str = "10", **fields) -> Coupon:
    for name in ("max_discount", "min_order_value"):
        if isinstance(fields.get(name), str):
            fields[name] = Decimal(fields[name])
    return Coupon.objects.create(code=code, kind=kind, value=Decimal(value), **fields)


def line(amount: str, *, category: str = "c1", brand: str = "b1", product: str = "p1") -> CouponLine:
    return CouponLine(product_id=product, category_id=category, brand_id=brand, amount=Decimal(amount))


def category_create(path: str) -> Category:
    """A category at `path` ("men/shirts"), with its parents."""
    parent = None
    for depth, slug in enumerate(path.split("/")):
        current = "/".join(path.split("/")[: depth + 1])
        parent, _ = Category.objects.get_or_create(path=current, defaults={
            "name": slug.title(), "slug": slug, "parent": parent, "depth": depth})
    return parent


def brand_create(name: str) -> Brand:
    return Brand.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]
