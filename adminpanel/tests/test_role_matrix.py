"""Every staff page, for every role and for visitors: allowed exactly where roles.py says so.

The pages are discovered from the URL resolver, so a new staff page is in the matrix the day it
is added; each declares its permission through `staff_permission_required`.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from truestyle.accounts.models import User
from truestyle.accounts.roles import ROLE_PERMISSIONS
from truestyle.accounts.services.roles import user_roles
from adminpanel.tests.matrix import ARGUMENTS, NAMES, POST_DATA
from truestyle.accounts.tests.factories import user_create


def _patterns(resolver, converters=()):
    """Every URL pattern under a resolver, with the converters of the includes above it."""
    for pattern in resolver.url_patterns:
        own = (*converters, *pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, own)
        else:
            yield pattern, own


def staff_pages():
    """(URL name, argument names, HTTP method, permission) of every view in the adminpanel namespace."""
    _, resolver = get_resolver().namespace_dict["adminpanel"]
    pages = []
    for pattern, converters in _patterns(resolver):
        view = pattern.callback
        method = getattr(view, "http_methods", ("GET",))[0]
        pages.append((pattern.name, tuple(converters), method, getattr(view, "staff_permission", None)))
    return pages


PAGES = staff_pages()


def test_every_staff_page_declares_a_permission():
    assert {name for name, *_ in PAGES} == NAMES
    assert all(permission is not None for *_, permission in PAGES)
    assert all(argument in ARGUMENTS for _, arguments, _, _ in PAGES for argument in arguments)


@pytest.mark.parametrize("role", [*sorted(ROLE_PERMISSIONS), "anonymous"])
@pytest.mark.parametrize(("name", "arguments", "method", "permission"), PAGES, ids=[page[0] for page in PAGES])
def test_role_matrix(db, role, name, arguments, method, permission):
    url = reverse(f"adminpanel:{name}", kwargs={argument: ARGUMENTS[argument]() for argument in arguments})
    target = User.objects.filter(email="target@example.com").first()
    client = Client()
    if role != "anonymous":
        actor = user_create(email=f"{role}@example.com")
        actor.groups.add(Group.objects.get(name=role))
        client.force_login(actor)

    response = client.post(url, POST_DATA) if method == "POST" else client.get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/?next=")
    elif permission in ROLE_PERMISSIONS[role]:
        assert response.status_code in (200, 302), response.content
        if response.status_code == 302:
            assert not response["Location"].startswith("/account/sign-in/")
    else:
        assert response.status_code == 403
        assert "You do not have permission to see this page." in response.content.decode()
    if target is not None and not (role != "anonymous" and permission in ROLE_PERMISSIONS[role]):
        target.refresh_from_db()
        assert (target.status, user_roles(target)) == ("active", set())
