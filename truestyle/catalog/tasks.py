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


# No automatic retry: the job records its own failure, and a second delivery finds it claimed and does nothing.
@shared_task
def catalog_import_run(import_id: str) -> str:
    """Check and import an uploaded catalogue CSV; returns the job's final status."""
    from truestyle.catalog.services.csv_transfer import catalog_import_run as run

    return run(import_id=import_id).status
