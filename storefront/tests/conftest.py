"""Fixtures of the storefront tests: a shopper, and browsers signed in as them through the sign-in page."""

import pytest
from django.test import Client

from truestyle.accounts.tests.factories import PASSWORD, user_create

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"


@pytest.fixture
def shopper(db):
    return user_create()


def signed_in_client(user, *, user_agent: str = USER_AGENT, ip: str = "127.0.0.1") -> Client:
    """A browser that signed in through the page, so its session knows its device and address."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post("/account/sign-in/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def shopper_client(shopper):
    return signed_in_client(shopper)
