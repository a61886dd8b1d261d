"""Password reset by a 6-digit code sent by email.

- The request answers the same for any email: the front door only counts the
  attempt and queues a Celery task; the task looks the account up, so neither
  the response nor its timing says whether the email is known.
- Only an HMAC of the code is stored; a code lives 10 minutes, is single use,
  allows 5 wrong tries, and a new request invalidates the previous code; a new
  code is not sent within 60 seconds of the last one.
- A successful reset ends every session and refresh token of the user and
  emails a notice. It does not sign the user in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from truestyle.accounts.models import PasswordResetCode, User
from truestyle.accounts.services.sessions import sessions_end_all
from truestyle.accounts.services.sign_in import account_subject
from truestyle.auditlog.services import audit_record
from truestyle.core.errors import StoreError, Throttled
from truestyle.core.ratelimit import Limit, limits_reserve

CODE_LIFETIME = timedelta(minutes=10)
RESEND_COOLDOWN = timedelta(seconds=60)
MAX_WRONG_TRIES = 5

REQUEST_PER_EMAIL = Limit("otp-request-email", max_attempts=5, window_seconds=3600)
REQUEST_PER_ADDRESS = Limit("otp-request-ip", max_attempts=20, window_seconds=3600)
CHECK_PER_EMAIL = Limit("otp-check-email", max_attempts=10, window_seconds=900)
CHECK_PER_ADDRESS = Limit("otp-check-ip", max_attempts=30, window_seconds=900)

INVALID_CODE_MESSAGE = "The code is not valid. Request a new code if it has expired."


class InvalidResetCode(StoreError):
    code = "invalid_code"
    status = 400


def _code_hash(user_id, code: str) -> str:
    key = hashlib.sha256(f"password-reset:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def password_reset_request(*, email: str, ip: str) -> None:
    """Count the request and queue the code. Same outcome for known and unknown emails."""
    from truestyle.accounts.tasks import password_reset_code_send

    email = (email or "").strip().lower()
    verdict = limits_reserve(subject_limits=[(REQUEST_PER_EMAIL, account_subject(email)),
                                             (REQUEST_PER_ADDRESS, ip or "unknown")])
    if not verdict.allowed:
        raise Throttled("Too many code requests. Please wait and try again.", retry_after=verdict.retry_after)
    password_reset_code_send.delay(email)


def password_reset_code_issue(*, email: str, now=None) -> tuple[PasswordResetCode, str] | None:
    """Make a new code for an active account (the Celery task sends it).

    Returns None for an unknown or inactive email, or within the resend
    cooldown. Older live codes are invalidated.
    """
    now = now or timezone.now()
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return None
    latest = PasswordResetCode.objects.filter(user=user).order_by("-created_at").first()
    if latest is not None and now - latest.created_at < RESEND_COOLDOWN:
        return None
    PasswordResetCode.objects.filter(user=user, used_at__isnull=True, invalidated_at__isnull=True).update(
        invalidated_at=now
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    record = PasswordResetCode.objects.create(
        user=user, code_hash=_code_hash(user.pk, code), created_at=now, expires_at=now + CODE_LIFETIME
    )
    return record, code


def password_reset_confirm(*, email: str, code: str, new_password: str, ip: str) -> User:
    """Set a new password with a valid code; raises InvalidResetCode, Throttled or a weak-password error."""
    from truestyle.accounts.tasks import password_reset_done_notify

    email = (email or "").strip().lower()
    verdict = limits_reserve(subject_limits=[(CHECK_PER_EMAIL, account_subject(email)),
                                             (CHECK_PER_ADDRESS, ip or "unknown")])
    if not verdict.allowed:
        raise Throttled("Too many attempts. Please wait and try again.", retry_after=verdict.retry_after)
    now = timezone.now()
    user = User.objects.filter(email=email, is_active=True).first()
    record = None
    if user is not None:
        record = PasswordResetCode.objects.filter(
            user=user, used_at__isnull=True, invalidated_at__isnull=True, expires_at__gt=now,
            failed_attempts__lt=MAX_WRONG_TRIES,
        ).order_by("-created_at").first()
    if record is None:
        _code_hash("0", code)  # the same work as a real check, so timing says nothing
        raise InvalidResetCode(INVALID_CODE_MESSAGE)
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise StoreError("Choose a stronger password.", code="weak_password",
                         fields={"new_password": list(error.messages)})
    code = str(code or "").strip()
    if not hmac.compare_digest(record.code_hash, _code_hash(user.pk, code)):
        # Conditional increment: concurrent wrong guesses cannot exceed the allowance.
        PasswordResetCode.objects.filter(pk=record.pk, failed_attempts__lt=MAX_WRONG_TRIES).update(
            failed_attempts=F("failed_attempts") + 1
        )
        raise InvalidResetCode(INVALID_CODE_MESSAGE)
    spent = PasswordResetCode.objects.filter(
        pk=record.pk, used_at__isnull=True, invalidated_at__isnull=True, failed_attempts__lt=MAX_WRONG_TRIES
    ).update(used_at=now)
    if spent != 1:  # a concurrent request used it first
        raise InvalidResetCode(INVALID_CODE_MESSAGE)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_all(user=user, reason="password_reset")
    audit_record(actor=user, action="user.password_reset", object_type="user", object_id=str(user.pk), ip=ip)
    password_reset_done_notify.delay(str(user.pk))
    return user
