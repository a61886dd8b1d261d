"""Role-matrix inputs of the staff coupon pages: URL names, a valid POST body, URL argument factories.

Create and edit answer GET (their forms post back to themselves); only deactivation is POST-only
and needs no body.
"""

from decimal import Decimal

from truestyle.promotions.models import Coupon

NAMES = {"coupons", "coupon-create", "coupon-edit", "coupon-deactivate"}
POST_DATA: dict = {}
ARGUMENTS = {"coupon_id": lambda: str(Coupon.objects.create(code="MATRIX10", kind="percent", value=Decimal("10")).pk)}
