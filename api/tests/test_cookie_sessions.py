"""A browser's cookie session never signs in to the API: the API takes bearer tokens only.

DRF views are exempt from Django's CSRF middleware, so an API that believed the
session cookie would let any web page post as the signed-in shopper. The only
cookie-based authentication allowed is DRF's SessionAuthentication, which runs
the CSRF check itself.
"""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication

from api.authentication import StoreJWTAuthentication

from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create

HOME = {"label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "city": "Bengaluru",
        "state": "Karnataka", "pincode": "560001"}


def _api_view_classes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_view_classes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/") and hasattr(pattern.callback, "cls"):
            yield route, pattern.callback.cls


def test_every_api_view_authenticates_by_bearer_token_or_with_csrf():
    views = list(_api_view_classes())
    # A new authentication class must be reviewed here: header-only, or a SessionAuthentication (CSRF enforced).
    unreviewed = [(route, type(auth).__name__) for route, view in views for auth in view().get_authenticators()
                  if not isinstance(auth, (StoreJWTAuthentication, SessionAuthentication))]

    assert len(views) >= 20
    assert unreviewed == []


def test_a_cookie_session_without_csrf_cannot_write_through_the_api(db):
    shopper = user_create()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(shopper)

    response = browser.post("/api/v1/me/addresses", HOME, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Address.objects.count() == 0


def test_a_cookie_session_is_not_a_sign_in_even_with_a_csrf_token(db):
    shopper = user_create()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(shopper)
    token = "k" * 32  # a CSRF secret Django's own check would accept as cookie and header
    browser.cookies["csrftoken"] = token

    read = browser.get("/api/v1/me")
    written = browser.post("/api/v1/me/addresses", HOME, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert (read.status_code, written.status_code) == (401, 401)
    assert Address.objects.count() == 0
