"""Background work for orders: ids in, one service call, mail out."""

from celery import shared_task

from truestyle.orders.services import order_expire_unpaid
from truestyle.orders.services.emails import QUEUED_AFTER_SECONDS, order_email_deliver, order_emails_send_queued


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def order_status_email(order_id: str, status: str) -> bool:
    """Mail the customer about `status` once; False when the order is gone, the status is not mailed,
    or the mail was already sent (by an earlier run or by the periodic sender)."""
    return order_email_deliver(order_id=order_id, status=status)


@shared_task
def orders_send_queued_emails(older_than_seconds: int = QUEUED_AFTER_SECONDS) -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): send order mails whose own task was lost (broker or worker away)."""
    return order_emails_send_queued(older_than_seconds=older_than_seconds)


@shared_task
def orders_expire_unpaid() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): cancel unpaid online orders past their deadline."""
    return order_expire_unpaid()
