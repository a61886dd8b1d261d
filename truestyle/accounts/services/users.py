"""Registration, profile, email and password changes, deactivation and blocking."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone

from truestyle.accounts.models import User
from truestyle.accounts.services.sessions import sessions_end_all
from truestyle.auditlog.services import audit_record
from truestyle.core.errors import StoreError


def _normalized_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise StoreError("Enter a valid email address.", code="invalid", fields={"email": ["Enter a valid email address."]})
    return email


def _validated_password(password: str, user: User, field: str = "password") -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise StoreError("Choose a stronger password.", code="weak_password", fields={field: list(error.messages)})
    return password


def _email_taken_error() -> StoreError:
    return StoreError("An account with this email already exists.", code="email_taken",
                      fields={"email": ["An account with this email already exists."]})


def user_register(*, email: str, name: str, phone: str, password: str, ip: str = "") -> User:
    """A new shopper account. Refuses a taken email or a weak password; writes nothing then."""
    email = _normalized_email(email)
    candidate = User(email=email, name=name.strip(), phone=phone.strip())
    _validated_password(password, candidate)
    if User.objects.filter(email=email).exists():
        raise _email_taken_error()
    candidate.set_password(password)
    try:
        candidate.save()
    except IntegrityError:  # a simultaneous registration won the unique index
        raise _email_taken_error()
    audit_record(actor=candidate, action="user.register", object_type="user", object_id=str(candidate.pk), ip=ip)
    return candidate


def user_profile_update(*, user: User, name: str, phone: str) -> User:
    user.name, user.phone = name.strip(), phone.strip()
    user.save(update_fields=["name", "phone"])
    return user


def _require_password(user: User, password: str) -> None:
    if not user.check_password(password):
        raise StoreError("Your password is not correct.", code="wrong_password",
                         fields={"password": ["Your password is not correct."]})


def user_email_change(*, user: User, new_email: str, password: str, ip: str = "") -> User:
    """Change the sign-in email; asks for the password again."""
    _require_password(user, password)
    new_email = _normalized_email(new_email)
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise _email_taken_error()
    before = user.email
    user.email = new_email
    try:
        user.save(update_fields=["email"])
    except IntegrityError:
        user.email = before
        raise _email_taken_error()
    audit_record(actor=user, action="user.email_change", object_type="user", object_id=str(user.pk),
                 before={"email": before}, after={"email": new_email}, ip=ip)
    return user


def user_password_change(*, user: User, current_password: str, new_password: str,
                         keep_session_key: str | None = None, ip: str = "") -> User:
    """Change the password; every other session and every refresh token ends."""
    _require_password(user, current_password)
    _validated_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_all(user=user, reason="password_change", keep_session_key=keep_session_key)
    audit_record(actor=user, action="user.password_change", object_type="user", object_id=str(user.pk), ip=ip)
    return user


def user_deactivate(*, user: User, password: str, ip: str = "") -> User:
    """The shopper closes their account: no more sign-ins, every session ends."""
    _require_password(user, password)
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    sessions_end_all(user=user, reason="deactivated")
    audit_record(actor=user, action="user.deactivate", object_type="user", object_id=str(user.pk), ip=ip)
    return user


def user_block(*, actor: User, user: User, reason: str, ip: str = "") -> User:
    """Staff block an account: it cannot sign in, and its sessions end now."""
    if user.pk == actor.pk:
        raise StoreError("You cannot block your own account.", code="cannot_block_self")
    user.is_active = False
    user.blocked_at = timezone.now()
    user.blocked_reason = reason.strip()[:300]
    user.save(update_fields=["is_active", "blocked_at", "blocked_reason"])
    sessions_end_all(user=user, reason="blocked")
    audit_record(actor=actor, action="user.block", object_type="user", object_id=str(user.pk),
                 before={"status": "active"}, after={"status": "blocked", "reason": user.blocked_reason}, ip=ip)
    return user


def user_unblock(*, actor: User, user: User, ip: str = "") -> User:
    if user.blocked_at is None:
        return user
    user.blocked_at = None
    user.blocked_reason = ""
    user.is_active = user.deactivated_at is None
    user.save(update_fields=["is_active", "blocked_at", "blocked_reason"])
    audit_record(actor=actor, action="user.unblock", object_type="user", object_id=str(user.pk),
                 before={"status": "blocked"}, after={"status": user.status}, ip=ip)
    return user
