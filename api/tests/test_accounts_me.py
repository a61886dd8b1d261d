"""The signed-in user's own data: profile, email, password, addresses, sessions."""

import pytest

from truestyle.accounts import services
from truestyle.accounts.models import Address, RefreshSession, User
from truestyle.accounts.tests.factories import PASSWORD, user_create

HOME = {"label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "city": "Bengaluru",
        "state": "Karnataka", "pincode": "560001"}


def test_me_requires_a_token(api, db):
    response = api.get("/api/v1/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_profile_read_and_edit(signed_in, shopper):
    assert signed_in.get("/api/v1/me").json()["email"] == shopper.email

    response = signed_in.patch("/api/v1/me", {"name": "Asha R."}, format="json")

    assert response.json()["name"] == "Asha R."
    assert User.objects.get(pk=shopper.pk).phone == "9876543210"


def test_profile_edit_cannot_touch_other_fields(signed_in, shopper):
    response = signed_in.patch("/api/v1/me", {"is_staff": True, "email": "x@example.com"}, format="json")

    assert response.status_code == 400
    assert User.objects.get(pk=shopper.pk).is_staff is False


def test_email_change_needs_the_password(signed_in, shopper):
    refused = signed_in.post("/api/v1/me/email", {"new_email": "new@example.com", "password": "wrong!"}, format="json")
    accepted = signed_in.post("/api/v1/me/email", {"new_email": "new@example.com", "password": PASSWORD}, format="json")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "wrong_password"
    assert accepted.json()["email"] == "new@example.com"


def test_password_change_revokes_refresh_tokens(api, signed_in, shopper):
    response = signed_in.post("/api/v1/me/password", {"current_password": PASSWORD,
                                                      "new_password": "another long passphrase"}, format="json")

    assert response.status_code == 204
    assert RefreshSession.objects.get().revoked_reason == "password_change"


def test_address_book_crud_and_default(signed_in, shopper):
    home = signed_in.post("/api/v1/me/addresses", HOME, format="json").json()
    work = signed_in.post("/api/v1/me/addresses", {**HOME, "label": "Work", "is_default": True}, format="json").json()

    listed = signed_in.get("/api/v1/me/addresses").json()
    assert [(a["label"], a["is_default"]) for a in listed] == [("Work", True), ("Home", False)]
    updated = signed_in.put(f"/api/v1/me/addresses/{home['id']}", {**HOME, "city": "Mysuru"}, format="json")
    assert updated.json()["city"] == "Mysuru"
    assert signed_in.delete(f"/api/v1/me/addresses/{work['id']}").status_code == 204
    assert Address.objects.get().is_default is True


def test_invalid_address_is_a_field_error_and_saves_nothing(signed_in):
    response = signed_in.post("/api/v1/me/addresses", {**HOME, "pincode": "12"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"pincode": ["Enter a 6-digit PIN code."]}
    assert Address.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "put", "delete", "post-default"])
def test_another_users_address_is_404_and_unchanged(signed_in, method):
    owner = user_create(email="ravi@example.com")
    address = services.address_create(user=owner, values=HOME)
    url = f"/api/v1/me/addresses/{address.pk}"

    if method == "post-default":
        response = signed_in.post(url + "/default")
    elif method == "put":
        response = signed_in.put(url, {**HOME, "city": "Pune"}, format="json")
    else:
        response = getattr(signed_in, method)(url)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "address_not_found"
    assert Address.objects.get(pk=address.pk).city == "Bengaluru"


def test_malformed_address_id_is_404(signed_in):
    assert signed_in.get("/api/v1/me/addresses/not-an-id").status_code == 404


def test_sessions_list_marks_this_device_and_signs_out_another(signed_in, shopper):
    services.token_pair_issue(user=shopper, device="Old tablet", ip="10.0.0.2")

    listed = signed_in.get("/api/v1/me/sessions").json()
    assert sorted((s["device"], s["current"], s["kind"]) for s in listed) == [
        ("Old tablet", False, "app"), ("Pixel 9", True, "app")]
    tablet = next(s for s in listed if s["device"] == "Old tablet")

    assert signed_in.delete(f"/api/v1/me/sessions/{tablet['id']}").status_code == 204
    assert [s["device"] for s in signed_in.get("/api/v1/me/sessions").json()] == ["Pixel 9"]


def test_another_users_session_is_404_and_stays(signed_in):
    other = user_create(email="ravi@example.com")
    services.token_pair_issue(user=other, device="Ravi's phone", ip="")
    family = RefreshSession.objects.get(user=other).family

    assert signed_in.delete(f"/api/v1/me/sessions/{family}").status_code == 404
    assert RefreshSession.objects.get(user=other).revoked_at is None


def test_sign_out_everywhere(signed_in, shopper):
    services.token_pair_issue(user=shopper, device="Tablet", ip="")

    assert signed_in.post("/api/v1/me/sessions/sign-out-everywhere").status_code == 204
    assert RefreshSession.objects.filter(revoked_at__isnull=True).count() == 0


def test_deactivate(signed_in, shopper):
    assert signed_in.post("/api/v1/me/deactivate", {"password": "wrong"}, format="json").status_code == 400
    assert signed_in.post("/api/v1/me/deactivate", {"password": PASSWORD}, format="json").status_code == 204
    assert User.objects.get(pk=shopper.pk).status == "deactivated"
