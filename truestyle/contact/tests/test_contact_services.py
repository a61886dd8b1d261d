"""Contact services: storing a message, the per-address limit, PostgreSQL away, staff status and replies."""

from __future__ import annotations

import pytest
from django.core import mail

from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.contact.models import ContactMessage, ContactReply
from truestyle.contact.services import (
    ContactUnavailable,
    contact_message_reply,
    contact_message_set_status,
    contact_message_submit,
    contact_replies_queued,
    contact_reply_deliver,
)
from truestyle.core.errors import NotFound, StoreError, Throttled
from truestyle.testing.network import sql_database_unreachable

MESSAGE = {"name": "Meera Iyer", "email": "meera@example.com", "subject": "Kurta sizes",
           "message": "Does the cotton kurta run small?"}


def _submit(ip: str = "203.0.113.5", **overrides):
    return contact_message_submit(**{**MESSAGE, **overrides}, ip=ip)


def test_a_message_is_stored_in_postgresql_with_the_signed_in_user(db):
    shopper = user_create()

    message = contact_message_submit(**MESSAGE, phone="+91 98450 12345", ip="203.0.113.5", user=shopper)

    stored = ContactMessage.objects.using("default").get()
    assert stored.pk == message.pk
    assert (stored.name, stored.email, stored.phone, stored.subject, stored.message, stored.status,
            stored.user_id) == ("Meera Iyer", "meera@example.com", "+91 98450 12345", "Kurta sizes",
                                "Does the cotton kurta run small?", "new", str(shopper.pk))


def test_the_sixth_message_from_one_address_within_the_hour_is_refused_and_not_stored(db):
    for _ in range(5):
        _submit()

    with pytest.raises(Throttled) as refused:
        _submit()

    assert refused.value.retry_after > 0
    assert ContactMessage.objects.count() == 5
    _submit(ip="198.51.100.9")  # another address is not held back
    assert ContactMessage.objects.count() == 6


def test_with_postgresql_away_the_visitor_is_told_and_the_attempt_does_not_count(db):
    with sql_database_unreachable():
        with pytest.raises(ContactUnavailable) as refused:
            _submit()

    assert refused.value.status == 503
    assert "try again in a few minutes" in refused.value.message
    assert ContactMessage.objects.count() == 0
    for _ in range(5):  # the failed attempt did not use up one of the five
        _submit()
    assert ContactMessage.objects.count() == 5


def test_staff_change_the_status_and_the_audit_log_records_it(db):
    staff = user_create(email="care@example.com")
    message = _submit()

    contact_message_set_status(actor=staff, message_id=message.pk, status="resolved", ip="10.0.0.1")

    assert ContactMessage.objects.get().status == "resolved"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.before, entry.after, entry.actor_email) == (
        "contact.status", str(message.pk), {"status": "new"}, {"status": "resolved"}, "care@example.com")


def test_an_unknown_status_is_refused_and_changes_nothing(db):
    message = _submit()

    with pytest.raises(StoreError) as refused:
        contact_message_set_status(actor=user_create(), message_id=message.pk, status="closed")

    assert refused.value.fields == {"status": ["Choose one of new, in progress, resolved."]}
    assert ContactMessage.objects.get().status == "new"
    assert AuditEntry.objects.count() == 0


def test_a_reply_is_stored_mailed_to_the_visitor_and_moves_a_new_message_in_progress(db):
    staff = user_create(email="care@example.com")
    message = _submit()

    reply = contact_message_reply(actor=staff, message_id=message.pk, body="It runs true to size.")

    stored = ContactReply.objects.get()
    assert (stored.pk, stored.body, stored.sent_by_email, stored.delivery) == (
        reply.pk, "It runs true to size.", "care@example.com", "sent")
    assert ContactMessage.objects.get().status == "in_progress"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["meera@example.com"]
    assert mail.outbox[0].subject == "Re: Kurta sizes"
    assert "It runs true to size." in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="contact.reply").count() == 1


def test_an_empty_reply_or_a_missing_message_is_refused_and_nothing_is_sent(db):
    staff = user_create()
    message = _submit()

    with pytest.raises(StoreError) as empty:
        contact_message_reply(actor=staff, message_id=message.pk, body="   ")
    with pytest.raises(NotFound):
        contact_message_reply(actor=staff, message_id=message.pk + 1000, body="Hello")

    assert empty.value.fields == {"body": ["Write a reply first."]}
    assert ContactReply.objects.count() == 0
    assert mail.outbox == []
    assert ContactMessage.objects.get().status == "new"


def test_a_reply_whose_task_was_lost_is_sent_once_by_the_periodic_sender(db):
    message = _submit()
    reply = ContactReply.objects.create(message=message, body="Sorry for the wait.", sent_by_id="x",
                                        sent_by_email="care@example.com")
    ContactReply.objects.filter(pk=reply.pk).update(created_at=reply.created_at.replace(year=2020))

    assert contact_replies_queued() == [reply.pk]
    contact_reply_deliver(reply_id=reply.pk)
    contact_reply_deliver(reply_id=reply.pk)

    assert len(mail.outbox) == 1
    assert contact_replies_queued() == []
