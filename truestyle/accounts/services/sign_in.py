"""Sign-in with limits per account and per client address, checked before any password is hashed."""

from __future__ import annotations

import hashlib

from django.contrib.auth import authenticate

from truestyle.accounts.models import User
from truestyle.core.errors import StoreError, Throttled
from truestyle.core.ratelimit import Limit, limits_release, limits_reserve

# A short lockout after a burst, and a ceiling per hour (the 100).
ACCOUNT_BURST = Limit("signin-account-burst", max_attempts=5, window_seconds=300)
ACCOUNT_HOURLY = Limit("signin-account-hour", max_attempts=100, window_seconds=3600)
ADDRESS_LIMIT = Limit("signin-ip", max_attempts=50, window_seconds=900)

THROTTLED_MESSAGE = "Too many sign-in attempts. Please wait and try again."


class InvalidCredentials(StoreError):
    code = "invalid_credentials"
    status = 401


def account_subject(email: str) -> str:
    """Counters are keyed by a hash: raw email addresses never sit in Redis."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _sign_in_limits(email: str, ip: str) -> list[tuple[Limit, str]]:
    subject = account_subject(email)
    return [(ACCOUNT_BURST, subject), (ACCOUNT_HOURLY, subject), (ADDRESS_LIMIT, ip or "unknown")]


def sign_in_authenticate(*, request, email: str, password: str, ip: str) -> User:
    """The user for these credentials, or InvalidCredentials / Throttled.

    The attempt is counted before the password is checked, so the limit holds
    under concurrent requests and a locked account costs no hashing. A correct
    password gives its attempt back.
    """
    limits = _sign_in_limits(email, ip)
    verdict = limits_reserve(subject_limits=limits)
    if not verdict.allowed:
        raise Throttled(THROTTLED_MESSAGE, retry_after=verdict.retry_after)
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is None:
        # Blocked and deactivated users land here too: same message, nothing to enumerate.
        raise InvalidCredentials("The email or password is not correct.")
    limits_release(subject_limits=limits)
    return user
