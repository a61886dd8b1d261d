"""Browser sessions: which devices a user is signed in on, and ending them."""

from __future__ import annotations

from django.utils import timezone

from truestyle.accounts.models import BrowserSession, RefreshSession, User
from truestyle.accounts.session_store import DEVICE_KEY, IP_KEY
from truestyle.core.errors import NotFound


def browser_session_record_device(*, session, device: str, ip: str) -> None:
    """Note the browser and address of a signed-in session (shown on the sessions page)."""
    session[DEVICE_KEY] = device[:300]
    session[IP_KEY] = ip[:45]


def browser_session_end(*, user: User, session_key: str) -> None:
    """Sign out one browser of this user; another user's session is not found."""
    deleted, _ = BrowserSession.objects.filter(session_key=session_key, user_id=str(user.pk)).delete()
    if not deleted:
        raise NotFound("That session does not exist.", code="session_not_found")


def sessions_end_all(*, user: User, reason: str, keep_session_key: str | None = None) -> int:
    """End every browser session and revoke every refresh token of the user; returns how many ended."""
    browsers = BrowserSession.objects.filter(user_id=str(user.pk))
    if keep_session_key:
        browsers = browsers.exclude(session_key=keep_session_key)
    ended, _ = browsers.delete()
    revoked = RefreshSession.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    return ended + revoked
