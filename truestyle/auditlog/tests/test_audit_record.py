"""audit_record: written at once, or, with PostgreSQL away, kept in the spool and written later as it was."""

from __future__ import annotations

from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.auditlog.services import audit_record, request_log_flush_spool
from truestyle.testing.network import sql_database_unreachable

FIELDS = ("actor_id", "actor_email", "action", "object_type", "object_id", "before", "after", "ip_address")


def test_an_audit_entry_is_written_at_once(db, spool_dir):
    actor = user_create()

    entry = audit_record(actor=actor, action="product.save", object_type="product", object_id="p-1",
                         before={"price": "10.00"}, after={"price": "12.00"}, ip="203.0.113.7")

    assert list(AuditEntry.objects.values(*FIELDS)) == [
        {"actor_id": str(actor.pk), "actor_email": "asha@example.com", "action": "product.save",
         "object_type": "product", "object_id": "p-1", "before": {"price": "10.00"}, "after": {"price": "12.00"},
         "ip_address": "203.0.113.7"},
    ]
    assert entry == AuditEntry.objects.get()


def test_with_postgresql_away_the_entry_is_spooled_and_written_later_with_its_own_time(db, spool_dir):
    actor = user_create()
    before = timezone.now()
    with sql_database_unreachable():
        entry = audit_record(actor=actor, action="user.block", object_type="user", object_id="u-9",
                             before={"is_active": True}, after={"is_active": False}, ip="not an ip")
    after = timezone.now()

    assert entry is None
    assert AuditEntry.objects.count() == 0
    assert len(list(spool_dir.glob("*.jsonl"))) == 1

    assert request_log_flush_spool() == 1

    assert list(AuditEntry.objects.values(*FIELDS)) == [
        {"actor_id": str(actor.pk), "actor_email": "asha@example.com", "action": "user.block",
         "object_type": "user", "object_id": "u-9", "before": {"is_active": True}, "after": {"is_active": False},
         "ip_address": None},
    ]
    assert before <= AuditEntry.objects.get().created_at <= after
    assert list(spool_dir.iterdir()) == []
