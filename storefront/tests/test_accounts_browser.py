"""Accounts in a real browser: register, sign out, reset the password by emailed code, sign in;
a blocked account is refused; the sessions page signs this browser out everywhere; the address
book works through htmx without leaving the page."""

import re

import pytest
from django.core import mail

from truestyle.accounts import services
from truestyle.accounts.tests.factories import PASSWORD, user_create

pytestmark = pytest.mark.browser

NEW_PASSWORD = "linen shirts for the monsoon"


def _sign_in(page, base_url, email, password):
    page.goto(base_url + "/account/sign-in/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("form[action='/account/sign-in/'] button[type=submit]")


def test_register_sign_out_reset_by_emailed_code_and_sign_in(db, live_server, page):
    base = live_server.url
    page.goto(base + "/")
    page.click("header >> text=Register")
    page.fill("#id_email", "meera@example.com")
    page.fill("#id_name", "Meera Iyer")
    page.fill("#id_phone", "9812345678")
    page.fill("#id_password", "the first long passphrase")
    page.click("main button[type=submit]")

    page.wait_for_url(base + "/account/")
    assert page.locator("h1").inner_text() == "Hello, Meera"
    assert "Welcome to TrueStyle, Meera!" in page.locator(".messages").inner_text()

    page.click("header button:has-text('Sign out')")
    page.wait_for_url(base + "/")
    assert page.locator("header >> text=Sign in").is_visible()

    page.goto(base + "/account/sign-in/")
    page.click("text=Forgot your password?")
    page.fill("#id_email", "meera@example.com")
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account/password/forgot/sent/")
    assert page.locator("h1").inner_text() == "Check your email"
    (message,) = mail.outbox
    assert message.to == ["meera@example.com"]
    code = re.search(r"^\s+(\d{6})$", message.body, re.MULTILINE).group(1)

    page.click("text=Enter the code")
    assert page.input_value("#id_email") == "meera@example.com"
    page.fill("#id_code", code)
    page.fill("#id_new_password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account/password/reset/done/")
    assert page.locator("h1").inner_text() == "Your password has been reset"
    assert page.locator("header >> text=Sign in").is_visible()  # no automatic sign-in

    page.click("main a.button:has-text('Sign in')")
    page.fill("#id_email", "meera@example.com")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account/")
    assert page.locator("h1").inner_text() == "Hello, Meera"


def test_a_blocked_customer_is_refused_with_a_clear_message(db, live_server, page):
    shopper = user_create(email="blocked@example.com")
    services.user_block(actor=user_create(email="admin@example.com", is_staff=True), user=shopper, reason="Fraud")

    _sign_in(page, live_server.url, "blocked@example.com", PASSWORD)

    error = page.locator(".form-error")
    error.wait_for()
    assert error.inner_text() == ("The email or password is not correct. If your account has been blocked or closed, "
                                  "please contact customer support.")
    assert page.url == live_server.url + "/account/sign-in/"
    page.goto(live_server.url + "/account/")
    assert page.url.startswith(live_server.url + "/account/sign-in/?next=")


def test_sessions_page_shows_this_browser_and_sign_out_everywhere_ends_it(db, live_server, page):
    user_create(email="asha@example.com")
    _sign_in(page, live_server.url, "asha@example.com", PASSWORD)
    page.wait_for_url(live_server.url + "/account/")

    page.click("nav[aria-label='Your account'] >> text=Signed-in devices")
    current = page.locator(".session.is-current")
    assert current.locator(".session-device").inner_text() == "Headless Chrome on Linux"
    assert "HeadlessChrome/" in current.locator(".session-ua").inner_text()
    assert current.locator(".badge-current").inner_text() == "This browser"

    page.click("text=Sign out everywhere")
    page.wait_for_url(live_server.url + "/account/sign-in/")
    assert "You have been signed out everywhere" in page.locator(".messages").inner_text()
    page.goto(live_server.url + "/account/sessions/")
    assert page.url == live_server.url + "/account/sign-in/?next=/account/sessions/"


def test_address_book_adds_and_sets_default_through_htmx_on_one_page(db, live_server, page):
    user_create(email="asha@example.com")
    _sign_in(page, live_server.url, "asha@example.com", PASSWORD)
    page.wait_for_url(live_server.url + "/account/")
    page.goto(live_server.url + "/account/addresses/")
    page.evaluate("window.stillHere = true")

    for label, line1 in (("Home", "12 MG Road"), ("Work", "5 Residency Road")):
        page.click("text=Add an address")
        page.fill("#id_label", label)
        page.fill("#id_name", "Asha Rao")
        page.fill("#id_phone", "9876543210")
        page.fill("#id_line1", line1)
        page.fill("#id_city", "Bengaluru")
        page.fill("#id_state", "Karnataka")
        page.fill("#id_pincode", "560001")
        page.click("text=Add address")
        page.locator(".address-card", has_text=line1).wait_for()
    page.locator(".address-card", has_text="Work").locator("text=Make default").click()
    page.locator(".address-card.is-default", has_text="Work").wait_for()

    assert page.evaluate("window.stillHere") is True  # htmx swapped the list; the page never reloaded
    assert page.url == live_server.url + "/account/addresses/"
    assert page.locator("#address-book .message").inner_text() == "Default address changed."
    assert page.locator(".address-card").count() == 2
