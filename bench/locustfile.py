"""Locust shoppers for `make bench` (run by bench/load.py, one user class at a time).

Each class hammers one endpoint; `Soak` mixes browsing, bags and checkouts. Sign-ins are minted
before the run (bench/run.py writes them with the dataset's facts to the file BENCH_FACTS names),
so the load measures the endpoints, not password hashing.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid
from decimal import Decimal

from locust import HttpUser, constant, task

FACTS = json.loads(open(os.environ["BENCH_FACTS"]).read()) if os.environ.get("BENCH_FACTS") else {}
_next_shopper = itertools.count()
COD_BAG_LIMIT = Decimal("9000")
_lock = threading.Lock()


def _shopper() -> dict:
    with _lock:
        return FACTS["shoppers"][next(_next_shopper) % len(FACTS["shoppers"])]


def _payment_for(bag: dict) -> str:
    """Cash on delivery only below the store's limit (₹10,000 with shipping), as the checkout page offers
    it; a larger bag (one a timed-out checkout left full) is paid by UPI: the order awaits payment."""
    return "cod" if Decimal(str(bag.get("subtotal", "0"))) < COD_BAG_LIMIT else "upi"


class Shopper(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        self.me = _shopper()
        self.rng = random.Random(self.me["email"])

    def api_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.me['access']}", "Accept": "application/json"}

    def add_to_cart(self, name="add to cart"):
        variant = self.rng.choice(FACTS["variant_ids"])
        with self.client.post("/api/v1/cart/lines", json={"variant_id": variant, "quantity": 1},
                              headers=self.api_headers(), name=name, catch_response=True) as response:
            if response.status_code in (200, 201):
                response.success()
                return response.json()
            if response.status_code == 409:  # sold out meanwhile: an answer, not an error
                response.success()
            return None

    def place_order(self, coupon: str = "", payment_method: str = "cod"):
        body = {"address_id": self.me["address_id"], "shipping_method": "standard", "payment_method": payment_method}
        if coupon:
            body["coupon_code"] = coupon
        with self.client.post("/api/v1/orders", json=body, name=f"place order ({payment_method.upper()})",
                              catch_response=True,
                              headers={**self.api_headers(), "Idempotency-Key": str(uuid.uuid4())}) as response:
            # 409: sold out, or a coupon used up by someone else: a clear refusal, not an error.
            if response.status_code in (201, 409):
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class ListingFull(Shopper):
    @task
    def listing(self):
        self.client.get("/shop/", name="listing (full, cached)")


class ListingFragment(Shopper):
    @task
    def fragment(self):
        self.client.get("/shop/?sort=price_asc", headers={"HX-Request": "true"}, name="listing (htmx, cached)")


class ListingUncached(Shopper):
    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", self.me["session"])

    @task
    def listing(self):
        self.client.get("/shop/", name="listing (signed in, uncached)")


class ProductPage(Shopper):
    @task
    def product(self):
        self.client.get(f"/p/{self.rng.choice(FACTS['slugs'])}/", name="product page")


class ApiProducts(Shopper):
    @task
    def products(self):
        self.client.get("/api/v1/catalog/products?page_size=24", name="API product list")


class ApiProduct(Shopper):
    @task
    def product(self):
        self.client.get(f"/api/v1/catalog/products/{self.rng.choice(FACTS['slugs'])}", name="API product detail")


class CartAdd(Shopper):
    @task
    def add(self):
        bag = self.add_to_cart()
        if bag and bag.get("item_count", 0) >= 8:
            for line in bag["lines"]:
                self._remove(line["variant_id"])

    def _remove(self, variant_id: str) -> None:
        with self.client.delete(f"/api/v1/cart/lines/{variant_id}", headers=self.api_headers(),
                                name="remove from cart", catch_response=True) as response:
            if response.status_code in (200, 204, 404):  # 404: already gone (a bag shared by two users)
                response.success()

    def on_start(self):
        super().on_start()
        # Start from an empty bag, so every user's first adds are measured alike.
        for line in self.client.get("/api/v1/cart", headers=self.api_headers(), name="bag").json()["lines"]:
            self._remove(line["variant_id"])


class OrderPlace(Shopper):
    @task
    def order(self):
        bag = self.add_to_cart(name="add to cart (before an order)")
        if bag:  # not when the size sold out meanwhile
            self.place_order(payment_method=_payment_for(bag))


class GridFSImage(Shopper):
    @task
    def image(self):
        self.client.get(f"/files/{self.rng.choice(FACTS['images'])}", name="GridFS image")


class BareView(Shopper):
    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare view")


class Soak(Shopper):
    """Browse, fill a bag, sometimes check out, sometimes with a scarce coupon."""

    @task(4)
    def browse(self):
        self.client.get("/shop/", name="soak: listing")

    @task(3)
    def product(self):
        self.client.get(f"/api/v1/catalog/products/{self.rng.choice(FACTS['slugs'])}", name="soak: product")

    @task(2)
    def bag(self):
        self.add_to_cart(name="soak: add to cart")

    @task(1)
    def checkout(self):
        bag = self.add_to_cart(name="soak: add to cart") or self.client.get(
            "/api/v1/cart", headers=self.api_headers(), name="soak: bag").json()
        # Cash on delivery only below the store's limit (₹10,000 with shipping), as the checkout page
        # offers it; a larger bag is paid by UPI (the order awaits payment, and expires unpaid).
        if not bag.get("item_count"):
            return  # the size sold out meanwhile and the bag is empty: nothing to check out
        method = "cod" if Decimal(str(bag.get("subtotal", "0"))) < COD_BAG_LIMIT else "upi"
        self.place_order(coupon=self.rng.choice(FACTS["coupons"]) if self.rng.random() < 0.5 else "",
                         payment_method=method)

