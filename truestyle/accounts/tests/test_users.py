import pytest
from django.test import RequestFactory

from truestyle.accounts import services
from truestyle.accounts.models import BrowserSession, RefreshSession, User
from truestyle.accounts.services.sign_in import InvalidCredentials
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.core.errors import StoreError


def test_register_creates_a_shopper_and_audits_it(db):
    user = services.user_register(email=" Asha@Example.COM ", name="Asha Rao", phone="9876543210",
                                  password=PASSWORD, ip="10.0.0.7")

    assert (user.email, user.name, user.is_staff, user.is_active) == ("asha@example.com", "Asha Rao", False, True)
    assert user.check_password(PASSWORD)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.actor_email, entry.ip_address) == (
        "user.register", str(user.pk), "asha@example.com", "10.0.0.7")


def test_register_refuses_a_short_password_and_writes_nothing(db):
    with pytest.raises(StoreError) as refusal:
        services.user_register(email="a@example.com", name="A", phone="", password="short-pass1")

    assert refusal.value.code == "weak_password"
    assert refusal.value.fields["password"] == ["This password is too short. It must contain at least 12 characters."]
    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_register_accepts_a_long_password_without_composition_rules(db):
    user = services.user_register(email="b@example.com", name="B", phone="", password="just lowercase words here")

    assert user.pk is not None


def test_register_refuses_a_taken_email_whatever_its_case(db):
    user_create(email="asha@example.com")

    with pytest.raises(StoreError) as refusal:
        services.user_register(email="ASHA@example.com", name="Other", phone="", password=PASSWORD)

    assert refusal.value.code == "email_taken"
    assert User.objects.count() == 1


def test_email_change_requires_the_password(db):
    user = user_create()

    with pytest.raises(StoreError) as refusal:
        services.user_email_change(user=user, new_email="new@example.com", password="wrong password!!")

    assert refusal.value.code == "wrong_password"
    assert User.objects.get(pk=user.pk).email == "asha@example.com"
    services.user_email_change(user=user, new_email="New@Example.com", password=PASSWORD)
    assert User.objects.get(pk=user.pk).email == "new@example.com"


def test_password_change_ends_other_sessions_and_tokens(db):
    user = user_create()
    BrowserSession.objects.create(session_key="keep", session_data="", expire_date="2030-01-01T00:00Z", user_id=str(user.pk))
    BrowserSession.objects.create(session_key="other", session_data="", expire_date="2030-01-01T00:00Z", user_id=str(user.pk))
    services.token_pair_issue(user=user, device="Pixel", ip="10.0.0.1")

    services.user_password_change(user=user, current_password=PASSWORD, new_password="a brand new passphrase",
                                  keep_session_key="keep")

    assert list(BrowserSession.objects.values_list("session_key", flat=True)) == ["keep"]
    assert RefreshSession.objects.get().revoked_reason == "password_change"
    assert User.objects.get(pk=user.pk).check_password("a brand new passphrase")


def test_blocked_user_cannot_sign_in_and_loses_sessions(db):
    admin = user_create(email="admin@example.com", is_staff=True)
    user = user_create()
    services.token_pair_issue(user=user, device="Pixel", ip="10.0.0.1")

    services.user_block(actor=admin, user=user, reason="Chargeback fraud")

    assert User.objects.get(pk=user.pk).status == "blocked"
    assert RefreshSession.objects.get().revoked_reason == "blocked"
    with pytest.raises(InvalidCredentials):
        services.sign_in_authenticate(request=RequestFactory().post("/"), email=user.email, password=PASSWORD, ip="10.0.0.2")
    services.user_unblock(actor=admin, user=user)
    assert services.sign_in_authenticate(request=RequestFactory().post("/"), email=user.email, password=PASSWORD,
                                         ip="10.0.0.2") == user


def test_deactivation_requires_the_password_and_stops_sign_in(db):
    user = user_create()

    with pytest.raises(StoreError):
        services.user_deactivate(user=user, password="not my password")
    assert User.objects.get(pk=user.pk).is_active is True

    services.user_deactivate(user=user, password=PASSWORD)
    assert User.objects.get(pk=user.pk).status == "deactivated"
