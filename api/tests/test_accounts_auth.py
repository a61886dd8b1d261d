"""The mobile sign-in flow: register, tokens, rotation, logout, password reset."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from truestyle.accounts.models import RefreshSession, User
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.auditlog.models import AuditEntry


def test_register_then_sign_in(api, db):
    created = api.post("/api/v1/auth/register", {"email": "Asha@Example.com", "name": "Asha", "phone": "9876543210",
                                                  "password": PASSWORD}, format="json")
    signed_in = api.post("/api/v1/auth/token", {"email": "asha@example.com", "password": PASSWORD}, format="json",
                         HTTP_USER_AGENT="TrueStyle/1.0 (Android 15)")

    assert created.status_code == 201
    assert created.json()["email"] == "asha@example.com"
    assert signed_in.status_code == 200
    body = signed_in.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 300)
    assert RefreshSession.objects.get().device == "TrueStyle/1.0 (Android 15)"
    assert list(AuditEntry.objects.order_by("created_at").values_list("action", flat=True)) == [
        "user.register", "user.sign_in"]


def test_register_refuses_unknown_fields_and_writes_nothing(api, db):
    response = api.post("/api/v1/auth/register", {"email": "a@example.com", "name": "A", "password": PASSWORD,
                                                   "is_staff": True}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"is_staff": ["This field is not allowed."]}
    assert User.objects.count() == 0


def test_operator_shaped_values_are_refused(api, shopper):
    response = api.post("/api/v1/auth/token", {"email": {"$ne": ""}, "password": {"$gt": ""}}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["fields"] == {"email.$ne": ["Keys may not contain '$' or '.'."],
                                                  "password.$gt": ["Keys may not contain '$' or '.'."]}


def test_wrong_password_is_401_json(api, shopper):
    response = api.post("/api/v1/auth/token", {"email": shopper.email, "password": "not the password"}, format="json")

    assert response.status_code == 401
    assert response.json() == {"error": {"code": "invalid_credentials",
                                         "message": "The email or password is not correct.", "fields": {}}}


def test_burst_of_failures_locks_the_account_even_for_the_right_password(api, shopper):
    codes = [api.post("/api/v1/auth/token", {"email": shopper.email, "password": "wrong password!"},
                      format="json").status_code for _ in range(5)]
    locked = api.post("/api/v1/auth/token", {"email": shopper.email, "password": PASSWORD}, format="json")

    assert codes == [401] * 5
    assert locked.status_code == 429
    assert locked.json() == {"error": {"code": "throttled", "fields": {},
                                       "message": "Too many sign-in attempts. Please wait and try again."}}
    assert 0 < int(locked["Retry-After"]) <= 300


def test_refresh_rotates_and_the_old_token_revokes_the_family(api, shopper, signed_in):
    first = signed_in.refresh_token
    rotated = api.post("/api/v1/auth/token/refresh", {"refresh": first}, format="json")
    replayed = api.post("/api/v1/auth/token/refresh", {"refresh": first}, format="json")
    newest = api.post("/api/v1/auth/token/refresh", {"refresh": rotated.json()["refresh"]}, format="json")

    assert rotated.status_code == 200
    assert replayed.status_code == 401
    assert replayed.json()["error"]["code"] == "token_invalid"
    assert newest.status_code == 401
    assert set(RefreshSession.objects.values_list("revoked_reason", flat=True)) == {"reuse"}


def test_logout_revokes_the_refresh_token(api, signed_in):
    response = signed_in.post("/api/v1/auth/logout", {"refresh": signed_in.refresh_token}, format="json")
    refreshed = api.post("/api/v1/auth/token/refresh", {"refresh": signed_in.refresh_token}, format="json")

    assert response.status_code == 204
    assert refreshed.status_code == 401


def _forge(payload: dict, header: dict) -> str:
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}."


@pytest.mark.parametrize("kind", ["tampered", "expired", "alg_none", "refresh_as_access", "deleted_user", "garbage",
                                  "bad_user_id"])
def test_bad_access_tokens_get_401_never_500(api, shopper, kind):
    token = AccessToken.for_user(shopper)
    if kind == "tampered":
        value = str(token)[:-3] + ("aaa" if not str(token).endswith("aaa") else "bbb")
    elif kind == "expired":
        token.set_exp(lifetime=-timedelta(minutes=1))
        value = str(token)
    elif kind == "alg_none":
        value = _forge(dict(token.payload), {"alg": "none", "typ": "JWT"})
    elif kind == "refresh_as_access":
        value = str(RefreshToken.for_user(shopper))
    elif kind == "deleted_user":
        value = str(token)
        User.objects.filter(pk=shopper.pk).delete()
    elif kind == "bad_user_id":
        token["user_id"] = "not-an-object-id"
        value = str(token)
    else:
        value = "garbage"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")

    response = api.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"token_not_valid", "not_authenticated", "authentication_failed",
                                                "user_not_found"}


def test_blocked_user_tokens_stop_working(api, shopper, signed_in):
    from truestyle.accounts import services

    admin = user_create(email="admin@example.com", is_staff=True)
    services.user_block(actor=admin, user=shopper, reason="fraud")

    assert signed_in.get("/api/v1/me").status_code == 401
    assert api.post("/api/v1/auth/token/refresh", {"refresh": signed_in.refresh_token},
                    format="json").status_code == 401


def test_otp_request_answers_the_same_for_known_and_unknown_emails(api, shopper):
    known = api.post("/api/v1/auth/password/otp", {"email": shopper.email}, format="json")
    unknown = api.post("/api/v1/auth/password/otp", {"email": "nobody@example.com"}, format="json")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 202
    assert len(mail.outbox) == 1


def test_password_reset_by_code_then_sign_in_with_the_new_password(api, shopper, signed_in):
    api.post("/api/v1/auth/password/otp", {"email": shopper.email}, format="json")
    code = re.search(r"^\s+(\d{6})$", mail.outbox[0].body, re.MULTILINE).group(1)

    reset = api.post("/api/v1/auth/password/reset", {"email": shopper.email, "code": code,
                                                      "new_password": "a brand new passphrase"}, format="json")
    old_refresh = api.post("/api/v1/auth/token/refresh", {"refresh": signed_in.refresh_token}, format="json")
    signed = api.post("/api/v1/auth/token", {"email": shopper.email, "password": "a brand new passphrase"},
                      format="json")

    assert reset.status_code == 200
    assert "access" not in reset.json()
    assert old_refresh.status_code == 401
    assert signed.status_code == 200


def test_password_reset_with_a_malformed_code_is_a_field_error(api, shopper):
    response = api.post("/api/v1/auth/password/reset", {"email": shopper.email, "code": "12ab",
                                                         "new_password": "a brand new passphrase"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["Enter the 6-digit code."]}
