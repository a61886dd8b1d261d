"""Reads for accounts."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from truestyle.accounts.models import Address, BrowserSession, RefreshSession, User


def browser_session_public_id(session_key: str) -> str:
    """The id shown for a browser session: the session key itself is a credential and is never shown."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def user_addresses(*, user: User) -> list[Address]:
    return list(Address.objects.filter(user=user).order_by("-is_default", "created_at"))


def user_sessions(*, user: User, current_family: str | None = None, current_session_key: str | None = None) -> list[dict]:
    """Signed-in browsers and app devices of the user, most recently active first."""
    now = timezone.now()
    sessions = [
        {
            "id": browser_session_public_id(session.session_key),
            "kind": "browser",
            "device": session.device or "Unknown browser",
            "ip_address": session.ip_address,
            "last_active": session.last_seen_at,
            "current": session.session_key == current_session_key,
        }
        for session in BrowserSession.objects.filter(user_id=str(user.pk), expire_date__gt=now)
    ]
    live_tokens = RefreshSession.objects.filter(
        user=user, revoked_at__isnull=True, rotated_at__isnull=True, expires_at__gt=now
    ).order_by("-created_at")
    seen_families = set()
    for token in live_tokens:
        if token.family in seen_families:
            continue
        seen_families.add(token.family)
        sessions.append({
            "id": token.family,
            "kind": "app",
            "device": token.device or "Unknown device",
            "ip_address": token.ip_address,
            "last_active": token.created_at,
            "current": token.family == current_family,
        })
    return sorted(sessions, key=lambda item: item["last_active"], reverse=True)


def customer_search(*, query: str = "", status: str = ""):
    """Users for the staff customers list, newest first; `status` is active, blocked or deactivated."""
    users = User.objects.all().order_by("-date_joined")
    query = (query or "").strip()
    if query:
        from django.db.models import Q

        users = users.filter(Q(email__icontains=query) | Q(name__icontains=query))
    if status == "blocked":
        users = users.filter(blocked_at__isnull=False)
    elif status == "deactivated":
        users = users.filter(deactivated_at__isnull=False, blocked_at__isnull=True)
    elif status == "active":
        users = users.filter(is_active=True)
    return users


def user_for_staff(*, user_id) -> User | None:
    from bson import ObjectId

    if not ObjectId.is_valid(str(user_id)):
        return None
    return User.objects.filter(pk=user_id).first()
