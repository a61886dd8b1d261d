from django.urls import path

from adminpanel import coupons

urlpatterns = [
    path("", coupons.coupon_list, name="coupons"),
    path("new/", coupons.coupon_create, name="coupon-create"),
    path("<str:coupon_id>/", coupons.coupon_edit, name="coupon-edit"),
    path("<str:coupon_id>/deactivate/", coupons.coupon_deactivate, name="coupon-deactivate"),
]
