"""Background work for orders: ids in, one service call, mail out."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from truestyle.orders.models import Order
from truestyle.orders.services import order_expire_unpaid
from truestyle.orders.statuses import EMAILED_STATUSES

SUBJECTS = {
    "placed": "Your {store} order {number} is placed",
    "shipped": "Your {store} order {number} is on its way",
    "delivered": "Your {store} order {number} was delivered",
    "cancelled": "Your {store} order {number} is cancelled",
}


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def order_status_email(order_id: str, status: str) -> bool:
    """Mail the customer about `status`; False when the order is gone or the status is not mailed."""
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None or status not in EMAILED_STATUSES:
        return False
    context = {"order": order, "lines": list(order.lines.all()), "user": order.user,
               "store_name": settings.STORE_NAME}
    send_mail(SUBJECTS[status].format(store=settings.STORE_NAME, number=order.number),
              render_to_string(f"emails/order_{status}.txt", context), None, [order.user.email])
    return True


@shared_task
def orders_expire_unpaid() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): cancel unpaid online orders past their deadline."""
    return order_expire_unpaid()
