"""The dashboard in a real browser: the four charts are drawn, and again after choosing another period."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.analytics.dashboard import store_today
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant

pytestmark = pytest.mark.browser


def test_an_order_manager_sees_the_charts_and_changes_the_period(db, live_server, page):
    manager = user_create(email="orders@example.com")
    manager.groups.add(Group.objects.get(name="order_manager"))
    asha, home = customer_create()
    place(user=asha, address=home, lines=[line(stocked_variant(price="1499.00", stock=5), 2)])

    page.goto(live_server.url + "/staff/")
    page.fill("#id_email", "orders@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/")
    page.wait_for_function("document.body.dataset.dashboardCharts === '4'")
    assert page.locator('[data-metric="revenue-today"]').inner_text() == "₹2,998.00"

    page.evaluate("document.body.dataset.dashboardCharts = ''")
    since = store_today() - timedelta(days=90)
    page.fill("#id_since", since.isoformat())
    page.click("text=Show")
    page.wait_for_function("document.body.dataset.dashboardCharts === '4'")
    assert f"since={since.isoformat()}" in page.url
    assert page.locator(".dashboard-charts canvas").count() == 4
    page.screenshot(path="/tmp/staff-dashboard.png", full_page=True)
