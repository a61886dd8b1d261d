"""Writes for users and staff accounts."""

from __future__ import annotations

from truestyle.accounts.models import User


def demo_administrator_ensure(*, email: str, password: str) -> tuple[User, bool]:
    """Make sure the demo administrator exists and signs in with `password`; returns (user, created)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_superuser(email=email, password=password, name="Demo Administrator"), True
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, False
