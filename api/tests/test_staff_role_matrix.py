"""Every staff API action, for every role: allowed exactly where roles.py says so."""

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver
from rest_framework.test import APIClient

from truestyle.accounts import services
from truestyle.accounts.models import User
from truestyle.accounts.roles import ROLE_PERMISSIONS
from truestyle.accounts.tests.factories import user_create

# A valid request body per method, so that an allowed call gets past validation.
BODIES = {"post": {"reason": "Repeated chargebacks"}, "put": {"roles": ["customer"]}}
# Actions that take no body refuse one, so they are called without.
BODILESS = {"customers/<str:user_id>/unblock"}


def staff_api_actions():
    """(path template, method, permission) for every view under /api/v1/staff/."""
    actions = []
    api_patterns = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    for include in api_patterns.url_patterns:
        if str(include.pattern) != "staff/":
            continue
        for pattern in include.url_patterns:
            view = pattern.callback.view_class
            (permission,) = [cls.staff_permission for cls in view.permission_classes if hasattr(cls, "staff_permission")]
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view, method):
                    actions.append((str(pattern.pattern), method, permission))
    return actions


ACTIONS = staff_api_actions()


def test_every_staff_action_declares_a_permission():
    assert len(ACTIONS) == 5
    assert {permission for _, _, permission in ACTIONS} == {"view_customers", "block_customers", "assign_roles"}


@pytest.mark.parametrize("role", [*sorted(ROLE_PERMISSIONS), "anonymous"])
@pytest.mark.parametrize(("path", "method", "permission"), ACTIONS)
def test_role_matrix(db, role, path, method, permission):
    target = user_create(email="target@example.com")
    client = APIClient()
    if role != "anonymous":
        actor = user_create(email=f"{role}@example.com")
        actor.groups.add(Group.objects.get(name=role))
        actor = User.objects.get(pk=actor.pk)
        access, _ = services.token_pair_issue(user=actor, device="", ip="")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    url = "/api/v1/staff/" + path.replace("<str:user_id>", str(target.pk))

    body = None if path in BODILESS else BODIES.get(method)
    response = getattr(client, method)(url, body, format="json")

    if role == "anonymous":
        assert response.status_code == 401
    elif permission in ROLE_PERMISSIONS[role]:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
        assert User.objects.get(pk=target.pk).status == "active"
