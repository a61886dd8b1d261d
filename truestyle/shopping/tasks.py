"""Background work for carts and wishlists: one service call per task."""

from celery import shared_task

from truestyle.shopping.services import wishlist_price_drops_notify


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def wishlist_price_drop_notify() -> int:
    """Periodic (see CELERY_BEAT_SCHEDULE): email opted-in shoppers whose wishlist items got cheaper."""
    return wishlist_price_drops_notify()
