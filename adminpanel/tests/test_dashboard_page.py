"""The staff home: sales figures for those who may see them, a period filter that refuses nonsense."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.test import Client

from truestyle.accounts.tests.factories import user_create
from truestyle.analytics.dashboard import store_today
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant


def _client(role: str, email: str) -> Client:
    member = user_create(email=email)
    member.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(member)
    return client


def test_an_order_manager_sees_the_figures_and_chart_data(db):
    asha, home = customer_create()
    place(user=asha, address=home, lines=[line(stocked_variant(price="1499.00", stock=5), 2)])
    client = _client("order_manager", "orders@example.com")

    page = client.get("/staff/").content.decode()

    assert '<strong data-metric="revenue-today">₹2,998.00</strong>' in page
    assert '<strong data-metric="aov">₹2,998.00</strong>' in page
    assert 'id="dashboard-chart-data"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page


def test_the_period_filter_swaps_the_figures_and_refuses_an_end_before_the_start(db):
    client = _client("order_manager", "orders@example.com")
    today = store_today()

    swapped = client.get(f"/staff/?since={today - timedelta(days=6)}&until={today}", HTTP_HX_REQUEST="true")
    refused = client.get(f"/staff/?since={today}&until={today - timedelta(days=1)}", HTTP_HX_REQUEST="true")

    assert swapped.status_code == 200
    assert swapped.content.decode().lstrip().startswith('<div id="dashboard-figures"')
    assert refused.status_code == 400
    assert "Until: The end comes before the start." in refused.content.decode()


def test_a_support_agent_sees_the_areas_but_no_sales(db):
    page = _client("support_agent", "care@example.com").get("/staff/").content.decode()

    assert "data-metric" not in page
    assert "dashboard-chart-data" not in page
    assert "Messages" in page
