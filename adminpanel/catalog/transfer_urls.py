from django.urls import path

from adminpanel.catalog import transfer

urlpatterns = [
    path("transfer/", transfer.transfer_index, name="catalog-transfer"),
]
