"""One soak shopper: a thread with its own HTTP session and sign-in that browses, fills a bag and
checks out against a running server, and writes down every answer it got (its `Tally`).

The mix follows the Locust `Soak` class (bench/locustfile.py): listing 4, product 3, add to bag 2,
check out 1 (half of the checkouts with a coupon). A bag never holds more than three pieces, so an
order stays below the cash-on-delivery limit (ORDER_COD_MAX_TOTAL): a refusal then has one of the
causes the soak provokes on purpose, a sold-out size or a used-up coupon.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

REQUEST_TIMEOUT = 30  # seconds; no request may hang the soak
BAG_BROWSING_MAX = 2  # pieces a shopper bags while browsing
BAG_CHECKOUT_MAX = 3  # pieces at checkout: 3 × ₹2,999 stays below the COD limit
# The refusals the soak provokes; any other 4xx is a fault of the store or of the soak.
EXPECTED_REFUSALS = {("add to bag", "not_enough_stock"), ("check out", "not_enough_stock"),
                     ("check out", "coupon_exhausted")}


@dataclass
class Catalogue:
    """What the shoppers pick from: slugs, the plentiful sizes, the scarce ones and the coupon codes."""

    slugs: list[str]
    variant_ids: list[str]
    scarce_ids: list[str]
    coupons: list[str]
    scarce_share: float = 0.25  # how often a shopper reaches for a scarce size


@dataclass
class Placed:
    number: str
    coupon_code: str
    quantities: dict[str, int]  # variant id -> pieces, as the 201 answer told them

    @property
    def units(self) -> int:
        return sum(self.quantities.values())


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)  # (action, HTTP status) -> answers
    refusals: Counter = field(default_factory=Counter)  # (action, error code) -> expected refusals
    unexpected: list[str] = field(default_factory=list)  # 5xx, unknown refusals, transport errors, crashes
    placed: list[Placed] = field(default_factory=list)
    coupon_tries: Counter = field(default_factory=Counter)  # coupon -> checkouts that reached the coupon


class SoakShopper(threading.Thread):
    def __init__(self, *, index: int, base_url: str, access_token: str, address_id: str, catalogue: Catalogue,
                 first_pick: str, start: threading.Barrier, deadline: float) -> None:
        super().__init__(name=f"soak-shopper-{index}", daemon=True)
        self.base_url = base_url
        self.address_id = address_id
        self.catalogue = catalogue
        self.first_pick = first_pick
        self.start_together = start
        self.deadline = deadline  # time.monotonic() when the shopper stops
        self.rng = random.Random(f"soak-{index}")
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
        self.bag_units = 0
        self.tally = Tally()

    def run(self) -> None:
        try:
            # Every shopper bags one scarce size, then all check out at once: more shoppers than
            # pieces, so some of these first checkouts must be refused, whatever the timing.
            self.bag_add(self.first_pick)
            self.start_together.wait(timeout=REQUEST_TIMEOUT * 2)
            self.check_out(coupon="")
            if not self.tally.placed:
                # Refused in the rush: bag a plentiful size instead, so every shopper buys something.
                self.bag_add(self.rng.choice(self.catalogue.variant_ids))
                self.check_out(coupon="")
            actions = [self.browse, self.product, self.bag, self.checkout_mixed]
            while time.monotonic() < self.deadline:
                self.rng.choices(actions, weights=[4, 3, 2, 1])[0]()
        except Exception:  # noqa: BLE001 (a crashed shopper is reported, never lost)
            self.tally.unexpected.append(f"{self.name} stopped: {traceback.format_exc(limit=3)}")
        finally:
            self.session.close()

    # --- The actions ---------------------------------------------------------------------------

    def browse(self) -> None:
        self.send("listing", "GET", "/shop/")

    def product(self) -> None:
        self.send("product", "GET", f"/api/v1/catalog/products/{self.rng.choice(self.catalogue.slugs)}")

    def bag(self) -> None:
        if self.bag_units < BAG_BROWSING_MAX:
            self.bag_add(self.pick())
        else:
            self.product()

    def checkout_mixed(self) -> None:
        if self.bag_units < BAG_CHECKOUT_MAX:
            self.bag_add(self.pick())
        self.check_out(coupon=self.rng.choice(self.catalogue.coupons) if self.rng.random() < 0.5 else "")

    # --- The requests behind them --------------------------------------------------------------

    def pick(self) -> str:
        pool = (self.catalogue.scarce_ids if self.rng.random() < self.catalogue.scarce_share
                else self.catalogue.variant_ids)
        return self.rng.choice(pool)

    def bag_add(self, variant_id: str) -> None:
        response = self.send("add to bag", "POST", "/api/v1/cart/lines",
                             json={"variant_id": variant_id, "quantity": 1})
        if response is not None and response.status_code == 200:
            self.bag_units = response.json()["item_count"]

    def check_out(self, *, coupon: str) -> None:
        if self.bag_units == 0:
            return
        body = {"address_id": self.address_id, "shipping_method": "standard", "payment_method": "cod"}
        if coupon:
            body["coupon_code"] = coupon
        response = self.send("check out", "POST", "/api/v1/orders", json=body,
                             headers={"Idempotency-Key": str(uuid.uuid4())})
        if response is None:
            return
        if response.status_code == 201:
            order = response.json()["order"]
            self.tally.placed.append(Placed(number=order["number"], coupon_code=order["coupon_code"],
                                            quantities={line["variant_id"]: line["quantity"]
                                                        for line in order["lines"]}))
            if coupon:
                self.tally.coupon_tries[coupon] += 1
            self.bag_units = 0  # the store empties the bag an order came from
            return
        error = response.json().get("error", {}) if response.status_code == 409 else {}
        if coupon and error.get("code") == "coupon_exhausted":
            self.tally.coupon_tries[coupon] += 1
        if error.get("code") == "not_enough_stock":
            # A sold-out size leaves the bag, as a shopper would take it out.
            for variant_id in error.get("fields", {}).get("lines", []):
                removed = self.send("take out of bag", "DELETE", f"/api/v1/cart/lines/{variant_id}")
                if removed is not None and removed.status_code == 200:
                    self.bag_units = removed.json()["item_count"]

    def send(self, action: str, method: str, path: str, **kwargs) -> requests.Response | None:
        """One request, bounded in time; every answer is counted, and any other than success or an
        expected refusal is kept with its body."""
        try:
            response = self.session.request(method, self.base_url + path, timeout=REQUEST_TIMEOUT, **kwargs)
        except requests.RequestException as error:
            self.tally.unexpected.append(f"{action} {path}: {error!r}")
            return None
        self.tally.statuses[(action, response.status_code)] += 1
        if response.status_code < 400:
            return response
        code = _error_code(response)
        if (action, code) in EXPECTED_REFUSALS and response.status_code == 409:
            self.tally.refusals[(action, code)] += 1
        else:
            self.tally.unexpected.append(f"{action} {path}: {response.status_code} {response.text[:300]}")
        return response


def _error_code(response: requests.Response) -> str:
    try:
        return response.json().get("error", {}).get("code", "")
    except ValueError:
        return ""


def tallies_merge(tallies: list[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.statuses.update(tally.statuses)
        total.refusals.update(tally.refusals)
        total.unexpected.extend(tally.unexpected)
        total.placed.extend(tally.placed)
        total.coupon_tries.update(tally.coupon_tries)
    return total
