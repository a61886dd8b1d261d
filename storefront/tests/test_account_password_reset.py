"""Forgot password: a code by email, then a new password; no automatic sign-in."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from storefront.tests.conftest import signed_in_client
from truestyle.accounts.models import BrowserSession, User
from truestyle.accounts.tests.factories import PASSWORD

NEW_PASSWORD = "a brand new reset passphrase"


def _code() -> str:
    return re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_known_and_unknown_emails_get_the_same_confirmation(shopper):
    known = Client().post("/account/password/forgot/", {"email": shopper.email})
    unknown = Client().post("/account/password/forgot/", {"email": "nobody@example.com"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/account/password/forgot/sent/"
    assert [message.to for message in mail.outbox] == [[shopper.email]]


def test_the_confirmation_page_names_the_email_and_links_to_the_code_form(shopper):
    client = Client()

    page = client.post("/account/password/forgot/", {"email": shopper.email}, follow=True).content.decode()

    assert "If an account exists for <strong>asha@example.com</strong>, a 6-digit code is on its way." in page
    assert 'href="/account/password/reset/"' in page
    assert 'value="asha@example.com"' in client.get("/account/password/reset/").content.decode()


def test_reset_with_the_code_sets_the_password_signs_out_everywhere_and_does_not_sign_in(shopper):
    elsewhere = signed_in_client(shopper)
    client = Client()
    client.post("/account/password/forgot/", {"email": shopper.email})

    response = client.post("/account/password/reset/", {"email": shopper.email, "code": _code(),
                                                        "new_password": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/done/"
    assert User.objects.get(pk=shopper.pk).check_password(NEW_PASSWORD)
    assert SESSION_KEY not in client.session
    assert not BrowserSession.objects.filter(user_id=str(shopper.pk)).exists()
    assert elsewhere.get("/account/").status_code == 302
    assert "Sign in with your new password" in client.get(response["Location"]).content.decode()
    assert mail.outbox[-1].subject == "Your TrueStyle password was changed"


def test_a_wrong_code_is_refused_and_the_password_stays(shopper):
    Client().post("/account/password/forgot/", {"email": shopper.email})
    wrong = "000000" if _code() != "000000" else "111111"

    response = Client().post("/account/password/reset/", {"email": shopper.email, "code": wrong,
                                                          "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert "The code is not valid. Request a new code if it has expired." in response.content.decode()
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)


def test_a_weak_new_password_is_refused_beside_its_field(shopper):
    Client().post("/account/password/forgot/", {"email": shopper.email})

    response = Client().post("/account/password/reset/", {"email": shopper.email, "code": _code(),
                                                          "new_password": "short"})

    assert response.status_code == 400
    assert 'id="id_new_password_error"' in response.content.decode()
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)


def test_too_many_code_requests_show_a_message_with_429(shopper):
    client = Client()
    for _ in range(5):
        assert client.post("/account/password/forgot/", {"email": shopper.email}).status_code == 302

    response = client.post("/account/password/forgot/", {"email": shopper.email})

    assert response.status_code == 429
    assert re.search(r"Too many code requests\. Please wait \d+ minutes? and try again\.", response.content.decode())
    assert len(mail.outbox) == 1  # the resend cooldown held back the other four
