from django.urls import path

from adminpanel.catalog import transfer

urlpatterns = [
    path("transfer/", transfer.transfer_index, name="catalog-transfer"),
    path("transfer/export.csv", transfer.transfer_export, name="catalog-transfer-export"),
    path("transfer/import/", transfer.transfer_import, name="catalog-transfer-import"),
    path("transfer/imports/<str:import_id>/", transfer.transfer_job, name="catalog-transfer-job"),
]
