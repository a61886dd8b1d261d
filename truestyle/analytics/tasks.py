"""Background work for analytics: the periodic trending recomputation."""

from celery import shared_task

from truestyle.analytics.trending import trending_recompute


@shared_task
def trending_recompute_task() -> int:
    return trending_recompute()
