"""What the Locust shoppers need, written to a JSON file before each load run: the dataset's slugs,
in-stock variants, image names and coupon codes, and one signed-in shopper per simulated user
(a fresh API access token and a browser session cookie, minted here rather than by signing in)."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from bench.endpoints import DatasetFacts
from truestyle.accounts.models import Address
from truestyle.accounts.services.tokens import token_pair_issue
from truestyle.promotions.models import Coupon


def facts_write(path: Path, *, shoppers: int) -> None:
    facts = DatasetFacts.load(products=100_000, shoppers=shoppers)
    addresses = {user_id: str(pk) for pk, user_id in Address.objects.filter(is_default=True)
                 .values_list("pk", "user_id")}
    people = []
    for user in facts.shoppers:
        access, _refresh = token_pair_issue(user=user, device="load test", ip="127.0.0.1")
        browser = Client()
        browser.force_login(user)
        people.append({"email": user.email, "access": access, "session": browser.cookies["sessionid"].value,
                       "address_id": addresses[user.pk]})
    path.write_text(json.dumps({
        "slugs": facts.slugs, "variant_ids": facts.variant_ids, "images": facts.images, "shoppers": people,
        "coupons": list(Coupon.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)),
    }))
