"""The staff customer pages in a real browser: search with htmx, open a customer, block them."""

import pytest
from django.contrib.auth.models import Group

from truestyle.accounts.models import User
from truestyle.accounts.tests.factories import PASSWORD, user_create

pytestmark = pytest.mark.browser


def test_an_administrator_finds_a_customer_and_blocks_them(db, live_server, page):
    admin = user_create(email="admin@example.com", name="Store Admin")
    admin.groups.add(Group.objects.get(name="administrator"))
    user_create(email="meera@example.com", name="Meera Iyer")
    user_create(email="ravi@example.com", name="Ravi Kumar")

    page.goto(live_server.url + "/staff/customers/")
    page.fill("#id_email", "admin@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/customers/")
    assert page.locator("#customer-results tbody tr").count() == 3

    page.evaluate("window.stillHere = true")
    page.fill("#id_q", "meera")
    page.click("text=Search")
    page.wait_for_url(live_server.url + "/staff/customers/?q=meera&status=")
    assert page.locator("#customer-results tbody tr").count() == 1
    assert page.evaluate("window.stillHere") is True  # htmx swapped the results and pushed the URL

    page.click("text=meera@example.com")
    page.click("text=Block customer")  # without a reason: refused
    assert page.locator("#id_reason_error").inner_text() == "This field is required."
    page.fill("#id_reason", "Repeated chargebacks")
    page.click("text=Block customer")

    assert "meera@example.com is blocked" in page.locator(".messages").inner_text()
    assert page.locator("h1 .status").inner_text() == "Blocked"
    assert User.objects.get(email="meera@example.com").status == "blocked"
