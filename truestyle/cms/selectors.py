"""Reads of store content: what shoppers see (published, cached by content version) and everything for staff.

Storefront reads are cached under the content cache version, so a cached copy never outlives a
change (the services bump the version). Hero banners are cached with their windows and filtered
by the current time at each read, so a banner appears and ends on time without a change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bson import ObjectId
from bson.errors import InvalidId
from django.core.cache import cache
from django.utils import timezone

from truestyle.cms.cache import content_cache_version
from truestyle.cms.models import ContentPage, Faq, HeroBanner, HowItWorksStep, PromoCard, StoreDetails, Testimonial

logger = logging.getLogger(__name__)
CACHE_SECONDS = 15 * 60
_MISSING = object()


def _cached(name: str, build):
    version = content_cache_version()
    key = f"content:v{version}:{name}"
    try:
        value = cache.get(key, _MISSING) if version else _MISSING
    except Exception:  # noqa: BLE001 - a cache outage must not break the shop
        value = _MISSING
    if value is _MISSING:
        value = build()
        try:
            if version:
                cache.set(key, value, CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("content not cached", exc_info=True)
    return value


def published(model) -> list:
    """Published items of a content type, in their order (cached)."""
    return _cached(model._meta.model_name, lambda: list(model.objects.filter(is_published=True).order_by("position")))


def banner_is_active(banner: HeroBanner, now: datetime) -> bool:
    return ((banner.active_from is None or banner.active_from <= now)
            and (banner.active_until is None or now < banner.active_until))


def active_banners(*, now: datetime | None = None) -> list[HeroBanner]:
    """Published banners inside their active window now, in order."""
    now = now or timezone.now()
    return [banner for banner in published(HeroBanner) if banner_is_active(banner, now)]


@dataclass
class HomeContent:
    banners: list = field(default_factory=list)
    primary_cards: list = field(default_factory=list)
    secondary_cards: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    testimonials: list = field(default_factory=list)

    @property
    def has_sections(self) -> bool:
        return bool(self.primary_cards or self.secondary_cards or self.steps or self.testimonials)


def home_content(*, now: datetime | None = None) -> HomeContent:
    """The home page's content. It also fills the footer's cache: most visits start at home, and a
    page finding the footer cached renders it inline instead of fetching it after loading."""
    footer_content()
    cards = published(PromoCard)
    return HomeContent(
        banners=active_banners(now=now),
        primary_cards=[card for card in cards if card.card_set == PromoCard.PRIMARY],
        secondary_cards=[card for card in cards if card.card_set == PromoCard.SECONDARY],
        steps=published(HowItWorksStep),
        testimonials=published(Testimonial),
    )


def store_details_public() -> StoreDetails | None:
    return _cached("store", lambda: StoreDetails.objects.order_by("pk").first())


def published_page(*, slug: str) -> ContentPage | None:
    return next((page for page in published(ContentPage) if page.slug == slug), None)


def faq_groups() -> list[dict]:
    """Published FAQs grouped, groups in the order of their first question: [{"name", "faqs"}]."""
    groups: dict[str, list] = {}
    for faq in published(Faq):
        groups.setdefault(faq.group, []).append(faq)
    return [{"name": name, "faqs": faqs} for name, faqs in groups.items()]


def footer_content() -> dict:
    """What the footer shows on every page: store details, published pages, whether FAQs exist (cached)."""
    return _cached("footer", lambda: {
        "store": StoreDetails.objects.order_by("pk").first(),
        "pages": [{"slug": slug, "title": title} for slug, title in
                  ContentPage.objects.filter(is_published=True).order_by("position").values_list("slug", "title")],
        "has_faqs": Faq.objects.filter(is_published=True).exists(),
    })


def footer_if_cached() -> dict | None:
    """The footer's content if the cache has it, else None: never a query (page renders stay in budget)."""
    version = content_cache_version()
    try:
        return cache.get(f"content:v{version}:footer") if version else None
    except Exception:  # noqa: BLE001 - a cache outage must not break the shop
        return None


# -- staff ----------------------------------------------------------------------------------------


def items_for_staff(model) -> list:
    return list(model.objects.order_by("position"))


def item_for_staff(model, *, item_id: str):
    try:
        pk = ObjectId(item_id)
    except (InvalidId, TypeError):
        return None
    return model.objects.filter(pk=pk).first()


def store_details_for_staff() -> StoreDetails | None:
    return StoreDetails.objects.order_by("pk").first()
