"""Operator-shaped input ("$" keys and values, dotted keys) is refused on every API view (api/middleware.py)."""

import re

import pytest

from api.tests.schema_walk import operations
from truestyle.accounts.models import Address
from truestyle.catalog.tests.factories import product_create, variant_create

HOME = {"label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "city": "Bengaluru",
        "state": "Karnataka", "pincode": "560001"}
OPERATIONS = operations()


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "65f000000000000000000000", path)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPERATIONS],
                         ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_refuses_a_dollar_query_value(api, db, method, path):
    response = api.generic(method, _url(path) + "?sort=%24natural&%24where=1")

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid_input",
                                         "message": "The request contains operator-like keys or values.",
                                         "fields": {"sort": ["Query parameters may not start with '$'."],
                                                    "$where": ["Query parameters may not start with '$'."]}}}


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPERATIONS if m in {"POST", "PUT", "PATCH"}],
                         ids=[f"{m} {p}" for m, p, _ in OPERATIONS if m in {"POST", "PUT", "PATCH"}])
def test_every_operation_with_a_body_refuses_operator_keys(api, db, method, path):
    response = api.generic(method, _url(path), '{"email": {"$ne": ""}}', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["fields"] == {"email.$ne": ["Keys may not contain '$' or '.'."]}


def test_keys_are_checked_at_any_depth_and_nothing_is_written(signed_in):
    body = {**HOME, "line2": {"nested": [{"ok": 1}, {"$set": {"is_default": True}}]}, "profile.name": "x"}

    response = signed_in.post("/api/v1/me/addresses", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["fields"] == {"line2.nested.1.$set": ["Keys may not contain '$' or '.'."],
                                                  "profile.name": ["Keys may not contain '$' or '.'."]}
    assert Address.objects.count() == 0


def test_a_vendor_json_content_type_is_checked_too(api, db):
    response = api.post("/api/v1/auth/token", '{"$where": "1"}', content_type="application/vnd.api+json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"$where": ["Keys may not contain '$' or '.'."]}


def test_dollar_signs_and_dots_inside_ordinary_values_pass(api, signed_in, db):
    variant_create(product=product_create(name="Dollar Tee", slug="dollar-tee"), stock=1)

    listing = api.get("/api/v1/catalog/products", {"q": "dollar", "brand": "loom", "sort": "newest"})
    saved = signed_in.post("/api/v1/me/addresses", {**HOME, "line1": "Flat $2, 3.5 Cross"}, format="json")

    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert saved.status_code == 201
    assert Address.objects.get().line1 == "Flat $2, 3.5 Cross"


def test_the_guard_covers_unknown_api_urls_but_not_pages(client, db):
    api_response = client.get("/api/v1/not-yet-built?%24gt=1")
    page_response = client.get("/?%24gt=1")

    assert api_response.status_code == 400
    assert api_response.json()["error"]["code"] == "invalid_input"
    assert page_response.status_code == 200


def test_a_body_nested_too_deeply_is_a_400_not_a_server_error(api, db):
    response = api.post("/api/v1/auth/token", "[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid_input", "message": "The body is nested too deeply.",
                                        "fields": {"non_field_errors": ["The body is nested too deeply."]}}
