"""Staff permissions for API actions: the same codenames and the same check as the staff pages."""

from rest_framework.permissions import BasePermission

from truestyle.accounts.permissions import user_has_permission
from truestyle.accounts.roles import ALL_STAFF_PERMISSIONS


def staff_permission(codename: str) -> type[BasePermission]:
    """A DRF permission class requiring one staff permission of roles.py."""
    if codename not in ALL_STAFF_PERMISSIONS:
        raise ValueError(f"unknown staff permission {codename!r}")

    class HasStaffPermission(BasePermission):
        staff_permission = codename
        message = "You do not have permission to do that."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and user_has_permission(request.user, codename))

    HasStaffPermission.__name__ = f"HasStaffPermission_{codename}"
    return HasStaffPermission
