"""Roles: Django groups named after roles.py, with the permissions it declares."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import F

from truestyle.accounts.models import User
from truestyle.accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role
from truestyle.auditlog.services import audit_record
from truestyle.core.errors import StoreError


def roles_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions roles.py declares (idempotent)."""
    permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts")}
    groups = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = {permissions[codename].pk for codename in codenames if codename in permissions}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(list(wanted))
            # Holders of this role must not keep a cached permission set.
            # (MongoDB cannot update across collections: select the holders' ids first.)
            holder_ids = list(group.user_set.values_list("pk", flat=True))
            User.objects.filter(pk__in=holder_ids).update(permissions_version=F("permissions_version") + 1)
        groups[role] = group
    return groups


def user_roles(user: User) -> set[str]:
    return set(user.groups.filter(name__in=list(ROLE_PERMISSIONS)).values_list("name", flat=True))


def user_roles_set(*, actor: User, user: User, roles: set[str], ip: str = "") -> User:
    """Give the user exactly these roles; their permission cache is invalidated at once."""
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise StoreError("Unknown role.", code="unknown_role", fields={"roles": [f"Unknown role: {r}" for r in sorted(unknown)]})
    if user.pk == actor.pk and Role.ADMINISTRATOR not in roles and not user.is_superuser:
        raise StoreError("You cannot remove your own administrator role.", code="cannot_demote_self")
    before = sorted(user_roles(user))
    groups = list(Group.objects.filter(name__in=list(roles)))
    other_groups = list(user.groups.exclude(name__in=list(ROLE_PERMISSIONS)))
    user.groups.set([*groups, *other_groups])
    is_staff = bool(set(roles) & STAFF_ROLES) or user.is_superuser
    User.objects.filter(pk=user.pk).update(is_staff=is_staff, permissions_version=F("permissions_version") + 1)
    user.refresh_from_db(fields=["is_staff", "permissions_version"])
    audit_record(actor=actor, action="user.roles_set", object_type="user", object_id=str(user.pk),
                 before={"roles": before}, after={"roles": sorted(roles)}, ip=ip)
    return user


def demo_administrator_ensure(*, email: str, password: str) -> tuple[User, bool]:
    """Make sure the demo administrator exists and signs in with `password`; returns (user, created)."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=password, name="Demo Administrator", is_staff=True)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    groups = roles_sync()
    user.groups.add(groups[Role.ADMINISTRATOR])
    User.objects.filter(pk=user.pk).update(is_staff=True, permissions_version=F("permissions_version") + 1)
    return user, created
