"""Fair-use limits: past the rate a caller gets 429 in the one error shape with Retry-After; others go on."""

from __future__ import annotations

from rest_framework.test import APIClient

from truestyle.accounts import services
from truestyle.accounts.tests.factories import user_create


def _bearer(user) -> APIClient:
    client = APIClient()
    access, _ = services.token_pair_issue(user=user, device="", ip="")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_an_anonymous_address_past_its_rate_is_throttled_and_another_address_is_not(db, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}
    client = APIClient(REMOTE_ADDR="203.0.113.10")

    codes = [client.get("/api/v1/catalog/brands").status_code for _ in range(4)]
    refused = client.get("/api/v1/catalog/brands")
    other = APIClient(REMOTE_ADDR="198.51.100.20").get("/api/v1/catalog/brands")

    assert codes == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert other.status_code == 200


def test_a_signed_in_user_has_their_own_allowance(db, settings):
    settings.API_THROTTLE_RATES = {"anon": "1/min", "user": "5/min"}
    asha = _bearer(user_create(email="asha@example.com"))
    ravi = _bearer(user_create(email="ravi@example.com"))

    asha_codes = [asha.get("/api/v1/me").status_code for _ in range(6)]

    assert asha_codes == [200] * 5 + [429]
    assert ravi.get("/api/v1/me").status_code == 200
