"""Profile, email, password, sessions and closing the account, through the storefront pages."""

from django.contrib.auth import SESSION_KEY
from django.test import Client

from storefront.tests.conftest import signed_in_client
from truestyle.accounts.models import BrowserSession, User
from truestyle.accounts.selectors import browser_session_public_id
from truestyle.accounts.tests.factories import PASSWORD, user_create

NEW_PASSWORD = "another long passphrase"


def test_profile_edit_saves_name_and_phone(shopper_client, shopper):
    response = shopper_client.post("/account/profile/", {"name": "Asha R.", "phone": "9000000001"})

    assert response.status_code == 302
    shopper.refresh_from_db()
    assert (shopper.name, shopper.phone) == ("Asha R.", "9000000001")


def test_profile_edit_refuses_an_empty_name_and_changes_nothing(shopper_client, shopper):
    response = shopper_client.post("/account/profile/", {"name": "", "phone": "9000000001"})

    assert response.status_code == 400
    shopper.refresh_from_db()
    assert (shopper.name, shopper.phone) == ("Asha Rao", "9876543210")


def test_email_change_with_the_password(shopper_client, shopper):
    response = shopper_client.post("/account/email/", {"new_email": "asha.rao@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(pk=shopper.pk).email == "asha.rao@example.com"
    assert shopper_client.get("/account/").status_code == 200


def test_email_change_refuses_a_wrong_password_and_keeps_the_email(shopper_client, shopper):
    response = shopper_client.post("/account/email/", {"new_email": "asha.rao@example.com", "password": "wrong one"})

    assert response.status_code == 400
    assert "Your password is not correct." in response.content.decode()
    assert User.objects.get(pk=shopper.pk).email == "asha@example.com"


def test_email_change_refuses_a_taken_email_beside_the_field(shopper_client, shopper):
    user_create(email="taken@example.com")

    response = shopper_client.post("/account/email/", {"new_email": "taken@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert '<p class="field-error" id="id_new_email_error">An account with this email already exists.</p>' in (
        response.content.decode())
    assert User.objects.get(pk=shopper.pk).email == "asha@example.com"


def test_password_change_keeps_this_browser_and_signs_out_the_others(shopper_client, shopper):
    other = signed_in_client(shopper, user_agent="Other browser")

    response = shopper_client.post("/account/password/", {"current_password": PASSWORD,
                                                          "new_password": NEW_PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(pk=shopper.pk).check_password(NEW_PASSWORD)
    assert shopper_client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    assert list(BrowserSession.objects.filter(user_id=str(shopper.pk)).values_list("session_key", flat=True)) == [
        shopper_client.session.session_key]


def test_password_change_refuses_a_wrong_current_password(shopper_client, shopper):
    other = signed_in_client(shopper, user_agent="Other browser")

    response = shopper_client.post("/account/password/", {"current_password": "not it",
                                                          "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert '<p class="field-error" id="id_current_password_error">Your password is not correct.</p>' in (
        response.content.decode())
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)
    assert other.get("/account/").status_code == 200


def test_deactivate_closes_the_account_and_signs_out(shopper_client, shopper):
    response = shopper_client.post("/account/close/", {"password": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(pk=shopper.pk)
    assert (user.is_active, user.status) == (False, "deactivated")
    assert SESSION_KEY not in shopper_client.session
    assert Client().post("/account/sign-in/", {"email": shopper.email, "password": PASSWORD}).status_code == 400


def test_deactivate_refuses_a_wrong_password_and_keeps_the_account(shopper_client, shopper):
    response = shopper_client.post("/account/close/", {"password": "not it"})

    assert response.status_code == 400
    assert User.objects.get(pk=shopper.pk).status == "active"
    assert shopper_client.get("/account/").status_code == 200


def test_sessions_page_lists_this_browser_and_the_others(shopper_client, shopper):
    signed_in_client(shopper, user_agent="Firefox on a tablet", ip="10.0.0.9")

    page = shopper_client.get("/account/sessions/").content.decode()

    assert "TestBrowser/1.0" in page and "Firefox on a tablet" in page and "10.0.0.9" in page
    assert page.count('<span class="badge-current">This browser</span>') == 1
    assert page.count("Sign out this one") == 1


def test_sign_out_this_one_ends_only_that_browser(shopper_client, shopper):
    other = signed_in_client(shopper, user_agent="Firefox on a tablet")
    other_id = browser_session_public_id(other.session.session_key)

    response = shopper_client.post(f"/account/sessions/{other_id}/end/")

    assert response.status_code == 302
    assert other.get("/account/").status_code == 302
    assert shopper_client.get("/account/").status_code == 200


def test_sign_out_this_one_cannot_end_another_users_browser(shopper_client):
    stranger = signed_in_client(user_create(email="stranger@example.com"))
    stranger_id = browser_session_public_id(stranger.session.session_key)

    response = shopper_client.post(f"/account/sessions/{stranger_id}/end/")

    assert response.status_code == 404
    assert stranger.get("/account/").status_code == 200


def test_sign_out_everywhere_ends_every_browser_this_one_included(shopper_client, shopper):
    other = signed_in_client(shopper, user_agent="Firefox on a tablet")

    response = shopper_client.post("/account/sessions/end-all/")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/"
    assert shopper_client.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 302
    assert not BrowserSession.objects.filter(user_id=str(shopper.pk)).exists()


def test_device_labels_name_the_browser_and_system():
    from storefront.templatetags.account_tags import device_label

    assert device_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0") == "Edge on Windows"
    assert device_label("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1") == "Safari on iPhone"
    assert device_label("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0") == "Firefox on Linux"
    assert device_label("curl/8.5") == "curl/8.5"
    assert device_label("") == ""
