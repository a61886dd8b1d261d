"""JWT access and refresh tokens for the mobile app, with rotation and revocation in MongoDB.

SimpleJWT signs and verifies; SimpleJWT's blacklist app cannot live on MongoDB
(ARCHITECTURE.md fact 8), so every refresh token is recorded here as a
`RefreshSession`. A refresh rotates the token with one conditional update
(only a token that is neither rotated nor revoked can be rotated, so of ten
concurrent refreshes exactly one wins); presenting a rotated token again is
treated as theft and revokes the whole family.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from truestyle.accounts.models import RefreshSession, User
from truestyle.core.errors import NotFound, StoreError

FAMILY_CLAIM = "fam"


class TokenRefused(StoreError):
    code = "token_invalid"
    status = 401


def _issue(*, user: User, family: str, device: str, ip: str) -> tuple[str, str]:
    refresh = RefreshToken.for_user(user)
    refresh[FAMILY_CLAIM] = family
    RefreshSession.objects.create(
        jti=refresh["jti"],
        family=family,
        user=user,
        device=device[:300],
        ip_address=ip[:45],
        expires_at=datetime.fromtimestamp(refresh["exp"], tz=UTC),
    )
    access = refresh.access_token
    access[FAMILY_CLAIM] = family
    return str(access), str(refresh)


def token_pair_issue(*, user: User, device: str, ip: str) -> tuple[str, str]:
    """A new sign-in: a new token family. Returns (access, refresh)."""
    return _issue(user=user, family=uuid.uuid4().hex, device=device, ip=ip)


def token_refresh_rotate(*, refresh_token: str, device: str, ip: str) -> tuple[str, str]:
    """Exchange a refresh token for a new pair; the presented token is spent.

    Raises TokenRefused for tampered, expired or wrong-type tokens, unknown or
    revoked ones, inactive or deleted users, and reuse of a rotated token
    (which also revokes the family).
    """
    try:
        token = RefreshToken(refresh_token)
    except TokenError as error:
        raise TokenRefused("The refresh token is invalid or expired.") from error
    jti, family = token.get("jti"), token.get(FAMILY_CLAIM)
    if not jti or not family:
        raise TokenRefused("The refresh token is invalid or expired.")
    now = timezone.now()
    rotated = RefreshSession.objects.filter(
        jti=jti, family=family, rotated_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(rotated_at=now)
    if rotated != 1:
        if RefreshSession.objects.filter(jti=jti, family=family, rotated_at__isnull=False).exists():
            token_family_revoke(family=family, reason="reuse")
        raise TokenRefused("The refresh token is invalid or expired.")
    session = RefreshSession.objects.select_related("user").get(jti=jti)
    user = session.user
    if not user.is_active:
        token_family_revoke(family=family, reason="user_inactive")
        raise TokenRefused("The refresh token is invalid or expired.")
    return _issue(user=user, family=family, device=device or session.device, ip=ip)


def token_family_revoke(*, family: str, reason: str) -> int:
    """Revoke every token of one sign-in (logout, reuse)."""
    return RefreshSession.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def refresh_session_revoke(*, user: User, family: str) -> None:
    """Sign out one device of this user; another user's device is not found."""
    if not RefreshSession.objects.filter(family=family, user=user).exists():
        raise NotFound("That session does not exist.", code="session_not_found")
    token_family_revoke(family=family, reason="signed_out")


def token_logout(*, user: User, refresh_token: str) -> None:
    """Sign this device out: revoke the refresh token's family. Only the token's owner may."""
    try:
        token = RefreshToken(refresh_token)
    except TokenError as error:
        raise TokenRefused("The refresh token is invalid or expired.") from error
    family = token.get(FAMILY_CLAIM)
    if not family or str(token.get("user_id")) != str(user.pk):
        raise TokenRefused("The refresh token is invalid or expired.")
    token_family_revoke(family=family, reason="logout")
