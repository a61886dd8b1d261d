"""Background work for returns: ids in, one mail out."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from truestyle.returns.models import ReturnRequest
from truestyle.returns.statuses import ReturnStatus

SUBJECTS = {
    ReturnStatus.REQUESTED: "We received your {kind} request {number}",
    ReturnStatus.APPROVED: "Your {kind} request {number} is approved",
    ReturnStatus.REJECTED: "Your {kind} request {number} was not approved",
    ReturnStatus.PICKED_UP: "Your {kind} {number} was picked up",
    ReturnStatus.RECEIVED: "We received the item of your {kind} {number}",
    ReturnStatus.COMPLETED: "Your {kind} {number} is complete",
    ReturnStatus.CANCELLED: "Your {kind} request {number} is cancelled",
}


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def return_status_email(request_id: str, status: str) -> bool:
    """Mail the customer about `status` of a return or exchange; False when there is nothing to send."""
    request = ReturnRequest.objects.select_related("user", "order", "line").filter(pk=request_id).first()
    if request is None or status not in SUBJECTS:
        return False
    context = {"request": request, "order": request.order, "line": request.line, "user": request.user,
               "store_name": settings.STORE_NAME}
    subject = SUBJECTS[status].format(kind=request.kind, number=request.number)
    send_mail(f"{settings.STORE_NAME}: {subject}", render_to_string(f"emails/return_{status}.txt", context), None,
              [request.user.email])
    return True
