"""Public catalogue API: the storefront's listing (same filters, facets, sorting, pagination) and product detail."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from truestyle.analytics.selectors import trending_product_ids
from truestyle.analytics.trending import TRENDING_SIZE, activity_record
from truestyle.catalog import selectors
from truestyle.catalog.filters import listing_filters_from_query
from truestyle.catalog.models import Brand, Occasion
from truestyle.core.errors import NotFound

MAX_PAGE_SIZE = 96


class FacetValueOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class CardOutput(serializers.Serializer):
    product_id = serializers.CharField()
    colourway_id = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    brand = serializers.CharField()
    colour = serializers.CharField()
    colour_slug = serializers.CharField()
    hex = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    mrp = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField(default="INR")
    discount_percent = serializers.IntegerField()
    sizes_in_stock = serializers.ListField(child=serializers.CharField())
    image_url = serializers.CharField(allow_blank=True)
    rating_average = serializers.DecimalField(max_digits=3, decimal_places=2)
    rating_count = serializers.IntegerField()


class NamedOutput(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class CategoryNodeOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    path = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField(), help_text="Nodes of the same shape")


class ListingOutput(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = CardOutput(many=True)
    facets = serializers.DictField(child=FacetValueOutput(many=True))


def _file_url(name: str) -> str:
    return reverse("file", args=[name]) if name else ""


LISTING_PARAMETERS = [
    OpenApiParameter("q", str, description="Search in name, brand, category and tags"),
    OpenApiParameter("category", str, description="Category path, e.g. men/shirts (includes its subtree)"),
    OpenApiParameter("brand", str, many=True), OpenApiParameter("occasion", str, many=True),
    OpenApiParameter("size", str, many=True), OpenApiParameter("colour", str, many=True),
    OpenApiParameter("price", str, many=True, enum=[key for key, *_ in selectors.PRICE_BANDS]),
    OpenApiParameter("in_stock", bool), OpenApiParameter("my_size", bool),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    OpenApiParameter("page", int), OpenApiParameter("page_size", int),
]


class ProductListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="catalog_products_list",
                   summary="Browse the catalogue: one card per colourway, with facet counts",
                   parameters=LISTING_PARAMETERS, responses={200: ListingOutput, 400: ErrorSerializer},
                   tags=["catalogue"])
    def get(self, request):
        filters, page, page_size = listing_filters_from_query(request.query_params, max_page_size=MAX_PAGE_SIZE)
        listing = selectors.product_listing(filters=filters, page=page, page_size=page_size, user=request.user)
        return Response(ListingOutput({
            "count": listing.total, "page": listing.page, "pages": listing.pages, "page_size": listing.page_size,
            "results": [{**card.__dict__, "image_url": _file_url(card.image)} for card in listing.cards],
            "facets": {name: [value.__dict__ for value in values] for name, values in listing.facets.items()},
        }).data)


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="A product with its colourways, sizes, availability, images and size chart",
                   responses={200: inline_serializer("ProductDetail", {
                       "id": serializers.CharField(), "name": serializers.CharField(), "slug": serializers.CharField(),
                       "description": serializers.CharField(), "material": serializers.CharField(),
                       "care": serializers.CharField(), "brand": serializers.CharField(),
                       "category": serializers.CharField(), "price": serializers.DecimalField(10, 2),
                       "mrp": serializers.DecimalField(10, 2), "currency": serializers.CharField(),
                       "discount_percent": serializers.IntegerField(), "tags": serializers.ListField(),
                       "colourways": serializers.ListField(child=serializers.DictField()),
                       "size_chart": serializers.DictField(),
                       "rating_average": serializers.DecimalField(3, 2), "rating_count": serializers.IntegerField(),
                   }), 404: ErrorSerializer}, tags=["catalogue"])
    def get(self, request, slug):
        page = selectors.product_page(slug=slug)
        if page is None:
            raise NotFound("That product does not exist.", code="product_not_found")
        product = page.product
        activity_record(product_id=product.pk, kind="views")
        colourways = [{**c, "images": [{"url": _file_url(i["image"]), "thumbnail_url": _file_url(i["thumbnail"]),
                                        "alt": i["alt"]} for i in c["images"]]} for c in page.colourways]
        return Response({
            "id": str(product.pk), "name": product.name, "slug": product.slug, "description": product.description,
            "material": product.material, "care": product.care, "brand": product.brand.name,
            "category": product.category.path, "price": str(product.price), "mrp": str(product.mrp),
            "currency": product.currency, "discount_percent": product.discount_percent, "tags": product.tags,
            "colourways": colourways, "size_chart": page.size_chart,
            "rating_average": str(product.rating_average), "rating_count": product.rating_count,
        })


class CategoryTreeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="The category tree", responses={200: CategoryNodeOutput(many=True)},
                   tags=["catalogue"])
    def get(self, request):
        return Response(selectors.category_tree())


class BrandListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="Brands", responses={200: NamedOutput(many=True)},
                   tags=["catalogue"])
    def get(self, request):
        return Response([{"name": b.name, "slug": b.slug} for b in Brand.objects.filter(is_active=True)])


class OccasionListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="Occasions", responses={200: NamedOutput(many=True)},
                   tags=["catalogue"])
    def get(self, request):
        return Response([{"name": o.name, "slug": o.slug} for o in Occasion.objects.all()])


class TrendingQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=TRENDING_SIZE, default=8)


class TrendingView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="catalog_trending_list",
                   summary="Trending now: products ranked by recent views, wishlist and cart adds and purchases",
                   parameters=[OpenApiParameter("limit", int, description=f"1 to {TRENDING_SIZE}; 8 by default")],
                   responses={200: CardOutput(many=True), 400: ErrorSerializer}, tags=["catalogue"])
    def get(self, request):
        query = TrendingQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        cards = selectors.product_cards(product_ids=trending_product_ids(limit=query.validated_data["limit"]))
        return Response(CardOutput([{**card.__dict__, "image_url": _file_url(card.image)} for card in cards],
                                   many=True).data)
