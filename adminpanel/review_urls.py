from django.urls import path

from adminpanel import reviews

urlpatterns = [
    path("", reviews.review_queue, name="reviews"),
    path("<str:review_id>/approve/", reviews.review_approve, name="review-approve"),
    path("<str:review_id>/reject/", reviews.review_reject, name="review-reject"),
]
