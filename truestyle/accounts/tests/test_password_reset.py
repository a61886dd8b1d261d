import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from truestyle.accounts import services
from truestyle.accounts.models import PasswordResetCode, RefreshSession, User
from truestyle.accounts.services.password_reset import InvalidResetCode
from truestyle.accounts.tests.factories import PASSWORD, user_create
from truestyle.core.errors import Throttled

NEW_PASSWORD = "a completely new passphrase"


def _sent_code() -> str:
    return re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_a_code_is_emailed_and_only_its_hash_is_stored(db):
    user = user_create()

    services.password_reset_request(email="ASHA@example.com", ip="10.0.0.1")

    code = _sent_code()
    record = PasswordResetCode.objects.get()
    assert mail.outbox[0].to == [user.email]
    assert code not in record.code_hash and len(record.code_hash) == 64
    assert record.expires_at - record.created_at == timedelta(minutes=10)


def test_an_unknown_email_sends_nothing_and_answers_the_same(db):
    assert services.password_reset_request(email="nobody@example.com", ip="10.0.0.1") is None
    assert mail.outbox == []
    assert PasswordResetCode.objects.count() == 0


def test_reset_sets_the_password_ends_sessions_and_notifies(db):
    user = user_create()
    services.token_pair_issue(user=user, device="Phone", ip="")
    services.password_reset_request(email=user.email, ip="10.0.0.1")

    services.password_reset_confirm(email=user.email, code=_sent_code(), new_password=NEW_PASSWORD, ip="10.0.0.1")

    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert RefreshSession.objects.get().revoked_reason == "password_reset"
    assert mail.outbox[-1].subject == "Your TrueStyle password was changed"


def test_a_code_works_once(db):
    user = user_create()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    code = _sent_code()
    services.password_reset_confirm(email=user.email, code=code, new_password=NEW_PASSWORD, ip="10.0.0.1")

    with pytest.raises(InvalidResetCode):
        services.password_reset_confirm(email=user.email, code=code, new_password="yet another passphrase", ip="10.0.0.1")
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_five_wrong_tries_spend_the_code(db):
    user = user_create()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(5):
        with pytest.raises(InvalidResetCode):
            services.password_reset_confirm(email=user.email, code=wrong, new_password=NEW_PASSWORD, ip="10.0.0.1")
    with pytest.raises(InvalidResetCode):
        services.password_reset_confirm(email=user.email, code=code, new_password=NEW_PASSWORD, ip="10.0.0.1")

    assert PasswordResetCode.objects.get().failed_attempts == 5
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_an_expired_code_is_refused(db):
    user = user_create()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(InvalidResetCode):
        services.password_reset_confirm(email=user.email, code=_sent_code(), new_password=NEW_PASSWORD, ip="10.0.0.1")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_a_new_request_invalidates_the_previous_code_after_the_cooldown(db):
    user = user_create()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    first = _sent_code()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    assert len(mail.outbox) == 1  # within 60 seconds: no second email

    PasswordResetCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    second = _sent_code()

    assert len(mail.outbox) == 2
    if first != second:
        with pytest.raises(InvalidResetCode):
            services.password_reset_confirm(email=user.email, code=first, new_password=NEW_PASSWORD, ip="10.0.0.1")
    services.password_reset_confirm(email=user.email, code=second, new_password=NEW_PASSWORD, ip="10.0.0.1")


def test_a_weak_new_password_is_refused_without_spending_the_code(db):
    user = user_create()
    services.password_reset_request(email=user.email, ip="10.0.0.1")
    code = _sent_code()

    with pytest.raises(Exception) as refusal:
        services.password_reset_confirm(email=user.email, code=code, new_password="short", ip="10.0.0.1")

    assert refusal.value.code == "weak_password"
    assert PasswordResetCode.objects.get().used_at is None
    services.password_reset_confirm(email=user.email, code=code, new_password=NEW_PASSWORD, ip="10.0.0.1")


def test_requests_are_limited_per_email(db):
    for _ in range(5):
        services.password_reset_request(email="nobody@example.com", ip="10.0.0.1")

    with pytest.raises(Throttled) as refusal:
        services.password_reset_request(email="nobody@example.com", ip="10.0.0.2")
    assert 0 < refusal.value.retry_after <= 3600
