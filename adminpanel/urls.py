from django.urls import include, path

from adminpanel import dashboard, views

app_name = "adminpanel"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("customers/", views.customer_list, name="customers"),
    path("customers/<str:user_id>/", views.customer_detail, name="customer"),
    path("customers/<str:user_id>/block/", views.customer_block, name="customer-block"),
    path("customers/<str:user_id>/unblock/", views.customer_unblock, name="customer-unblock"),
    path("customers/<str:user_id>/roles/", views.customer_roles, name="customer-roles"),
    path("catalogue/", include("adminpanel.catalog.urls")),
    path("coupons/", include("adminpanel.coupon_urls")),
    path("content/", include("adminpanel.content_urls")),
    path("reviews/", include("adminpanel.review_urls")),
    path("messages/", include("adminpanel.contact_urls")),
    path("logs/", include("adminpanel.log_urls")),
    path("orders/", include("adminpanel.order_urls")),
    path("backups/", include("adminpanel.backup_urls")),
    path("returns/", include("adminpanel.return_urls")),
]
