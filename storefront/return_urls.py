"""The shopper's returns and exchanges under /account/returns/, included by storefront/urls.py."""

from django.urls import path

from storefront import return_views as returns

urlpatterns = [
    path("", returns.return_list, name="returns"),
    path("new/<str:order_number>/<str:line_id>/", returns.return_new, name="return-new"),
    path("<str:number>/", returns.return_detail, name="return"),
    path("<str:number>/cancel/", returns.return_cancel, name="return-cancel"),
]
