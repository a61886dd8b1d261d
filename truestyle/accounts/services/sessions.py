"""Browser sessions: which devices a user is signed in on, and ending them."""

from __future__ import annotations

from django.utils import timezone

from truestyle.accounts.models import BrowserSession, RefreshSession, User
from truestyle.accounts.session_store import DEVICE_KEY, IP_KEY
from truestyle.auditlog.services import audit_record
from truestyle.core.errors import NotFound


def browser_session_record_device(*, session, device: str, ip: str) -> None:
    """Note the browser and address of a signed-in session (shown on the sessions page)."""
    session[DEVICE_KEY] = device[:300]
    session[IP_KEY] = ip[:45]


def session_end(*, user: User, session_id: str) -> str:
    """Sign out one browser or app device of this user, by the id the sessions list shows.

    Returns the kind ended ("browser" or "app"); another user's session is not found.
    """
    from truestyle.accounts.selectors import browser_session_public_id

    session_id = str(session_id)
    if RefreshSession.objects.filter(family=session_id, user=user, revoked_at__isnull=True).exists():
        RefreshSession.objects.filter(family=session_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="signed_out"
        )
        return "app"
    for session_key in BrowserSession.objects.filter(user_id=str(user.pk)).values_list("session_key", flat=True):
        if browser_session_public_id(session_key) == session_id:
            BrowserSession.objects.filter(session_key=session_key).delete()
            return "browser"
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


def audit_sign_in(*, user: User, channel: str, ip: str) -> None:
    """Record a successful sign-in ("web" or "api") in the audit log."""
    audit_record(actor=user, action="user.sign_in", object_type="user", object_id=str(user.pk),
                 after={"channel": channel}, ip=ip)


def audit_sign_out(*, user: User, channel: str, ip: str) -> None:
    audit_record(actor=user, action="user.sign_out", object_type="user", object_id=str(user.pk),
                 after={"channel": channel}, ip=ip)
