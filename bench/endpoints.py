"""The requests the benchmark measures, made in-process through the whole middleware stack.

One list serves two purposes: `make bench` times each request and counts its database operations on
the seeded dataset, and the query-budget test (bench/tests/test_query_budgets.py) counts them on a
small dataset in the suite and fails when one grows past its budget (bench/budgets.py).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from truestyle.accounts.models import Address, User
from truestyle.catalog.models import Product, ProductImage, Variant


@dataclass(frozen=True)
class Endpoint:
    key: str
    title: str
    # (prepare before each timed request, the timed request) for a dataset
    make: Callable[[DatasetFacts], tuple[Callable[[], None], Callable[[], object]]]
    expect: tuple[int, ...] = (200,)
    floor: str = ""  # the raw-driver floor it is compared with (bench/floors.py), if any


@dataclass
class DatasetFacts:
    """What the requests need from the seeded data: found in the database, not assumed."""

    slugs: list[str]
    variant_ids: list[str]
    images: list[str]
    shoppers: list[User]

    @classmethod
    def load(cls, *, products: int = 60, shoppers: int = 8) -> DatasetFacts:
        chosen = list(Product.objects.filter(is_active=True).order_by("slug").values_list("pk", "slug")[:products])
        slugs = [slug for _pk, slug in chosen]
        variant_ids = [str(pk) for pk in Variant.objects.filter(stock__gte=20, product_id__in=[pk for pk, _ in chosen])
                       .order_by("sku").values_list("pk", flat=True)[:2000]]
        images = list(ProductImage.objects.order_by("image").values_list("image", flat=True)[:500])
        with_address = set(Address.objects.values_list("user_id", flat=True))
        users = [user for user in User.objects.filter(is_staff=False).order_by("email")[:200]
                 if user.pk in with_address][:shoppers]
        if not (slugs and variant_ids and images and users):
            raise RuntimeError("the benchmark dataset is missing (run `manage.py seed_bench`)")
        return cls(slugs=slugs, variant_ids=variant_ids, images=images, shoppers=users)


def _anonymous() -> Client:
    return Client()


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: User) -> Client:
    from truestyle.accounts.services.tokens import token_pair_issue

    access, _refresh = token_pair_issue(user=user, device="benchmark", ip="127.0.0.1")
    return Client(HTTP_AUTHORIZATION=f"Bearer {access}")


def _nothing() -> None:
    return None


def _get(client: Client, paths, **headers):
    cycle = itertools.cycle(paths)
    return _nothing, lambda: client.get(next(cycle), **headers)


def listing_full(facts):
    return _get(_anonymous(), ["/shop/"])


def listing_fragment(facts):
    return _get(_anonymous(), ["/shop/?sort=price_asc"], HTTP_HX_REQUEST="true")


def listing_uncached(facts):
    # A signed-in shopper's listing is never served from the cache.
    return _get(_signed_in(facts.shoppers[0]), ["/shop/"])


def product_page(facts):
    return _get(_anonymous(), [f"/p/{slug}/" for slug in facts.slugs])


def product_page_again(facts):
    # The same product viewed again: what most views of a popular product are.
    return _get(_anonymous(), [f"/p/{facts.slugs[0]}/"])


def api_products(facts):
    return _get(_anonymous(), ["/api/v1/catalog/products?page_size=24"])


def api_product(facts):
    return _get(_anonymous(), [f"/api/v1/catalog/products/{slug}" for slug in facts.slugs])


def gridfs_image(facts):
    return _get(_anonymous(), [f"/files/{name}" for name in facts.images])


def bare_view(facts):
    return _get(_anonymous(), ["/bench/bare/"])


def _cart_add(client: Client, variant_id: str):
    return client.post("/api/v1/cart/lines", {"variant_id": variant_id, "quantity": 1},
                       content_type="application/json")


def cart_add(facts):
    client = _api(facts.shoppers[1 % len(facts.shoppers)])
    variants = itertools.cycle(facts.variant_ids)

    def prepare():
        # A bag holds a few lines at a time, as a shopper's does: empty it now and then.
        if client.get("/api/v1/cart").json().get("item_count", 0) >= 8:
            for line in client.get("/api/v1/cart").json()["lines"]:
                client.delete(f"/api/v1/cart/lines/{line['variant_id']}")

    return prepare, lambda: _cart_add(client, next(variants))


def order_place_cod(facts):
    shopper = facts.shoppers[2 % len(facts.shoppers)]
    client = _api(shopper)
    address_id = str(Address.objects.filter(user=shopper).values_list("pk", flat=True).first())
    variants = itertools.cycle(facts.variant_ids)

    def prepare():
        response = _cart_add(client, next(variants))
        if response.status_code not in (200, 201):
            raise RuntimeError(f"could not fill the bag: {response.status_code} {response.content[:200]!r}")

    def place():
        return client.post("/api/v1/orders", {"address_id": address_id, "shipping_method": "standard",
                                              "payment_method": "cod"},
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    return prepare, place


ENDPOINTS = [
    Endpoint("listing_full", "Storefront listing, full page (cached)", listing_full, floor="listing"),
    Endpoint("listing_fragment", "Storefront listing, htmx fragment (cached)", listing_fragment, floor="listing"),
    Endpoint("listing_uncached", "Storefront listing, signed in (no page cache)", listing_uncached, floor="listing"),
    Endpoint("product_page", "Product page, first view", product_page, floor="product"),
    Endpoint("product_page_again", "Product page, viewed again", product_page_again, floor="product"),
    Endpoint("api_products", "API product list", api_products, floor="listing"),
    Endpoint("api_product", "API product detail", api_product, floor="product"),
    Endpoint("cart_add", "Add to cart (API)", cart_add, expect=(200, 201)),
    Endpoint("order_place_cod", "Place order, COD (API)", order_place_cod, expect=(201,), floor="place"),
    Endpoint("gridfs_image", "Product image from GridFS", gridfs_image),
    Endpoint("bare_view", "Bare Django view (floor)", bare_view),
]
