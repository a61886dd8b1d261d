"""Background work for contact messages: reply emails."""

from celery import shared_task

from truestyle.contact.services import contact_replies_queued, contact_reply_deliver


@shared_task(autoretry_for=(ConnectionError, TimeoutError, OSError), retry_backoff=True, max_retries=5)
def contact_reply_send(reply_id: int) -> bool:
    reply = contact_reply_deliver(reply_id=reply_id)
    return reply is not None


@shared_task
def contact_replies_send_queued() -> int:
    """Periodic: send replies whose own task never ran (broker away when they were written)."""
    sent = 0
    for reply_id in contact_replies_queued():
        if contact_reply_deliver(reply_id=reply_id) is not None:
            sent += 1
    return sent
