"""An exchange in real browsers: the customer files it for another size, staff approve it in a second
browser context, and the customer sees the new status."""

import re

import pytest

from truestyle.accounts.tests.factories import PASSWORD
from truestyle.catalog.models import Variant
from truestyle.orders.tests.factories import stock_of
from truestyle.returns.models import ReturnRequest
from truestyle.returns.tests.factories import delivered_order, other_size, returns_staff_create

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, path: str, email: str) -> None:
    page.goto(base + path)
    if "/account/sign-in/" not in page.url:
        page.goto(base + "/account/sign-in/?next=" + path)
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + path)


def test_an_exchange_filed_approved_and_seen_by_the_customer(db, live_server, browser, page):
    order, user = delivered_order()  # 2 × Oxford Shirt, Indigo, size M
    shirt_l = other_size(Variant.objects.get(pk=order.lines.get().variant_id), size="L", stock=2)
    returns_staff_create()
    base = live_server.url

    _sign_in(page, base, "/account/returns/", user.email)
    page.click(".returnable-line a:has-text('Return or exchange')")
    page.wait_for_url(re.compile(r"/account/returns/new/"))
    page.check("input[name=kind][value=exchange]")
    page.fill("#id_quantity", "1")
    page.select_option("#id_reason", "too_small")
    page.select_option("#id_replacement_variant_id", label="Indigo, L")
    page.fill("#id_comment", "Tight across the chest")
    page.click("button:has-text('Send request')")
    page.wait_for_url(re.compile(r"/account/returns/RT"))
    assert page.locator("#return-status").inner_text() == "Requested"
    assert page.locator(".return-replacement").inner_text() == "Indigo, L"
    request = ReturnRequest.objects.get()
    assert stock_of(shirt_l) == 1  # held for the customer from the request on

    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        staff_page = staff_context.new_page()
        staff_page.set_default_timeout(10_000)
        _sign_in(staff_page, base, "/staff/returns/", "returns@example.com")
        staff_page.click(f"a:has-text('{request.number}')")
        staff_page.wait_for_url(base + f"/staff/returns/{request.number}/")
        staff_page.click(".staff-return-move-approved button")
        staff_page.wait_for_load_state()
        assert "is now approved" in staff_page.locator(".messages").inner_text()
        assert staff_page.locator("[data-return-status]").inner_text() == "Approved"
    finally:
        staff_context.close()

    page.reload()
    assert page.locator("#return-status").inner_text() == "Approved"
    assert page.locator(".timeline-status").all_inner_texts() == ["Requested", "Approved"]
    assert ReturnRequest.objects.get().status == "approved"
