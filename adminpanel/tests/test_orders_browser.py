"""The staff order pages in a real browser: filter the list, open an order, confirm, pack and ship it."""

import re

import pytest

from truestyle.accounts.tests.factories import PASSWORD
from truestyle.orders.models import Order, OrderEvent
from truestyle.orders.tests.factories import customer_create, line, place, staff_create, stocked_variant

pytestmark = pytest.mark.browser


def test_an_order_manager_filters_opens_confirms_packs_and_ships_an_order(db, live_server, page):
    staff_create()
    asha, asha_address = customer_create(email="asha@example.com")
    ravi, ravi_address = customer_create(email="ravi@example.com")
    variant = stocked_variant(name="Linen Kurta", price="1299.00", stock=10)
    order = place(user=asha, address=asha_address, lines=[line(variant, 2)])
    place(user=ravi, address=ravi_address, lines=[line(variant)], payment_method="upi")

    page.goto(live_server.url + "/staff/orders/")
    page.fill("#id_email", "orders@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/orders/")
    assert page.locator("#order-results tbody tr").count() == 2

    page.evaluate("window.stillHere = true")
    page.select_option("#id_payment_method", "cod")
    page.wait_for_url(re.compile(r".*/staff/orders/\?.*payment_method=cod.*"))
    page.wait_for_function("document.querySelectorAll('#order-results tbody tr').length === 1")
    assert page.evaluate("window.stillHere") is True  # htmx swapped the results and pushed the URL
    assert page.locator("#order-results .staff-order-number").inner_text() == order.number
    page.screenshot(path="/tmp/staff-orders.png", full_page=True)

    page.click(f"text={order.number}")
    page.wait_for_url(live_server.url + f"/staff/orders/{order.number}/")
    timeline = page.locator(".staff-order-timeline li")
    assert timeline.count() == 1

    page.click("button:has-text('Confirm order')")
    page.wait_for_selector(f".messages >> text=Order {order.number} is now confirmed.")
    assert timeline.count() == 2
    page.click("button:has-text('Mark packed')")
    page.wait_for_selector(f".messages >> text=Order {order.number} is now packed.")
    assert timeline.count() == 3

    page.click("button:has-text('Mark shipped')")  # no tracking number yet: refused, nothing changes
    page.wait_for_selector(".messages >> text=Enter the tracking number of the shipment.")
    assert timeline.count() == 3 and page.locator("[data-order-status]").inner_text() == "Packed"
    page.fill("#tracking-number", "DTDC7788990")
    page.click("button:has-text('Mark shipped')")
    page.wait_for_selector(f".messages >> text=Order {order.number} is now shipped. Tracking number DTDC7788990.")
    assert timeline.count() == 4
    assert page.locator(".staff-order-timeline li").last.inner_text().startswith(
        page.locator(".staff-order-timeline li time").last.inner_text())
    assert "Packed → Shipped" in page.locator(".staff-order-timeline li").last.inner_text()
    assert page.locator("[data-tracking]").inner_text() == "DTDC7788990"
    assert [button.inner_text() for button in page.locator(".staff-order-moves button").all()] == ["Mark delivered"]
    page.screenshot(path="/tmp/staff-order.png", full_page=True)

    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.tracking_number) == ("shipped", "DTDC7788990")
    assert list(OrderEvent.objects.filter(order=saved).order_by("created_at").values_list("to_status", flat=True)) == [
        "placed", "confirmed", "packed", "shipped"]
