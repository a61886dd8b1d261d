"""Staff catalogue pages; each area keeps its own URL module (names stay in the `adminpanel` namespace)."""

from django.urls import include, path

urlpatterns = [
    path("", include("adminpanel.catalog.taxonomy_urls")),
    path("", include("adminpanel.catalog.product_urls")),
    path("", include("adminpanel.catalog.transfer_urls")),
]
