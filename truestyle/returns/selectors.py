"""Reads for returns and exchanges."""

from __future__ import annotations

from truestyle.returns.models import ReturnEvent, ReturnRequest


def returns_of_user(*, user) -> list[ReturnRequest]:
    return list(ReturnRequest.objects.select_related("order", "line").filter(user_id=user.pk)
                .order_by("-created_at"))


def return_of_user(*, user, number: str) -> ReturnRequest | None:
    return ReturnRequest.objects.select_related("order", "line").filter(user_id=user.pk, number=number).first()


def return_by_number(*, number: str) -> ReturnRequest | None:
    return ReturnRequest.objects.select_related("order", "line", "user").filter(number=number).first()


def returns_queue(*, status: str = "", kind: str = "", query: str = "") -> list[ReturnRequest]:
    """The staff queue, oldest first so the longest-waiting request is on top; filtered as asked."""
    requests = ReturnRequest.objects.select_related("order", "line", "user")
    if status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    query = (query or "").strip().upper()
    if query:
        requests = requests.filter(number__icontains=query) | requests.filter(order__number__icontains=query)
    return list(requests.order_by("created_at")[:200])


def return_events(*, request: ReturnRequest) -> list[ReturnEvent]:
    return list(ReturnEvent.objects.filter(request_id=request.pk).order_by("created_at"))


def returnable_lines(*, user) -> list[dict]:
    """Lines of the user's delivered orders that can still come back: within their window, of a
    returnable category, with units not yet claimed. Each as {"order", "line", "available", "until"}."""
    from datetime import timedelta

    from django.utils import timezone

    from truestyle.orders.models import Order
    from truestyle.returns.models import ReturnLineTally
    from truestyle.returns.rules import policy_for_line
    from truestyle.returns.services import delivered_at

    now = timezone.now()
    found = []
    for order in Order.objects.filter(user_id=user.pk, status="delivered").order_by("-created_at")[:50]:
        delivered = delivered_at(order) or order.updated_at
        lines = list(order.lines.all())
        claimed = {tally.line_id: tally.claimed for tally in ReturnLineTally.objects.filter(
            line_id__in=[line.pk for line in lines])}
        for line in lines:
            available = line.quantity - claimed.get(line.pk, 0)
            if available <= 0:
                continue
            policy = policy_for_line(line)
            until = delivered + timedelta(days=policy.window_days)
            if policy.returnable and now <= until:
                found.append({"order": order, "line": line, "available": available, "until": until})
    return found


def exchange_options(*, line) -> list:
    """Other sizes and colours of the line's product that are in stock now."""
    from truestyle.catalog.models import Variant

    variants = Variant.objects.select_related("colourway").filter(product_id=line.product_id, stock__gt=0)
    # Sorted here: ordering across the join comes back without the joined colourway on the embedded server.
    return sorted((variant for variant in variants if str(variant.pk) != line.variant_id),
                  key=lambda variant: (variant.colourway.position, variant.colourway.name, variant.position))
