"""Staff coupon pages: list with search and status, create and edit with the coupon rules, deactivate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.promotions.models import Coupon
from truestyle.promotions.tests.factories import brand_create, category_create, coupon_create

VALID = {"code": "monsoon20", "description": "Monsoon sale", "kind": "percent", "value": "20",
         "max_discount": "500", "min_order_value": "1500", "valid_from": "2026-12-01T00:00",
         "valid_until": "2026-12-31T23:59", "usage_limit": "100", "per_customer_limit": "1", "is_active": "on"}


@pytest.fixture
def manager(db):
    user = user_create(email="orders@example.com")
    user.groups.add(Group.objects.get(name="order_manager"))
    return user


@pytest.fixture
def client(manager):
    client = Client()
    client.force_login(manager)
    return client


def test_creating_a_coupon_stores_it_normalised_and_audits_it(client, manager):
    men, loom = category_create("men"), brand_create("Loom")

    response = client.post("/staff/coupons/new/",
                           {**VALID, "category_ids": [str(men.pk)], "brand_ids": [str(loom.pk)]})

    assert response.status_code == 302 and response["Location"] == "/staff/coupons/"
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.kind, coupon.value, coupon.max_discount, coupon.min_order_value) == (
        "MONSOON20", "percent", Decimal("20.00"), Decimal("500.00"), Decimal("1500.00"))
    assert (coupon.usage_limit, coupon.per_customer_limit, coupon.uses, coupon.is_active) == (100, 1, 0, True)
    assert (coupon.category_ids, coupon.brand_ids) == ([str(men.pk)], [str(loom.pk)])
    # The form's times are the store's (Asia/Kolkata): midnight there is 18:30 UTC the day before.
    assert coupon.valid_from.astimezone(timezone.UTC).isoformat() == "2026-11-30T18:30:00+00:00"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_email, entry.object_id) == (
        "coupon.created", "orders@example.com", str(coupon.pk))


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"value": "120"}, "value", "A percent discount cannot be more than 100."),
    ({"valid_until": "2026-11-30T23:00"}, "valid_until", "The end must be after the start."),
    ({"valid_until": "2026-12-01T00:00"}, "valid_until", "The end must be after the start."),
    ({"kind": "flat", "value": "300"}, "max_discount", "A cap applies only to percent coupons; leave it empty."),
    ({"per_customer_limit": "101"}, "per_customer_limit", "It cannot be more than the total usage limit."),
    ({"usage_limit": "0"}, "usage_limit", "Enter at least 1, or leave it empty for no limit."),
    ({"code": "X!"}, "code", "Use 3 to 30 letters, digits, - or _, starting with a letter or digit."),
    ({"value": "0"}, "value", "Enter an amount of at least 0.01."),
])
def test_the_coupon_rules_show_as_field_errors_and_nothing_is_saved(client, change, field, message):
    response = client.post("/staff/coupons/new/", {**VALID, **change})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert Coupon.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_codes_are_unique_whatever_their_case(client):
    coupon_create(code="MONSOON20")

    response = client.post("/staff/coupons/new/", VALID)

    assert response.context["form"].errors["code"] == ["Another coupon already has this code."]
    assert Coupon.objects.count() == 1


def test_editing_keeps_the_uses_and_refuses_a_limit_below_them(client):
    coupon = coupon_create(code="DIWALI", value="10", usage_limit=50, uses=7)

    page = client.get(f"/staff/coupons/{coupon.pk}/").content.decode()
    refused = client.post(f"/staff/coupons/{coupon.pk}/", {**VALID, "code": "DIWALI", "usage_limit": "6"})
    saved = client.post(f"/staff/coupons/{coupon.pk}/", {**VALID, "code": "diwali", "value": "12.5",
                                                          "usage_limit": "7", "per_customer_limit": ""})

    assert "Used 7 of 50 times" in page and 'value="DIWALI"' in page
    assert refused.context["form"].errors["usage_limit"] == ["It has been used 7 times already; enter at least 7."]
    assert saved.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.code, coupon.value, coupon.usage_limit, coupon.per_customer_limit, coupon.uses) == (
        "DIWALI", Decimal("12.50"), 7, None, 7)
    assert AuditEntry.objects.get().action == "coupon.updated"


def test_the_list_searches_filters_by_status_and_shows_uses(client):
    now = timezone.now()
    coupon_create(code="LIVE10", usage_limit=20, uses=3, description="Welcome offer")
    coupon_create(code="GONE", valid_until=now - timedelta(days=1))
    coupon_create(code="SOON", valid_from=now + timedelta(days=1))
    coupon_create(code="ALLUSED", usage_limit=2, uses=2)
    coupon_create(code="OFF", is_active=False)

    everything = client.get("/staff/coupons/").content.decode()
    search = client.get("/staff/coupons/?q=welcome").content.decode()
    statuses = {status: client.get(f"/staff/coupons/?status={status}").content.decode()
                for status in ("live", "expired", "scheduled", "used_up", "inactive")}

    assert "5 coupons" in everything and "3 / 20" in everything
    assert "LIVE10" in search and "1 coupon<" in search and "GONE" not in search
    found = {status: [code for code in ("LIVE10", "GONE", "SOON", "ALLUSED", "OFF") if f">{code}<" in page]
             for status, page in statuses.items()}
    assert found == {"live": ["LIVE10"], "expired": ["GONE"], "scheduled": ["SOON"], "used_up": ["ALLUSED"],
                     "inactive": ["OFF"]}


def test_htmx_search_returns_only_the_results(client):
    coupon_create(code="LIVE10")

    response = client.get("/staff/coupons/?q=live", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="coupon-results">') and "LIVE10" in body and "<html" not in body


def test_deactivating_stops_the_coupon(client):
    coupon = coupon_create(code="LIVE10")

    response = client.post(f"/staff/coupons/{coupon.pk}/deactivate/")
    again = client.post(f"/staff/coupons/{coupon.pk}/deactivate/")

    assert (response.status_code, again.status_code) == (302, 302)
    assert Coupon.objects.get(pk=coupon.pk).is_active is False
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["coupon.deactivated"]


def test_a_deactivation_needs_post_and_an_unknown_coupon_is_404(client):
    coupon = coupon_create(code="LIVE10")

    assert client.get(f"/staff/coupons/{coupon.pk}/deactivate/").status_code == 405
    assert client.get("/staff/coupons/0123456789abcdef01234567/").status_code == 404
    assert client.get("/staff/coupons/not-an-id/").status_code == 404
    assert Coupon.objects.get(pk=coupon.pk).is_active is True


def test_staff_without_the_permission_cannot_change_coupons(db):
    coupon = coupon_create(code="LIVE10")
    editor = user_create(email="editor@example.com")
    editor.groups.add(Group.objects.get(name="content_editor"))
    client = Client()
    client.force_login(editor)

    assert client.post(f"/staff/coupons/{coupon.pk}/", {**VALID, "code": "LIVE10"}).status_code == 403
    assert client.post("/staff/coupons/new/", VALID).status_code == 403
    assert Coupon.objects.count() == 1 and Coupon.objects.get().value == Decimal("10.00")
    assert "Coupons" not in client.get("/staff/").content.decode()
