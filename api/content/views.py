"""Public store-content API for the app: home sections, a store page, FAQs, store details.

Same published content as the storefront (truestyle.cms.selectors, cached by content version).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from truestyle.cms import selectors
from truestyle.cms.models import ContentPage
from truestyle.core.errors import NotFound

TAGS = ["content"]


def _file_url(request, name: str) -> str:
    return request.build_absolute_uri(reverse("file", args=[name])) if name else ""


class ContentBannerOutput(serializers.Serializer):
    id = serializers.CharField()
    headline = serializers.CharField()
    subheadline = serializers.CharField(allow_blank=True)
    image_url = serializers.CharField(allow_blank=True)
    cta_label = serializers.CharField(allow_blank=True)
    cta_url = serializers.CharField(allow_blank=True)
    active_until = serializers.DateTimeField(allow_null=True)


class ContentCardOutput(serializers.Serializer):
    id = serializers.CharField()
    set = serializers.ChoiceField(choices=["primary", "secondary"])
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    image_url = serializers.CharField(allow_blank=True)
    link = serializers.CharField(allow_blank=True)


class ContentStepOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    icon = serializers.CharField()


class ContentTestimonialOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    location = serializers.CharField(allow_blank=True)
    quote = serializers.CharField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    photo_url = serializers.CharField(allow_blank=True)


class ContentHomeOutput(serializers.Serializer):
    banners = ContentBannerOutput(many=True)
    cards = ContentCardOutput(many=True)
    steps = ContentStepOutput(many=True)
    testimonials = ContentTestimonialOutput(many=True)


class ContentPageOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()


class ContentFaqOutput(serializers.Serializer):
    id = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class ContentFaqGroupOutput(serializers.Serializer):
    name = serializers.CharField()
    faqs = ContentFaqOutput(many=True)


class ContentSocialLinkOutput(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()


class ContentStoreOutput(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    hours = serializers.CharField(allow_blank=True)
    social_links = ContentSocialLinkOutput(many=True)


class HomeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="content_home", summary="Home page content: active banners, cards, steps, testimonials",
                   description="Published items in their order; banners only inside their active window.",
                   request=None, responses={200: ContentHomeOutput}, tags=TAGS)
    def get(self, request):
        content = selectors.home_content()
        return Response({
            "banners": [{"id": str(b.pk), "headline": b.headline, "subheadline": b.subheadline,
                         "image_url": _file_url(request, b.image), "cta_label": b.cta_label, "cta_url": b.cta_url,
                         "active_until": b.active_until} for b in content.banners],
            "cards": [{"id": str(c.pk), "set": c.card_set, "title": c.title, "text": c.text,
                       "image_url": _file_url(request, c.image), "link": c.link}
                      for c in content.primary_cards + content.secondary_cards],
            "steps": [{"id": str(s.pk), "title": s.title, "text": s.text, "icon": s.icon} for s in content.steps],
            "testimonials": [{"id": str(t.pk), "name": t.name, "location": t.location, "quote": t.quote,
                              "rating": t.rating, "photo_url": _file_url(request, t.photo)}
                             for t in content.testimonials],
        })


class PageView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="content_page", summary="A store page (about, policies, terms)",
                   parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH,
                                                enum=[slug for slug, _ in ContentPage.SLUGS])],
                   request=None, responses={200: ContentPageOutput, 404: ErrorSerializer}, tags=TAGS)
    def get(self, request, slug: str):
        page = selectors.published_page(slug=slug)
        if page is None:
            raise NotFound("That page does not exist.", code="page_not_found")
        return Response({"slug": page.slug, "title": page.title, "paragraphs": page.paragraphs,
                         "updated_at": page.updated_at})


class FaqsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="content_faqs", summary="FAQs, grouped, in order",
                   request=None, responses={200: ContentFaqGroupOutput(many=True)}, tags=TAGS)
    def get(self, request):
        return Response([{"name": group["name"],
                          "faqs": [{"id": str(f.pk), "question": f.question, "answer": f.answer}
                                   for f in group["faqs"]]} for group in selectors.faq_groups()])


class StoreView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="content_store", summary="The store's name and contact details",
                   request=None, responses={200: ContentStoreOutput, 404: ErrorSerializer}, tags=TAGS)
    def get(self, request):
        store = selectors.store_details_public()
        if store is None:
            raise NotFound("The store details are not set yet.", code="store_details_not_found")
        return Response({"name": store.name, "address": store.address, "phone": store.phone, "email": store.email,
                         "hours": store.hours, "social_links": [{"name": str(link["name"]), "url": link["url"]}
                                                               for link in store.social_links]})
