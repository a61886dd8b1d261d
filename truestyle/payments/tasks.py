"""Background work for payments: ids in, one service call."""

from celery import shared_task

from truestyle.payments.services import payment_refund_process


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=8)
def payment_refund_process_task(refund_id: str) -> str:
    """Ask the gateway to refund; returns the refund's status."""
    return payment_refund_process(refund_id=refund_id).status
