from django.urls import path

from adminpanel.catalog import taxonomy

urlpatterns = [
    path("taxonomy/", taxonomy.taxonomy_index, name="taxonomy"),
]
