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

from locust import HttpUser, constant, task

FACTS = json.loads(open(os.environ["BENCH_FACTS"]).read()) if os.environ.get("BENCH_FACTS") else {}
_next_shopper = itertools.count()
_lock = threading.Lock()


def _shopper() -> dict:
    with _lock:
        return FACTS["shoppers"][next(_next_shopper) % len(FACTS["shoppers"])]


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

    def place_order(self, coupon: str = ""):
        body = {"address_id": self.me["address_id"], "shipping_method": "standard", "payment_method": "cod"}
        if coupon:
            body["coupon_code"] = coupon
        with self.client.post("/api/v1/orders", json=body, name="place order (COD)", catch_response=True,
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
                self.client.delete(f"/api/v1/cart/lines/{line['variant_id']}", headers=self.api_headers(),
                                   name="remove from cart")

    def on_start(self):
        super().on_start()
        # Start from an empty bag, so every user's first adds are measured alike.
        for line in self.client.get("/api/v1/cart", headers=self.api_headers(), name="bag").json()["lines"]:
            self.client.delete(f"/api/v1/cart/lines/{line['variant_id']}", headers=self.api_headers(),
                               name="remove from cart")


class OrderPlace(Shopper):
    @task
    def order(self):
        self.add_to_cart(name="add to cart (before an order)")
        self.place_order()


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
        self.add_to_cart(name="soak: add to cart")
        self.place_order(coupon=self.rng.choice(FACTS["coupons"]) if self.rng.random() < 0.5 else "")

