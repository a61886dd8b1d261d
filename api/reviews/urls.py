from django.urls import path

from api.reviews import views

urlpatterns = [
    path("catalog/products/<slug:slug>/reviews", views.ProductReviewsView.as_view(), name="product-reviews"),
    path("reviews/moderation", views.ModerationQueueView.as_view(), name="review-moderation"),
    path("reviews/<str:review_id>/moderate", views.ReviewModerateView.as_view(), name="review-moderate"),
    path("reviews/<str:review_id>/helpful", views.ReviewHelpfulView.as_view(), name="review-helpful"),
]
