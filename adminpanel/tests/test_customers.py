"""Staff customer pages: search, detail, blocking and roles."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from adminpanel.views import CUSTOMERS_PER_PAGE
from storefront.tests.conftest import signed_in_client
from truestyle.accounts import services
from truestyle.accounts.models import BrowserSession, User
from truestyle.accounts.services.roles import user_roles
from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry


def _staff(role: str, email: str) -> User:
    user = user_create(email=email)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin(db):
    return _staff("administrator", "admin@example.com")


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def customer(db):
    return user_create(email="meera@example.com", name="Meera Iyer")


def test_search_by_email_or_name_and_filter_by_status(admin_client, admin, customer):
    blocked = user_create(email="ravi@example.com", name="Ravi Kumar")
    services.user_block(actor=admin, user=blocked, reason="Fraud")

    by_name = admin_client.get("/staff/customers/?q=iyer").content.decode()
    by_status = admin_client.get("/staff/customers/?status=blocked").content.decode()

    assert "meera@example.com" in by_name and "ravi@example.com" not in by_name
    assert "ravi@example.com" in by_status and "meera@example.com" not in by_status
    assert "1 customer<" in by_status


def test_the_list_is_paginated(admin_client):
    for number in range(CUSTOMERS_PER_PAGE + 1):
        user_create(email=f"shopper{number:02d}@example.com")

    first = admin_client.get("/staff/customers/?q=shopper").content.decode()
    second = admin_client.get("/staff/customers/?q=shopper&page=2").content.decode()

    assert f"{CUSTOMERS_PER_PAGE + 1} customers" in first and "Page 1 of 2" in first
    assert first.count('href="/staff/customers/') - first.count('href="/staff/customers/"') == CUSTOMERS_PER_PAGE
    assert "Page 2 of 2" in second and 'href="?q=shopper&amp;page=1"' in second


def test_htmx_search_answers_with_the_results_fragment(admin_client, customer):
    fragment = admin_client.get("/staff/customers/?q=meera", HTTP_HX_REQUEST="true").content.decode()

    assert fragment.lstrip().startswith('<div id="customer-results">') and "<html" not in fragment
    assert "meera@example.com" in fragment


def test_detail_shows_the_customer_and_unknown_ids_are_404(admin_client, customer):
    page = admin_client.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert "Meera Iyer" in page and "Block customer" in page and "Save roles" in page
    assert admin_client.get("/staff/customers/not-an-id/").status_code == 404
    assert admin_client.get("/staff/customers/0123456789abcdef01234567/").status_code == 404


def test_a_support_agent_sees_the_customer_without_block_or_role_forms(customer):
    client = Client()
    client.force_login(_staff("support_agent", "agent@example.com"))

    page = client.get(f"/staff/customers/{customer.pk}/").content.decode()

    assert "Meera Iyer" in page
    assert "Block customer" not in page and "Save roles" not in page


def test_block_ends_the_customers_sessions(admin_client, customer):
    shopper_browser = signed_in_client(customer)

    response = admin_client.post(f"/staff/customers/{customer.pk}/block/", {"reason": "Chargebacks"})

    assert response.status_code == 302
    assert response["Location"] == f"/staff/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert (customer.status, customer.blocked_reason) == ("blocked", "Chargebacks")
    assert not BrowserSession.objects.filter(user_id=str(customer.pk)).exists()
    assert shopper_browser.get("/account/").status_code == 302
    assert AuditEntry.objects.filter(action="user.block", object_id=str(customer.pk)).count() == 1


def test_block_needs_a_reason_and_changes_nothing(admin_client, customer):
    response = admin_client.post(f"/staff/customers/{customer.pk}/block/", {"reason": "  "})

    assert response.status_code == 400
    assert '<p class="field-error" id="id_reason_error">This field is required.</p>' in response.content.decode()
    customer.refresh_from_db()
    assert customer.status == "active"
    assert not AuditEntry.objects.filter(action="user.block").exists()


def test_staff_cannot_block_themselves(admin_client, admin):
    response = admin_client.post(f"/staff/customers/{admin.pk}/block/", {"reason": "Oops"})

    assert response.status_code == 400
    assert "You cannot block your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.status == "active"


def test_block_and_unblock_refuse_get(admin_client, customer):
    assert admin_client.get(f"/staff/customers/{customer.pk}/block/").status_code == 405
    assert admin_client.get(f"/staff/customers/{customer.pk}/unblock/").status_code == 405
    customer.refresh_from_db()
    assert customer.status == "active"


def test_unblock_lets_the_customer_sign_in_again(admin_client, admin, customer):
    services.user_block(actor=admin, user=customer, reason="Fraud")

    response = admin_client.post(f"/staff/customers/{customer.pk}/unblock/")

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.status, customer.is_active) == ("active", True)


def test_roles_are_set_from_the_checkboxes_and_take_effect_at_once(admin_client, customer):
    client = Client()
    client.force_login(customer)
    assert client.get("/staff/").status_code == 403

    response = admin_client.post(f"/staff/customers/{customer.pk}/roles/", {"roles": ["order_manager"]})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (user_roles(customer), customer.is_staff) == ({"order_manager"}, True)
    assert client.get("/staff/").status_code == 200


def test_an_unknown_role_is_refused_and_roles_stay(admin_client, customer):
    response = admin_client.post(f"/staff/customers/{customer.pk}/roles/", {"roles": ["overlord"]})

    assert response.status_code == 400
    assert user_roles(customer) == set()


def test_administrators_cannot_remove_their_own_administrator_role(admin_client, admin):
    response = admin_client.post(f"/staff/customers/{admin.pk}/roles/", {"roles": ["support_agent"]})

    assert response.status_code == 400
    assert "You cannot remove your own administrator role." in response.content.decode()
    assert user_roles(admin) == {"administrator"}


def test_staff_nav_shows_only_pages_the_role_may_open(db):
    client = Client()
    client.force_login(_staff("catalogue_manager", "cat@example.com"))

    page = client.get("/staff/").content.decode()

    assert '<a href="/staff/" aria-current="page">Dashboard</a>' in page
    assert 'href="/staff/customers/"' not in page
