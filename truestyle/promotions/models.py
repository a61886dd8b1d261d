"""Models of the promotions app (MongoDB): coupons and their uses.

`Coupon.uses` and `CouponCustomerUses.uses` are shared counters: they change only through
conditional single-document updates in `truestyle.promotions.services`, never read-add-save.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django_mongodb_backend.fields import ArrayField


class Coupon(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent off"
        FLAT = "flat", "Flat amount off"

    # Stored upper-case (services normalise it), so the unique index makes codes case-insensitive.
    code = models.CharField(max_length=30, unique=True)
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    max_discount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                       help_text="Cap of a percent discount (INR); empty means no cap.")
    min_order_value = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses in all; empty means no limit.")
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # Restrictions, as ids (str of ObjectId); empty means every category / brand. A category
    # includes its subcategories.
    category_ids = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    brand_ids = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "coupons"
        ordering = ["-created_at"]

    def __str__(self):
        return self.code


class CouponCustomerUses(models.Model):
    """How many live uses one customer has of one coupon: the per-customer limit's counter."""

    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="customer_uses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "coupon_customer_uses"
        constraints = [models.UniqueConstraint(fields=["coupon", "user"], name="coupon_customer_counter_once")]


class CouponUse(models.Model):
    """One redemption, tied to an order; `released_at` is set when the use was given back."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Text, not a foreign key: orders belong to another app and may be numbered their own way.
    order_id = models.CharField(max_length=64, unique=True)
    discount = models.DecimalField(max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "coupon_uses"
        ordering = ["-created_at"]
