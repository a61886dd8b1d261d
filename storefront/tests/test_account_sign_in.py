"""Registering, signing in and out, through the storefront pages."""

import re

from django.contrib.auth import SESSION_KEY
from django.test import Client

from storefront.tests.conftest import USER_AGENT, signed_in_client
from truestyle.accounts import services
from truestyle.accounts.models import BrowserSession, User
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.auditlog.models import AuditEntry

REGISTRATION = {"email": "Meera@Example.com", "name": "Meera Iyer", "phone": "9812345678",
                "password": "a wardrobe of linen shirts"}


def test_register_creates_the_account_signs_in_and_opens_the_account_page(db):
    client = Client(HTTP_USER_AGENT=USER_AGENT)

    response = client.post("/account/register/", REGISTRATION)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user = User.objects.get(email="meera@example.com")
    assert (user.name, user.phone, user.check_password(REGISTRATION["password"])) == (
        "Meera Iyer", "9812345678", True)
    assert client.session[SESSION_KEY] == str(user.pk)
    page = client.get("/account/")
    assert page.status_code == 200
    assert "Hello, Meera" in page.content.decode()
    assert BrowserSession.objects.get(user_id=str(user.pk)).device == USER_AGENT


def test_register_refuses_a_short_password_and_writes_nothing(db):
    response = Client().post("/account/register/", {**REGISTRATION, "password": "short1"})

    assert response.status_code == 400
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()
    assert not User.objects.filter(email="meera@example.com").exists()
    assert not AuditEntry.objects.exists()


def test_register_refuses_a_taken_email_and_writes_nothing(db):
    user_create(email="meera@example.com")

    response = Client().post("/account/register/", REGISTRATION)

    assert response.status_code == 400
    assert "An account with this email already exists." in response.content.decode()
    assert User.objects.filter(email="meera@example.com").count() == 1
    assert SESSION_KEY not in Client().session


def test_sign_in_records_the_device_audits_and_follows_a_safe_next(shopper):
    client = Client(HTTP_USER_AGENT=USER_AGENT, REMOTE_ADDR="10.1.2.3")

    response = client.post("/account/sign-in/", {"email": "ASHA@example.com", "password": PASSWORD,
                                                 "next": "/account/addresses/"})

    assert response.status_code == 302
    assert response["Location"] == "/account/addresses/"
    session = BrowserSession.objects.get(user_id=str(shopper.pk))
    assert (session.device, session.ip_address) == (USER_AGENT, "10.1.2.3")
    entry = AuditEntry.objects.get(action="user.sign_in")
    assert (entry.actor_id, entry.after, entry.ip_address) == (str(shopper.pk), {"channel": "web"}, "10.1.2.3")


def test_sign_in_ignores_a_next_on_another_site(shopper):
    response = Client().post("/account/sign-in/?next=https://evil.example/steal",
                             {"email": shopper.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_sign_in_page_carries_a_safe_next_into_the_form(db):
    response = Client().get("/account/sign-in/?next=/staff/")

    assert '<input type="hidden" name="next" value="/staff/">' in response.content.decode()


def test_wrong_password_is_refused_with_the_generic_message(shopper):
    client = Client()

    response = client.post("/account/sign-in/", {"email": shopper.email, "password": "not the password at all"})

    assert response.status_code == 400
    assert "The email or password is not correct." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not BrowserSession.objects.filter(user_id=str(shopper.pk)).exists()
    assert not AuditEntry.objects.filter(action="user.sign_in").exists()


def test_a_blocked_user_cannot_sign_in(shopper):
    admin = user_create(email="admin@example.com", is_staff=True)
    services.user_block(actor=admin, user=shopper, reason="Fraud")
    client = Client()

    response = client.post("/account/sign-in/", {"email": shopper.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "If your account has been blocked or closed, please contact customer support." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_burst_of_failures_locks_the_account_with_a_429_and_a_wait_in_minutes(shopper):
    client = Client()
    for _ in range(5):
        assert client.post("/account/sign-in/", {"email": shopper.email, "password": "wrong guess"}).status_code == 400

    response = client.post("/account/sign-in/", {"email": shopper.email, "password": PASSWORD})

    assert response.status_code == 429
    assert re.search(r"Too many sign-in attempts\. Please wait [1-5] minutes? and try again\.",
                     response.content.decode())
    assert SESSION_KEY not in client.session


def test_sign_out_ends_the_session_and_audits(shopper_client, shopper):
    response = shopper_client.post("/account/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in shopper_client.session
    assert not BrowserSession.objects.filter(user_id=str(shopper.pk)).exists()
    assert AuditEntry.objects.filter(action="user.sign_out", actor_id=str(shopper.pk)).count() == 1


def test_sign_out_by_get_is_refused_and_keeps_the_session(shopper_client, shopper):
    response = shopper_client.get("/account/sign-out/")

    assert response.status_code == 405
    assert shopper_client.get("/account/").status_code == 200


def test_header_shows_sign_in_and_register_to_visitors_and_account_to_shoppers(shopper):
    anonymous = Client().get("/account/sign-in/").content.decode()
    signed_in = signed_in_client(shopper).get("/account/").content.decode()

    assert 'href="/account/register/"' in anonymous and ">Sign in</a>" in anonymous
    assert ">Account</a>" not in anonymous
    assert ">Account</a>" in signed_in and ">Sign out</button>" in signed_in
    assert ">Staff</a>" not in signed_in


def test_header_shows_the_staff_link_to_staff(db):
    from django.contrib.auth.models import Group

    agent = user_create(email="agent@example.com")
    agent.groups.add(Group.objects.get(name="support_agent"))

    page = signed_in_client(agent).get("/account/").content.decode()

    assert '<a href="/staff/">Staff</a>' in page


def test_account_pages_send_visitors_to_sign_in(db):
    response = Client().get("/account/addresses/")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/addresses/"
