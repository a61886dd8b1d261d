"""The one place staff pages check permissions.

Every staff view is wrapped in `staff_permission_required("<codename>")`
with a codename from truestyle/accounts/roles.py. Anonymous visitors are sent
to sign in; signed-in users without the permission get the store's 403 page.
The wrapper carries the codename as `staff_permission`, so that the role
matrix test can walk every staff URL for every role.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from truestyle.accounts.permissions import user_has_permission
from truestyle.accounts.roles import ALL_STAFF_PERMISSIONS


def staff_permission_required(codename: str):
    if codename not in ALL_STAFF_PERMISSIONS:
        raise ValueError(f"unknown staff permission {codename!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_permission(request.user, codename):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.staff_permission = codename
        return wrapper

    return decorator
