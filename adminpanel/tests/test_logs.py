"""The staff log pages: each filter narrows to exactly the right rows; changes are shown field by field."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry, RequestLogEntry

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def administrator(db):
    admin = user_create(email="admin@example.com")
    admin.groups.add(Group.objects.get(name="administrator"))
    client = Client()
    client.force_login(admin)
    return client


def _audit(action, *, email="care@example.com", object_type="coupon", object_id="c1", day=1, before=None,
           after=None):
    entry = AuditEntry.objects.create(action=action, actor_email=email, object_type=object_type,
                                      object_id=object_id, before=before, after=after)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime(2026, 11, day, 12, tzinfo=IST))
    return entry


def _request(path, status, *, method="GET", duration=12.5, day=1):
    return RequestLogEntry.objects.create(created_at=datetime(2026, 11, day, 12, tzinfo=IST), method=method,
                                          path=path, status_code=status, duration_ms=duration)


def _rows(html: str, marker: str) -> int:
    return html.count(marker)


def test_the_audit_log_filters_by_action_staff_object_and_dates(administrator):
    _audit("coupon.save", day=3)
    _audit("coupon.deactivate", day=5)
    _audit("user.block", email="admin@example.com", object_type="user", object_id="u7", day=7)

    by_action = administrator.get("/staff/logs/audit/?action=coupon.save").content.decode()
    by_staff = administrator.get("/staff/logs/audit/?actor=ADMIN@").content.decode()
    by_object = administrator.get("/staff/logs/audit/?object_type=user&object_id=u7").content.decode()
    by_dates = administrator.get("/staff/logs/audit/?since=2026-11-04&until=2026-11-06").content.decode()

    assert "1 entry" in by_action and "<code>coupon.save</code>" in by_action
    assert "<code>coupon.deactivate</code>" not in by_action
    assert "1 entry" in by_staff and "<code>user.block</code>" in by_staff
    assert "1 entry" in by_object and "<code>user.block</code>" in by_object
    assert "1 entry" in by_dates and "<code>coupon.deactivate</code>" in by_dates


def test_an_audit_entry_shows_its_changes_field_by_field(administrator):
    entry = _audit("coupon.save", before={"value": "10.00", "is_active": True},
                   after={"value": "15.00", "is_active": True})

    page = administrator.get(f"/staff/logs/audit/{entry.pk}/").content.decode()

    assert '<tr class="changed"><td>value</td><td><code>10.00</code></td><td><code>15.00</code></td></tr>' in page
    assert "<tr><td>is_active</td><td><code>True</code></td><td><code>True</code></td></tr>" in page
    assert administrator.get("/staff/logs/audit/999999/").status_code == 404


def test_the_request_log_filters_by_status_class_method_path_and_duration(administrator):
    _request("/shop/kurtas/", 200)
    _request("/shop/missing/", 404)
    _request("/api/v1/orders", 500, method="POST", duration=950.0)

    errors = administrator.get("/staff/logs/requests/?status=5", HTTP_HX_REQUEST="true").content.decode()
    refused = administrator.get("/staff/logs/requests/?status=4&path=missing").content.decode()
    slow_posts = administrator.get("/staff/logs/requests/?method=POST&slower_than=900").content.decode()

    assert errors.lstrip().startswith('<div id="log-results"')
    assert "1 request" in errors and "POST /api/v1/orders" in errors and "/shop/kurtas/" not in errors
    assert "1 request" in refused and "GET /shop/missing/" in refused
    assert "1 request" in slow_posts and "950.0 ms" in slow_posts


def test_a_bad_filter_value_is_shown_as_an_error_with_no_rows(administrator):
    _audit("coupon.save")

    page = administrator.get("/staff/logs/audit/?since=yesterday").content.decode()

    assert "Enter a valid date." in page
    assert "0 entries" in page


def test_staff_without_the_log_permission_are_refused(db):
    manager = user_create(email="orders@example.com")
    manager.groups.add(Group.objects.get(name="order_manager"))
    client = Client()
    client.force_login(manager)

    assert client.get("/staff/logs/audit/").status_code == 403
    assert client.get("/staff/logs/requests/").status_code == 403
