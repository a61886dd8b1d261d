import threading
from datetime import timedelta

import pytest
from django.db import connections
from rest_framework_simplejwt.tokens import AccessToken

from truestyle.accounts import services
from truestyle.accounts.models import RefreshSession
from truestyle.accounts.services.tokens import TokenRefused
from truestyle.accounts.tests.factories import user_create


def test_a_pair_records_its_refresh_token_in_mongodb(db):
    user = user_create()

    access, refresh = services.token_pair_issue(user=user, device="Pixel 9", ip="10.0.0.1")

    session = RefreshSession.objects.get()
    assert (session.user_id, session.device, session.ip_address, session.revoked_at) == (user.pk, "Pixel 9", "10.0.0.1", None)
    token = AccessToken(access)
    assert token["user_id"] == str(user.pk)
    assert token["fam"] == session.family
    assert timedelta(minutes=4) < token.lifetime <= timedelta(minutes=5)


def test_rotation_spends_the_old_token_and_reuse_revokes_the_family(db):
    user = user_create()
    _, first = services.token_pair_issue(user=user, device="Pixel", ip="10.0.0.1")
    _, second = services.token_refresh_rotate(refresh_token=first, device="Pixel", ip="10.0.0.1")

    with pytest.raises(TokenRefused):
        services.token_refresh_rotate(refresh_token=first, device="Pixel", ip="10.0.0.9")
    with pytest.raises(TokenRefused):
        services.token_refresh_rotate(refresh_token=second, device="Pixel", ip="10.0.0.1")

    assert set(RefreshSession.objects.values_list("revoked_reason", flat=True)) == {"reuse"}


def test_ten_concurrent_refreshes_of_one_token_yield_exactly_one_success(db):
    user = user_create()
    _, refresh = services.token_pair_issue(user=user, device="Pixel", ip="10.0.0.1")
    start = threading.Barrier(10)
    outcomes = []

    def refresh_once():
        start.wait()
        try:
            services.token_refresh_rotate(refresh_token=refresh, device="Pixel", ip="10.0.0.1")
            outcomes.append("ok")
        except TokenRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh_once) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["refused"] * 9


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_garbage_is_refused(db, token):
    with pytest.raises(TokenRefused):
        services.token_refresh_rotate(refresh_token=token, device="", ip="")


def test_an_access_token_is_not_a_refresh_token(db):
    access, _ = services.token_pair_issue(user=user_create(), device="", ip="")

    with pytest.raises(TokenRefused):
        services.token_refresh_rotate(refresh_token=access, device="", ip="")


def test_logout_revokes_only_that_device(db):
    user = user_create()
    _, phone = services.token_pair_issue(user=user, device="Phone", ip="")
    _, tablet = services.token_pair_issue(user=user, device="Tablet", ip="")

    services.token_logout(user=user, refresh_token=phone)

    assert dict(RefreshSession.objects.values_list("device", "revoked_reason")) == {"Phone": "logout", "Tablet": ""}
    services.token_refresh_rotate(refresh_token=tablet, device="Tablet", ip="")


def test_another_users_token_cannot_log_them_out(db):
    owner, other = user_create(), user_create(email="ravi@example.com")
    _, refresh = services.token_pair_issue(user=owner, device="Phone", ip="")

    with pytest.raises(TokenRefused):
        services.token_logout(user=other, refresh_token=refresh)
    assert RefreshSession.objects.get().revoked_at is None
