from django.urls import path

from storefront import review_views

urlpatterns = [
    path("p/<slug:slug>/reviews/", review_views.review_list, name="product-reviews"),
    path("p/<slug:slug>/review/", review_views.review_write, name="review-write"),
    path("reviews/<str:review_id>/helpful/", review_views.review_helpful, name="review-helpful"),
]
