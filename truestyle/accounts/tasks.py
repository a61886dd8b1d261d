"""Background work for accounts: ids (or an email) in, one service call, mail out."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from truestyle.accounts.models import User
from truestyle.accounts.services.password_reset import CODE_LIFETIME, password_reset_code_issue


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def password_reset_code_send(email: str) -> bool:
    """Issue and email a reset code; returns whether one was sent (False for unknown emails)."""
    issued = password_reset_code_issue(email=email)
    if issued is None:
        return False
    record, code = issued
    context = {"user": record.user, "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60),
               "store_name": settings.STORE_NAME}
    send_mail(
        f"Your {settings.STORE_NAME} password reset code",
        render_to_string("emails/password_reset_code.txt", context),
        None,
        [record.user.email],
    )
    return True


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def password_reset_done_notify(user_id: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    send_mail(
        f"Your {settings.STORE_NAME} password was changed",
        render_to_string("emails/password_reset_done.txt", {"user": user, "store_name": settings.STORE_NAME}),
        None,
        [user.email],
    )
