import pytest
from rest_framework.test import APIClient

from truestyle.accounts import services
from truestyle.accounts.tests.factories import PASSWORD, user_create


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def shopper(db):
    return user_create()


@pytest.fixture
def signed_in(api, shopper):
    """An API client with a bearer token for `shopper`, and the refresh token."""
    access, refresh = services.token_pair_issue(user=shopper, device="Pixel 9", ip="127.0.0.1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    api.refresh_token = refresh
    return api


__all__ = ["PASSWORD"]
