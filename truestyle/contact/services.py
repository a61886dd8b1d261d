"""Contact messages: a visitor writes in, staff answer by email and track the status.

Messages live in PostgreSQL. When it cannot take the message the visitor is told plainly
(`ContactUnavailable`, 503) and the front door keeps what they typed; nothing is half-written.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from truestyle.auditlog.services import audit_record
from truestyle.contact.models import ContactMessage, ContactReply
from truestyle.core.errors import NotFound, StoreError, Throttled
from truestyle.core.ratelimit import Limit, limits_release, limits_reserve

logger = logging.getLogger(__name__)

# A person writes a few messages an hour at most; a script writes hundreds.
SUBMIT_PER_ADDRESS = Limit("contact-submit-ip", max_attempts=5, window_seconds=3600)
SQL = "default"


class ContactUnavailable(StoreError):
    code = "contact_unavailable"
    status = 503


def contact_message_submit(*, name: str, email: str, subject: str, message: str, phone: str = "",
                           ip: str = "", user=None) -> ContactMessage:
    """Store a visitor's message (fields already validated by the form or serializer)."""
    subject_limits = [(SUBMIT_PER_ADDRESS, ip or "unknown")]
    verdict = limits_reserve(subject_limits=subject_limits)
    if not verdict.allowed:
        raise Throttled("You have sent several messages already. Please wait a while before sending another.",
                        retry_after=verdict.retry_after)
    user_id = str(user.pk) if user is not None and getattr(user, "is_authenticated", False) else ""
    try:
        return ContactMessage.objects.using(SQL).create(name=name, email=email, phone=phone, subject=subject,
                                                        message=message, user_id=user_id)
    except DatabaseError as error:
        # The attempt stored nothing, so it does not count against the visitor.
        limits_release(subject_limits=subject_limits)
        logger.warning("contact message not stored, PostgreSQL unavailable (%s)", error.__class__.__name__)
        raise ContactUnavailable("We could not send your message just now. Please try again in a few minutes; "
                                 "what you wrote is still in the form.") from error


def _message(message_id) -> ContactMessage:
    message = ContactMessage.objects.using(SQL).filter(pk=message_id).first()
    if message is None:
        raise NotFound("That message does not exist.", code="contact_message_not_found")
    return message


def contact_message_set_status(*, actor, message_id, status: str, ip: str = "") -> ContactMessage:
    if status not in ContactMessage.Status.values:
        raise StoreError("Choose a status.", fields={"status": ["Choose one of new, in progress, resolved."]})
    message = _message(message_id)
    before = message.status
    if before == status:
        return message
    ContactMessage.objects.using(SQL).filter(pk=message.pk).update(status=status)
    message.status = status
    audit_record(actor=actor, action="contact.status", object_type="contact_message", object_id=str(message.pk),
                 before={"status": before}, after={"status": status}, ip=ip)
    return message


def contact_message_reply(*, actor, message_id, body: str, ip: str = "") -> ContactReply:
    """Record a staff reply and email it to the visitor once committed; a new message moves to in progress."""
    body = (body or "").strip()
    if not body:
        raise StoreError("Write a reply first.", fields={"body": ["Write a reply first."]})
    if len(body) > 5000:
        raise StoreError("The reply is too long.", fields={"body": ["At most 5000 characters."]})
    message = _message(message_id)
    with transaction.atomic(using=SQL):
        reply = ContactReply.objects.using(SQL).create(message=message, body=body, sent_by_id=str(actor.pk),
                                                       sent_by_email=actor.email)
        if message.status == ContactMessage.Status.NEW:
            ContactMessage.objects.using(SQL).filter(pk=message.pk).update(status=ContactMessage.Status.IN_PROGRESS)

        def send():
            from truestyle.contact.tasks import contact_reply_send

            try:
                contact_reply_send.delay(reply.pk)
            except Exception:
                # Broker away: the reply stays queued and contact_replies_send_queued sends it later.
                logger.warning("contact reply %s queued for the periodic sender", reply.pk, exc_info=True)

        transaction.on_commit(send, using=SQL)
    audit_record(actor=actor, action="contact.reply", object_type="contact_message", object_id=str(message.pk),
                 after={"reply": reply.pk}, ip=ip)
    return reply


def contact_reply_deliver(*, reply_id: int) -> ContactReply | None:
    """Send one queued reply by email; a reply already sent is not sent again."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    reply = ContactReply.objects.using(SQL).select_related("message").filter(pk=reply_id).first()
    if reply is None or reply.delivery == ContactReply.Delivery.SENT:
        return reply
    message = reply.message
    email = EmailMessage(
        subject=f"Re: {message.subject}",
        body=render_to_string("emails/contact_reply.txt", {"reply": reply, "message": message,
                                                           "store": settings.STORE_NAME}),
        to=[message.email],
    )
    email.send()
    ContactReply.objects.using(SQL).filter(pk=reply.pk).update(delivery=ContactReply.Delivery.SENT)
    reply.delivery = ContactReply.Delivery.SENT
    return reply


def contact_replies_queued(*, older_than_seconds: int = 60) -> list[int]:
    """Ids of replies still waiting for their email (their task was lost or failed)."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(ContactReply.objects.using(SQL).filter(delivery=ContactReply.Delivery.QUEUED,
                                                       created_at__lt=cutoff).values_list("pk", flat=True))
