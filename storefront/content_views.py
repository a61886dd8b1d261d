"""The store's own pages (about, policies, terms, FAQs) and the footer fragment, from published content.

Reads come from truestyle.cms.selectors, cached by the content cache version, so a staff change
shows on the next request. An unpublished or missing page is a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from truestyle.cms import selectors
from truestyle.cms.models import ContentPage

POLICY_SLUGS = (ContentPage.SHIPPING, ContentPage.RETURNS, ContentPage.PRIVACY)


def _page(request, slug: str):
    page = selectors.published_page(slug=slug)
    if page is None:
        raise Http404("No such page.")
    return render(request, "storefront/content/page.html", {"page": page})


@require_GET
def about(request):
    return _page(request, ContentPage.ABOUT)


@require_GET
def terms(request):
    return _page(request, ContentPage.TERMS)


@require_GET
def policy(request, slug: str):
    if slug not in POLICY_SLUGS:
        raise Http404("No such policy.")
    return _page(request, slug)


@require_GET
def faqs(request):
    return render(request, "storefront/content/faqs.html", {"groups": selectors.faq_groups()})


@require_GET
def footer(request):
    """The footer's inside, for pages rendered while the cache had no footer (this fills it)."""
    return render(request, "storefront/content/_footer.html", {"FOOTER": selectors.footer_content()})
