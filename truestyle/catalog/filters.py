"""Turn query-string parameters into ListingFilters: shared by the storefront and the API, so a
shareable storefront URL and an API call mean the same thing."""

from __future__ import annotations

import re

from truestyle.catalog.selectors import PRICE_BANDS, SORTS, ListingFilters
from truestyle.core.errors import StoreError

_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]{0,119}$")
PRICE_KEYS = {key for key, *_ in PRICE_BANDS}


def _many(params, name: str) -> tuple[str, ...]:
    values = []
    for raw in params.getlist(name):
        for value in str(raw).split(","):
            value = value.strip()
            if not value:
                continue
            if not _TOKEN.match(value):
                raise StoreError("A filter value is not valid.", code="invalid",
                                 fields={name: [f"Unknown value: {value[:40]}"]})
            values.append(value)
    return tuple(dict.fromkeys(values))


def _flag(params, name: str) -> bool:
    return str(params.get(name, "")).lower() in {"1", "true", "yes", "on"}


def listing_filters_from_query(params, *, default_page_size: int = 24, max_page_size: int = 96,
                               category: str = "") -> tuple[ListingFilters, int, int]:
    """(filters, page, page_size) from a QueryDict; refuses values that are not plain tokens."""
    sort = params.get("sort") or "newest"
    if sort not in SORTS:
        raise StoreError("Unknown sort order.", code="invalid", fields={"sort": [f"Choose one of: {', '.join(SORTS)}."]})
    prices = _many(params, "price")
    if set(prices) - PRICE_KEYS:
        raise StoreError("Unknown price range.", code="invalid", fields={"price": ["Unknown price range."]})
    try:
        page = int(params.get("page") or 1)
        page_size = int(params.get("page_size") or default_page_size)
    except ValueError:
        raise StoreError("Pages are whole numbers.", code="invalid", fields={"page": ["Enter a whole number."]})
    if page < 1 or not 1 <= page_size <= max_page_size:
        raise StoreError("Page out of range.", code="invalid",
                         fields={"page_size": [f"Choose between 1 and {max_page_size}."]})
    q = str(params.get("q") or "").strip()[:100]
    if any(ch in q for ch in "${}"):
        raise StoreError("Search for words only.", code="invalid", fields={"q": ["Search for words only."]})
    category = category or (_many(params, "category") or ("",))[0]
    return ListingFilters(
        q=q, category=category, brands=_many(params, "brand"), occasions=_many(params, "occasion"),
        sizes=_many(params, "size"), colours=_many(params, "colour"), price_bands=prices,
        in_stock=_flag(params, "in_stock"), my_size=_flag(params, "my_size"), sort=sort,
    ), page, page_size
