#!/usr/bin/env python3
"""The mobile app's flow against a running store, with the standard library only.

    python3 scripts/mobile_flow.py [BASE_URL]        # default http://127.0.0.1:8000 (`make run`)

Registers a new shopper, signs in, browses the catalogue, adds an in-stock size to the bag,
adds an address, quotes the checkout, places a cash-on-delivery order, refreshes the token,
reads the order with the new token and signs out. Prints each step; exits non-zero on a failure.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import uuid

COD_LIMIT = 10000  # the store's cash-on-delivery maximum (INR): pick something cheaper


class FlowError(Exception):
    pass


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None,
         headers: dict | None = None, expect: tuple[int, ...] = (200,)):
    """One JSON request; returns the decoded body (None for 204). Raises FlowError on another status."""
    request = urllib.request.Request(base.rstrip("/") + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Accept", "application/json")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    if status not in expect:
        raise FlowError(f"{method} {path} answered {status}: {raw.decode(errors='replace')}")
    return json.loads(raw) if raw else None


def run(base: str = "http://127.0.0.1:8000", say=print) -> dict:
    email = f"mobile-{uuid.uuid4().hex[:10]}@example.com"
    password = "Blue-kurta-" + uuid.uuid4().hex[:8]

    call(base, "POST", "/api/v1/auth/register", {"email": email, "name": "Meera Iyer", "password": password},
         expect=(201,))
    say(f"1. registered {email}")

    tokens = call(base, "POST", "/api/v1/auth/token", {"email": email, "password": password, "device": "Pixel 9"})
    access, refresh = tokens["access"], tokens["refresh"]
    say(f"2. signed in (access token valid {tokens['expires_in']} s)")

    listing = call(base, "GET", "/api/v1/catalog/products?in_stock=true&sort=price_asc&page_size=24")
    card = next((c for c in listing["results"] if float(c["price"]) < COD_LIMIT and c["sizes_in_stock"]), None)
    if card is None:
        raise FlowError("the catalogue has nothing in stock (run `make run` once to load the demo catalogue)")
    product = call(base, "GET", f"/api/v1/catalog/products/{card['slug']}")
    colourway = next(c for c in product["colourways"] if c["id"] == card["colourway_id"])
    size = next(s for s in colourway["sizes"] if s["in_stock"])
    say(f"3. browsed {listing['count']} products; chose {product['name']} ({colourway['name']}, {size['size']}) "
        f"at ₹{product['price']}")

    bag = call(base, "POST", "/api/v1/cart/lines", {"variant_id": size["variant_id"], "quantity": 1}, access)
    say(f"4. added to the bag: {bag['item_count']} item, subtotal ₹{bag['subtotal']}")

    address = call(base, "POST", "/api/v1/me/addresses", {
        "label": "Home", "name": "Meera Iyer", "phone": "9876543210", "line1": "12 MG Road", "city": "Bengaluru",
        "state": "Karnataka", "pincode": "560001", "is_default": True}, access, expect=(201,))
    checkout = {"address_id": address["id"], "shipping_method": "standard", "payment_method": "cod"}
    quote = call(base, "POST", "/api/v1/checkout/quote", checkout, access)
    if not quote["cod_available"]:
        raise FlowError(f"cash on delivery is not available: {quote['cod_unavailable_reason']}")
    say(f"5. quoted: subtotal ₹{quote['subtotal']} + shipping ₹{quote['shipping_fee']} = ₹{quote['total']}")

    key = str(uuid.uuid4())  # one per checkout; send the same one again only to retry this checkout
    placed = call(base, "POST", "/api/v1/orders", {**checkout, "expected_total": quote["total"]}, access,
                  headers={"Idempotency-Key": key}, expect=(201,))
    order = placed["order"]
    say(f"6. placed order {order['number']}: {order['status']}, ₹{order['total']} cash on delivery")

    tokens = call(base, "POST", "/api/v1/auth/token/refresh", {"refresh": refresh})
    access, refresh = tokens["access"], tokens["refresh"]
    again = call(base, "GET", f"/api/v1/orders/{order['number']}", token=access)
    say(f"7. refreshed the token; the order is {again['status']}")

    call(base, "POST", "/api/v1/auth/logout", {"refresh": refresh}, access, expect=(204,))
    call(base, "POST", "/api/v1/auth/token/refresh", {"refresh": refresh}, expect=(401,))
    say("8. signed out (the refresh token no longer works)")
    return {"email": email, "order_number": order["number"], "total": order["total"]}


if __name__ == "__main__":
    try:
        run(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
    except (FlowError, urllib.error.URLError) as error:
        print(f"failed: {error}", file=sys.stderr)
        sys.exit(1)
