from django.urls import path

from adminpanel import content

urlpatterns = [
    path("", content.content_index, name="content"),
    path("store/", content.store_details, name="content-store"),
    path("<slug:kind>/", content.content_list, name="content-list"),
    path("<slug:kind>/new/", content.content_create, name="content-create"),
    path("<slug:kind>/order/", content.content_order, name="content-order"),
    path("<slug:kind>/<str:item_id>/", content.content_edit, name="content-edit"),
    path("<slug:kind>/<str:item_id>/publish/", content.content_publish, name="content-publish"),
    path("<slug:kind>/<str:item_id>/delete/", content.content_delete, name="content-delete"),
]
