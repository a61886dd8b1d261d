"""Permission checks, cached per user in Redis under a versioned key.

The key carries the user's `permissions_version`, which every role change
bumps, and the user row is read from MongoDB on every request: so a revoked
permission stops working on the next request without deleting anything from
the cache. With Redis down the cache misses and the set is computed from
MongoDB: the check is slower, never more generous.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache

from truestyle.accounts.roles import ALL_STAFF_PERMISSIONS, permission_name

CACHE_SECONDS = 15 * 60


def permissions_cache_key(user) -> str:
    return f"perms:{user.pk}:v{user.permissions_version}"


def _permissions_from_database(user) -> frozenset[str]:
    if user.is_superuser:
        return frozenset(permission_name(codename) for codename in ALL_STAFF_PERMISSIONS) | frozenset(
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
        )
    group_ids = list(user.groups.values_list("pk", flat=True))
    direct = Permission.objects.filter(user=user).values_list("content_type__app_label", "codename")
    via_groups = Permission.objects.filter(group__in=group_ids).values_list("content_type__app_label", "codename")
    return frozenset(f"{app_label}.{codename}" for app_label, codename in [*direct, *via_groups])


def user_permissions(user) -> frozenset[str]:
    """Every permission the user holds (empty for anonymous, inactive or blocked users)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    key = permissions_cache_key(user)
    # Kept on the user object as well (one object per request, as Django's own backend does): a page
    # checks many permissions, and with Redis away each check would otherwise compute the set again.
    remembered = getattr(user, "_store_permissions", None)
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    cached = cache.get(key)
    if cached is not None:
        permissions = frozenset(cached)
    else:
        permissions = _permissions_from_database(user)
        cache.set(key, sorted(permissions), CACHE_SECONDS)
    user._store_permissions = (key, permissions)
    return permissions


def user_has_permission(user, codename: str) -> bool:
    """`codename` is a staff permission of roles.py, e.g. "manage_orders"."""
    return permission_name(codename) in user_permissions(user)


class CachedPermissionBackend(ModelBackend):
    """Django's model backend, with `has_perm` answered from the versioned cache."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return set(user_permissions(user_obj))

    def has_perm(self, user_obj, perm, obj=None):
        return obj is None and perm in user_permissions(user_obj)
