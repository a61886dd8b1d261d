"""Reads of contact messages for the staff inbox."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from truestyle.contact.models import ContactMessage, ContactReply

SQL = "default"


def contact_messages(*, status: str = "", query: str = "") -> QuerySet[ContactMessage]:
    messages = ContactMessage.objects.using(SQL).all()
    if status:
        messages = messages.filter(status=status)
    if query:
        messages = messages.filter(Q(email__icontains=query) | Q(name__icontains=query)
                                   | Q(subject__icontains=query) | Q(message__icontains=query))
    return messages.order_by("-created_at", "-pk")


def contact_message_for_staff(*, message_id) -> ContactMessage | None:
    if not str(message_id).isdigit():
        return None
    return ContactMessage.objects.using(SQL).filter(pk=message_id).first()


def contact_replies(*, message: ContactMessage) -> list[ContactReply]:
    return list(message.replies.using(SQL).order_by("created_at", "pk"))


def contact_counts() -> dict[str, int]:
    """Messages per status, for the inbox tabs."""
    counts = {status: 0 for status in ContactMessage.Status.values}
    for row in ContactMessage.objects.using(SQL).values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
