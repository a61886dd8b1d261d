"""Reviews API: a product's approved reviews with their summary (public), submitting a review and
marking one helpful (signed in), and the moderation queue and decisions (staff with
moderate_reviews). Rules live in truestyle.reviews.services."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import staff_permission
from api.reviews import serializers as s
from api.serializers import ErrorSerializer, refuse_body
from truestyle.catalog.models import Product
from truestyle.core.errors import NotFound
from truestyle.reviews import selectors, services
from truestyle.reviews.models import Review


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


def _product(slug: str) -> Product:
    product = Product.objects.filter(slug=slug, is_active=True).first()
    if product is None:
        raise NotFound("That product does not exist.", code="product_not_found")
    return product


def review_data(review: Review) -> dict:
    return {"id": str(review.pk), "rating": review.rating, "title": review.title, "text": review.text,
            "fit": review.fit, "size": review.size, "colour": review.colour, "author_name": review.author_name,
            "photo_urls": [reverse("file", args=[name]) for name in review.photos],
            "helpful_count": review.helpful_count, "created_at": review.created_at, "status": review.status}


class ProductReviewsView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]

    def get_permissions(self):
        # Reading is public; writing a review needs a signed-in customer.
        return [IsAuthenticated()] if self.request and self.request.method == "POST" else [AllowAny()]

    @extend_schema(operation_id="product_reviews_list",
                   summary="A product's approved reviews (sorted, filtered, 10 a page) with the rating summary",
                   parameters=[OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
                               OpenApiParameter("stars", int, description="Only this many stars (1–5)"),
                               OpenApiParameter("fit", str, enum=["runs_small", "true_to_size", "runs_large"]),
                               OpenApiParameter("photos", bool, description="Only reviews with photos"),
                               OpenApiParameter("page", int)],
                   responses={200: s.ReviewListOutput, 404: _error("`product_not_found`.")}, tags=["reviews"])
    def get(self, request, slug):
        product = _product(slug)
        query = s.ReviewListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        filters = selectors.ReviewFilters(sort=values["sort"], stars=values.get("stars"), fit=values.get("fit", ""),
                                          with_photos=values["photos"])
        listing = selectors.approved_reviews(product=product, filters=filters, page=values["page"])
        summary = selectors.review_summary(product=product)
        return Response(s.ReviewListOutput({
            "summary": summary.__dict__, "count": listing.total, "page": listing.page, "pages": listing.pages,
            "results": [review_data(review) for review in listing.reviews]}).data)

    @extend_schema(operation_id="product_reviews_create",
                   summary="Review a product you received (once per product); it shows once approved",
                   description="Only a customer with a delivered order of the product may review it, once. "
                               "Send JSON, or multipart/form-data to attach up to 3 `photos`. The review waits "
                               "for moderation (`status` pending).",
                   request={"application/json": s.ReviewInput, "multipart/form-data": s.ReviewInput},
                   responses={201: s.SubmittedReviewOutput,
                              400: _error("`invalid` (see `fields`), `unknown_field`, `invalid_image` or "
                                          "`invalid_input`."),
                              403: _error("`not_eligible`: no delivered order of this product."),
                              404: _error("`product_not_found`."),
                              409: _error("`already_reviewed`: one review per product.")},
                   tags=["reviews"])
    def post(self, request, slug):
        product = _product(slug)
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        review = services.review_submit(user=request.user, product=product, photos=values.pop("photos", []),
                                        **values)
        return Response(s.SubmittedReviewOutput(review_data(review)).data, status=status.HTTP_201_CREATED)


class ReviewHelpfulView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_helpful", summary="Mark an approved review helpful (once; not your own)",
                   request=None,
                   responses={200: s.HelpfulOutput,
                              403: _error("`own_review`: your own review cannot be marked helpful."),
                              404: _error("`review_not_found`: no approved review with this id."),
                              409: _error("`already_helpful`: you have marked it already."),
                              503: _error("`transaction_aborted`: the store was too busy; nothing was written.")},
                   tags=["reviews"])
    def post(self, request, review_id):
        refuse_body(request)
        return Response({"helpful_count": services.review_mark_helpful(user=request.user, review_id=review_id)})


def moderation_data(review: Review) -> dict:
    return {**review_data(review), "product_slug": review.product.slug, "rejection_reason": review.rejection_reason}


class ModerationQueueView(ListAPIView):
    permission_classes = [staff_permission(services.PERMISSION)]
    serializer_class = s.ModerationReviewOutput

    def list(self, request, *args, **kwargs):
        query = s.ModerationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.moderation_queue(status=query.validated_data["status"]))
        return self.get_paginated_response([moderation_data(review) for review in page])

    @extend_schema(operation_id="review_moderation_queue",
                   summary="Reviews to moderate (staff): pending ones oldest first, or approved / rejected",
                   parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "rejected"])],
                   tags=["reviews"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReviewModerateView(APIView):
    permission_classes = [staff_permission(services.PERMISSION)]

    @extend_schema(operation_id="review_moderate",
                   summary="Approve or reject (with a reason) a review (staff); the product's rating follows",
                   request=s.ModerationInput,
                   responses={200: s.ModerationReviewOutput,
                              400: _error("`invalid` (a rejection needs a `reason`), `unknown_field` or "
                                          "`invalid_input`."),
                              404: _error("`review_not_found`."),
                              409: _error("`invalid_transition`: e.g. approving an approved or rejected review."),
                              503: _error("`transaction_aborted`: the store was too busy; nothing was written.")},
                   tags=["reviews"])
    def post(self, request, review_id):
        data = s.ModerationInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_moderate(actor=request.user, review_id=review_id, ip=request.META.get("REMOTE_ADDR"),
                                          **data.validated_data)
        return Response(s.ModerationReviewOutput(moderation_data(review)).data)
