"""Contact us in a real browser: errors appear in place (htmx), then the message is sent and thanked."""

import pytest

from truestyle.contact.models import ContactMessage

pytestmark = pytest.mark.browser


def test_a_visitor_fixes_the_form_and_sends_a_message(db, live_server, page):
    page.goto(live_server.url + "/contact/")
    page.evaluate("window.stillHere = true")
    page.fill("#id_name", "Meera Iyer")
    page.fill("#id_email", "meera@example.com")
    page.click("text=Send message")

    page.wait_for_selector("#id_subject_error")
    assert page.locator("#id_subject_error").inner_text() == "This field is required."
    assert page.input_value("#id_name") == "Meera Iyer"
    assert ContactMessage.objects.count() == 0

    page.fill("#id_subject", "Kurta sizes")
    page.fill("#id_message", "Does the cotton kurta run small?")
    page.click("text=Send message")
    page.wait_for_selector(".contact-sent")

    assert page.evaluate("window.stillHere") is True  # swapped in place, no page load
    assert page.input_value("#id_name") == ""
    assert ContactMessage.objects.get().subject == "Kurta sizes"
    page.screenshot(path="/tmp/contact-sent.png", full_page=True)
