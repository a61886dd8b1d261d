"""Reads for the staff order pages: the filtered list, the payment status of listed orders, names of actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bson import ObjectId
from django.db.models import Q, QuerySet
from django.utils import timezone

from truestyle.orders.models import Order


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    payment_method: str = ""
    payment_status: str = ""
    placed_from: date | None = None
    placed_to: date | None = None
    q: str = ""


def _local_midnight(day: date) -> datetime:
    """The start of `day` in the store's time zone: staff think in Indian dates, the database in UTC."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def order_list_for_staff(*, filters: OrderFilters) -> QuerySet[Order]:
    """Orders matching every given filter, newest first.

    The dates are those on which the customer placed the order (`created_at`, so orders still
    awaiting payment are found too), both ends included, in the store's time zone. The search
    matches part of the order number, or of the customer's email or name.
    """
    from truestyle.accounts.models import User
    from truestyle.payments.models import Payment

    orders = Order.objects.select_related("user").order_by("-created_at", "-pk")
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.payment_method:
        orders = orders.filter(payment_method=filters.payment_method)
    if filters.payment_status:
        # The order's payment record carries the status; an order has one payment.
        order_ids = Payment.objects.filter(status=filters.payment_status).values_list("order_id", flat=True)
        orders = orders.filter(pk__in=list(order_ids))
    if filters.placed_from:
        orders = orders.filter(created_at__gte=_local_midnight(filters.placed_from))
    if filters.placed_to:
        orders = orders.filter(created_at__lt=_local_midnight(filters.placed_to + timedelta(days=1)))
    query = filters.q.strip()
    if query:
        customer_ids = list(User.objects.filter(Q(email__icontains=query) | Q(name__icontains=query))
                            .values_list("pk", flat=True))
        orders = orders.filter(Q(number__icontains=query) | Q(user_id__in=customer_ids))
    return orders


def payment_statuses(*, orders) -> dict:
    """{order pk: status of its latest payment} for the orders on a page (one query)."""
    from truestyle.payments.models import Payment

    statuses = {}
    for order_id, status in (Payment.objects.filter(order_id__in=[order.pk for order in orders])
                             .order_by("created_at").values_list("order_id", "status")):
        statuses[order_id] = status  # later payments overwrite earlier ones
    return statuses


def order_by_number_for_staff(*, number: str) -> Order | None:
    return (Order.objects.select_related("user").prefetch_related("lines").filter(number=number).first()
            if number else None)


def order_events(*, order: Order) -> list:
    return list(order.events.order_by("created_at", "pk"))


def people_by_id(*, user_ids) -> dict:
    """{user id as text: user} for the people named in an order's history."""
    from truestyle.accounts.models import User

    valid = [ObjectId(user_id) for user_id in set(user_ids) if user_id and ObjectId.is_valid(user_id)]
    if not valid:
        return {}
    return {str(user.pk): user for user in User.objects.filter(pk__in=valid)}
