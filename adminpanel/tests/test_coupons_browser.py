"""The staff coupon pages in a real browser: create a coupon (a rule refused first), find it, deactivate it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.promotions.models import Coupon
from truestyle.promotions.tests.factories import coupon_create

pytestmark = pytest.mark.browser


def test_an_order_manager_creates_and_deactivates_a_coupon(db, live_server, page):
    manager = user_create(email="orders@example.com", name="Order Manager")
    manager.groups.add(Group.objects.get(name="order_manager"))
    # Starts next month, whatever today is, so the new coupon lists as "Scheduled".
    starts = timezone.localtime() + timedelta(days=30)
    coupon_create(code="WELCOME10", usage_limit=50, uses=12, description="First order")

    page.goto(live_server.url + "/staff/coupons/")
    page.fill("#id_email", "orders@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/coupons/")
    assert page.locator("#coupon-results [data-uses]").first.inner_text().startswith("12 / 50")

    page.click("text=New coupon")
    page.fill("#id_code", "monsoon20")
    page.select_option("#id_kind", "percent")
    page.fill("#id_value", "120")
    page.fill("#id_max_discount", "500")
    page.fill("#id_valid_from", starts.strftime("%Y-%m-%dT00:00"))
    page.fill("#id_valid_until", (starts + timedelta(days=30)).strftime("%Y-%m-%dT23:59"))
    page.fill("#id_usage_limit", "100")
    page.click("text=Create coupon")
    assert page.locator("#id_value_error").inner_text() == "A percent discount cannot be more than 100."
    page.screenshot(path="/tmp/coupon-form-error.png", full_page=True)
    page.fill("#id_value", "20")
    page.click("text=Create coupon")
    page.wait_for_url(live_server.url + "/staff/coupons/")
    assert "Coupon MONSOON20 saved." in page.locator(".messages").inner_text()

    page.evaluate("window.stillHere = true")
    page.fill("#id_q", "monsoon")
    page.click("text=Search")
    page.wait_for_url(live_server.url + "/staff/coupons/?q=monsoon&status=")
    assert page.locator("#coupon-results tbody tr").count() == 1
    assert page.evaluate("window.stillHere") is True  # htmx swapped the results and pushed the URL
    assert page.locator("#coupon-results .status").inner_text() == "Scheduled"
    page.screenshot(path="/tmp/coupon-list.png", full_page=True)

    page.click("#coupon-results button:has-text('Deactivate')")
    page.wait_for_url(live_server.url + "/staff/coupons/")
    assert "shoppers can no longer use it" in page.locator(".messages").inner_text()
    assert Coupon.objects.get(code="MONSOON20").is_active is False
    page.screenshot(path="/tmp/coupon-list-after.png", full_page=True)
