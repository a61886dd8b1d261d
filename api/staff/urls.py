from django.urls import path

from api.staff import accounts

urlpatterns = [
    path("customers", accounts.CustomerListView.as_view(), name="staff-customers"),
    path("customers/<str:user_id>", accounts.CustomerDetailView.as_view(), name="staff-customer"),
    path("customers/<str:user_id>/block", accounts.CustomerBlockView.as_view(), name="staff-customer-block"),
    path("customers/<str:user_id>/unblock", accounts.CustomerUnblockView.as_view(), name="staff-customer-unblock"),
    path("customers/<str:user_id>/roles", accounts.CustomerRolesView.as_view(), name="staff-customer-roles"),
]
