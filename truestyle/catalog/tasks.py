"""Background work for the catalogue: ids in, one service call."""

from celery import shared_task

from truestyle.catalog.services.stock import waitlist_notify


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def back_in_stock_notify(variant_id: str) -> int:
    """Email everyone waiting for this size; returns how many were emailed."""
    return waitlist_notify(variant_id=variant_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def product_image_thumbnail_make(image_id: str) -> str:
    from truestyle.catalog.services.images import product_image_thumbnail_make as make

    return make(image_id=image_id)
