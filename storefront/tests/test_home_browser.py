"""The home page in a real browser: htmx from our static files, CSRF on every htmx request."""

import pytest

from truestyle.accounts.models import User

pytestmark = pytest.mark.browser


def test_home_page_loads_htmx_from_our_static_files_and_sends_csrf(db, live_server, page):
    requests = []
    page.on("request", lambda request: requests.append(request))

    page.goto(live_server.url + "/")
    page.wait_for_function("window.htmx !== undefined")
    page.wait_for_load_state("networkidle")

    assert page.title() == "TrueStyle — clothes that fit"
    assert page.locator("h1").inner_text() == "Clothes that fit, for every occasion"
    script_urls = [r.url for r in requests if r.resource_type == "script"]
    assert script_urls == [live_server.url + "/static/vendor/htmx/htmx.min.js"]
    assert all(r.url.startswith(live_server.url) for r in requests)
    htmx_requests = [r for r in requests if r.headers.get("hx-request") == "true"]
    # The header's bag badge fetches its count with htmx on every page.
    assert [r.url for r in htmx_requests] == [live_server.url + "/cart/badge/"]
    assert len(htmx_requests[0].headers["x-csrftoken"]) == 64
    assert page.locator("#cart-badge").inner_text() == "Bag"


def test_staff_sign_in_reaches_the_dashboard(db, live_server, page):
    User.objects.create_superuser("admin@truestyle.local", "a-long-demo-password")

    page.goto(live_server.url + "/staff/")
    page.fill("#id_email", "admin@truestyle.local")
    page.fill("#id_password", "a-long-demo-password")
    page.click("button[type=submit]")

    page.wait_for_url(live_server.url + "/staff/")
    assert page.locator("h1").inner_text() == "Staff dashboard"
    assert "Signed in as admin@truestyle.local." in page.content()


def test_wrong_password_is_refused_with_a_clear_message(db, live_server, page):
    User.objects.create_user("shopper@example.com", "the-right-password")

    page.goto(live_server.url + "/account/sign-in/")
    page.fill("#id_email", "shopper@example.com")
    page.fill("#id_password", "the-wrong-password")
    page.click("button[type=submit]")

    assert "The email or password is not correct." in page.locator(".form-error").inner_text()
