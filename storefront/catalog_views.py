"""The storefront's catalogue pages: home, listings with facets, the product page and its waitlist form.

Each page is one htmx view (ARCHITECTURE.md, example 5): the full page, or only its fragment
(`"page.html#fragment"`) when htmx asks for it. Every htmx link and form also works as a plain
link or GET form, so the same URL works without JavaScript and can be shared.

Anonymous home and listing responses are cached for a short while under a key that holds the
full URL, whether it is a fragment, and the catalogue version (truestyle.catalog.cache), which
every catalogue service bumps after a change: the next request after a change misses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from truestyle.analytics.selectors import trending_product_ids
from truestyle.analytics.trending import activity_record
from truestyle.catalog import selectors
from truestyle.catalog.cache import catalog_cache_version
from truestyle.catalog.filters import listing_filters_from_query
from truestyle.catalog.models import Brand, Category, Occasion
from truestyle.catalog.services import waitlist_join
from truestyle.core.errors import StoreError

LISTING_PAGE_SIZE = 24
MAX_PAGE_SIZE = 48
HOME_CARDS = 8
CACHE_SECONDS = 60
CSRF_IN_PAGE = re.compile(rb'"X-CSRFToken": "([A-Za-z0-9]+)"')
CSRF_PLACEHOLDER = b"__CSRF_TOKEN__"
FACETS = [  # (facet key in ListingPage.facets, query parameter, heading)
    ("brands", "brand", "Brand"),
    ("sizes", "size", "Size"),
    ("colours", "colour", "Colour"),
    ("price_bands", "price", "Price"),
    ("occasions", "occasion", "Occasion"),
]


def _wants_fragment(request) -> bool:
    # A history restore (back button after htmx pushed the URL) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def cached_for_anonymous(view):
    """Serve anonymous GETs from the cache for CACHE_SECONDS; always `Vary: HX-Request`.

    The cached copy never carries someone else's CSRF token: it is stored with a placeholder and
    each hit gets the visitor's own token (and cookie), so htmx requests from a cached page work.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (request.method in ("GET", "HEAD") and not request.user.is_authenticated
                     and "messages" not in request.COOKIES)
        if not cacheable:
            response = view(request, *args, **kwargs)
        else:
            key = _cache_key(request)
            stored = cache.get(key)
            if stored is not None:
                response = HttpResponse(stored["content"].replace(CSRF_PLACEHOLDER, get_token(request).encode()),
                                        content_type=stored["content_type"])
                response["X-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    cache.set(key, {"content": _without_csrf_token(response.content),
                                    "content_type": response["Content-Type"]}, CACHE_SECONDS)
                response["X-Cache"] = "miss"
        patch_vary_headers(response, ["HX-Request"])
        return response

    return wrapper


def _cache_key(request) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    kind = "fragment" if _wants_fragment(request) else "page"
    return f"catalog:page:v{catalog_cache_version()}:{kind}:{url}"


def _without_csrf_token(content: bytes) -> bytes:
    match = CSRF_IN_PAGE.search(content)
    return content.replace(match.group(1), CSRF_PLACEHOLDER) if match else content


# --- home ---------------------------------------------------------------------------------------


@require_GET
@cached_for_anonymous
def home(request):
    featured = selectors.product_listing(filters=selectors.ListingFilters(featured=True), page_size=HOME_CARDS * 3)
    newest = selectors.product_listing(filters=selectors.ListingFilters(sort="newest"), page_size=HOME_CARDS * 3)
    trending = selectors.product_cards(product_ids=trending_product_ids(limit=HOME_CARDS))
    from truestyle.cms.selectors import home_content  # store content: banners, cards, steps, testimonials

    return render(request, "storefront/home.html", {"featured": _one_per_product(featured.cards),
                                                    "new_arrivals": _one_per_product(newest.cards),
                                                    "trending": trending, "content": home_content()})


def _one_per_product(cards: list) -> list:
    """A shelf shows each product once (its first colourway); its other colours are the card's dots."""
    seen, shelf = set(), []
    for card in cards:
        if card.product_id not in seen:
            seen.add(card.product_id)
            shelf.append(card)
    return shelf[:HOME_CARDS]


# --- listings -----------------------------------------------------------------------------------


@require_GET
@cached_for_anonymous
def shop(request):
    q = request.GET.get("q", "").strip()
    return _listing(request, title=f"Results for “{q[:100]}”" if q else "All clothing",
                    crumbs=[("Shop", None)])


@require_GET
@cached_for_anonymous
def shop_category(request, category_path: str):
    category = Category.objects.filter(path=category_path.strip("/"), is_active=True).first()
    if category is None:
        raise Http404("No such category.")
    ancestors = category.path.split("/")
    paths = ["/".join(ancestors[: i + 1]) for i in range(len(ancestors))]
    crumbs = [("Shop", reverse("storefront:shop"))]
    crumbs += [(c.name, reverse("storefront:shop-category", args=[c.path]) if c.pk != category.pk else None)
               for c in sorted(Category.objects.filter(path__in=paths), key=lambda c: c.depth)]
    return _listing(request, title=category.name, crumbs=crumbs, fixed={"category": category.path})


@require_GET
@cached_for_anonymous
def shop_brand(request, slug: str):
    brand = Brand.objects.filter(slug=slug, is_active=True).first()
    if brand is None:
        raise Http404("No such brand.")
    return _listing(request, title=brand.name, intro=brand.description,
                    crumbs=[("Shop", reverse("storefront:shop")), (brand.name, None)],
                    fixed={"brands": (brand.slug,)}, hide={"brands"})


@require_GET
@cached_for_anonymous
def shop_occasion(request, slug: str):
    occasion = Occasion.objects.filter(slug=slug).first()
    if occasion is None:
        raise Http404("No such occasion.")
    return _listing(request, title=f"Dressed for {occasion.name.lower()}",
                    crumbs=[("Shop", reverse("storefront:shop")), (occasion.name, None)],
                    fixed={"occasions": (occasion.slug,)}, hide={"occasions"})


def _listing(request, *, title: str, crumbs: list, fixed: dict | None = None, hide: frozenset | set = frozenset(),
             intro: str = ""):
    """The listing page (or its results fragment) for the query string, with `fixed` filters on top."""
    fixed = fixed or {}
    try:
        filters, page, page_size = listing_filters_from_query(
            request.GET, default_page_size=LISTING_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE,
            category=fixed.get("category", ""))
    except StoreError as error:
        return render(request, "storefront/catalog/bad_filter.html",
                      {"error": error, "problems": [m for ms in error.fields.values() for m in ms],
                       "clear_url": request.path}, status=error.status)
    filters = replace(filters, **{k: v for k, v in fixed.items() if k != "category"})
    signed_in = request.user.is_authenticated
    if not signed_in:
        filters = replace(filters, my_size=False)
    listing = selectors.product_listing(filters=filters, page=page, page_size=page_size,
                                        user=request.user if signed_in else None)
    context = {
        "title": title, "intro": intro, "crumbs": crumbs, "listing": listing, "filters": filters,
        "facet_groups": [
            {"key": key, "param": param, "label": label, "values": listing.facets[key]}
            for key, param, label in FACETS if key not in hide and listing.facets[key]
        ],
        "in_stock": listing.facets["in_stock"][0],
        "my_size": listing.facets["my_size"][0] if signed_in else None,
        "sorts": selectors.SORTS.items(),
        "page_size": request.GET.get("page_size", ""),
        "chips": _chips(request, listing, hide),
        "clear_url": request.path + (f"?{urlencode({'q': filters.q})}" if filters.q else ""),
        "pagination": _pagination(request, listing),
        "categories": selectors.category_tree() if "category" not in fixed else [],
    }
    template = "storefront/catalog/listing.html"
    return render(request, f"{template}#results" if _wants_fragment(request) else template, context)


def _url_with(request, **changes) -> str:
    """This page's URL with some query parameters replaced (None removes one) and the page reset."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        elif isinstance(value, list):
            params.setlist(name, value)
        else:
            params[name] = value
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


def _chips(request, listing, hide) -> list[dict]:
    """The chosen filters, each with the URL that removes it."""
    chips = []
    for key, param, label in FACETS:
        if key in hide:
            continue
        for value in listing.facets[key]:
            if value.selected:
                rest = [v for raw in request.GET.getlist(param) for v in raw.split(",") if v and v != value.value]
                chips.append({"label": f"{label}: {value.label}", "url": _url_with(request, **{param: rest or None})})
    if listing.filters.in_stock:
        chips.append({"label": "In stock only", "url": _url_with(request, in_stock=None)})
    if listing.filters.my_size:
        chips.append({"label": "In my size", "url": _url_with(request, my_size=None)})
    return chips


def _pagination(request, listing) -> list[dict]:
    """Page links: first, last, and two either side of the current page, with gaps marked."""
    if listing.pages <= 1:
        return []
    shown = sorted({1, listing.pages, *range(max(1, listing.page - 2), min(listing.pages, listing.page + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append({"gap": True})
        params = request.GET.copy()
        params["page"] = number
        links.append({"number": number, "url": f"{request.path}?{params.urlencode()}",
                      "current": number == listing.page})
        previous = number
    return links


# --- product page -------------------------------------------------------------------------------


@require_GET
def product_detail(request, slug: str):
    page = selectors.product_page(slug=slug, colour=request.GET.get("colour", ""))
    if page is None:
        raise Http404("No such product.")
    template = "storefront/catalog/product.html"
    fragment = _wants_fragment(request)
    if not fragment:  # a colour swap is the same visit, not another view
        activity_record(product_id=page.product.pk, kind="views")
    response = render(request, f"{template}#product-main" if fragment else template,
                      _product_context(request, page))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def product_waitlist_join(request, slug: str):
    """'Notify me when back' for a sold-out size of this product; anonymous shoppers give an email."""
    page = selectors.product_page(slug=slug, colour=request.POST.get("colour", ""))
    if page is None:
        raise Http404("No such product.")
    sizes = {size["variant_id"]: (colour, size) for colour in page.colourways for size in colour["sizes"]}
    variant_id = request.POST.get("variant", "")
    signed_in = request.user.is_authenticated
    email = (request.POST.get("email") or (request.user.email if signed_in else "")).strip()
    try:
        if variant_id not in sizes:
            raise StoreError("Choose a size of this product.", code="invalid", fields={"variant": ["Choose a size."]})
        waitlist_join(variant_id=variant_id, email=email, user_id=str(request.user.pk) if signed_in else "")
    except StoreError as error:
        context = _product_context(request, page, waitlist={"error": error.message, "email": email,
                                                             "variant": variant_id})
        if request.htmx:  # htmx swaps only 2xx responses; the message is in the fragment
            return render(request, "storefront/catalog/product.html#waitlist", context)
        return render(request, "storefront/catalog/product.html", context, status=error.status)
    colour, size = sizes[variant_id]
    done = f"Done: we will email {email.lower()} when {size['size']} in {colour['name']} is back."
    if request.htmx:
        return render(request, "storefront/catalog/product.html#waitlist",
                      _product_context(request, page, waitlist={"done": done}))
    messages.success(request, done)
    return redirect(f"{reverse('storefront:product', args=[slug])}?colour={colour['slug']}")


def _product_context(request, page: selectors.ProductPage, *, waitlist: dict | None = None) -> dict:
    selected = next((c for c in page.colourways if c["slug"] == page.selected_colour), None)
    sizes = selected["sizes"] if selected else []
    chart = page.size_chart or {}
    chart_sizes = chart.get("sizes", [])
    chart_rows = [{"name": row["name"], "values": [_measure(row["values"].get(size)) for size in chart_sizes]}
                  for row in chart.get("measurements", [])]
    waitlist = waitlist or {}
    return {
        "page": page, "product": page.product, "selected": selected,
        "sold_out": [size for size in sizes if not size["in_stock"]],
        "any_in_stock": any(size["in_stock"] for size in sizes),
        "chart": chart, "chart_rows": chart_rows,
        "waitlist": waitlist,
        "waitlist_email": waitlist.get("email") or (request.user.email if request.user.is_authenticated else ""),
    }


def _measure(value) -> str:
    if value is None:
        return "–"
    value = float(value)
    return f"{value:.0f}" if value.is_integer() else f"{value:g}"
