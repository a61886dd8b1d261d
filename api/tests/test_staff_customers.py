import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from truestyle.accounts import services
from truestyle.accounts.models import User
from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import user_create


@pytest.fixture
def admin_api(db):
    admin = user_create(email="admin@example.com")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    client = APIClient()
    access, _ = services.token_pair_issue(user=User.objects.get(pk=admin.pk), device="", ip="")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_customer_search_and_pagination(admin_api):
    for index in range(3):
        user_create(email=f"shopper{index}@example.com", name=f"Shopper {index}")

    page = admin_api.get("/api/v1/staff/customers", {"q": "shopper", "page_size": 2}).json()

    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"].endswith("page=2&page_size=2&q=shopper")


def test_block_then_unblock(admin_api):
    shopper = user_create()

    blocked = admin_api.post(f"/api/v1/staff/customers/{shopper.pk}/block", {"reason": "Fraud"}, format="json")
    missing_reason = admin_api.post(f"/api/v1/staff/customers/{shopper.pk}/unblock")

    assert (blocked.json()["status"], blocked.json()["blocked_reason"]) == ("blocked", "Fraud")
    assert missing_reason.json()["status"] == "active"


def test_block_needs_a_reason(admin_api):
    shopper = user_create()

    response = admin_api.post(f"/api/v1/staff/customers/{shopper.pk}/block", {}, format="json")

    assert response.status_code == 400
    assert User.objects.get(pk=shopper.pk).status == "active"


def test_roles_are_set_and_unknown_roles_refused(admin_api):
    shopper = user_create()

    granted = admin_api.put(f"/api/v1/staff/customers/{shopper.pk}/roles", {"roles": ["content_editor"]}, format="json")
    refused = admin_api.put(f"/api/v1/staff/customers/{shopper.pk}/roles", {"roles": ["owner"]}, format="json")

    assert (granted.json()["roles"], granted.json()["is_staff"]) == (["content_editor"], True)
    assert refused.status_code == 400
    assert sorted(User.objects.get(pk=shopper.pk).groups.values_list("name", flat=True)) == ["content_editor"]


def test_unknown_customer_is_404(admin_api):
    assert admin_api.get("/api/v1/staff/customers/65f000000000000000000000").status_code == 404
    assert admin_api.get("/api/v1/staff/customers/nope").status_code == 404
