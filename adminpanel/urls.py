from django.urls import include, path

from adminpanel import views

app_name = "adminpanel"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("customers/", views.customer_list, name="customers"),
    path("customers/<str:user_id>/", views.customer_detail, name="customer"),
    path("customers/<str:user_id>/block/", views.customer_block, name="customer-block"),
    path("customers/<str:user_id>/unblock/", views.customer_unblock, name="customer-unblock"),
    path("customers/<str:user_id>/roles/", views.customer_roles, name="customer-roles"),
    path("catalogue/", include("adminpanel.catalog.urls")),
    path("coupons/", include("adminpanel.coupon_urls")),
]
