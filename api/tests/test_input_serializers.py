"""Every request body is validated by a strict serializer: an unknown field is refused, never ignored."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers

import api as api_package
from api.serializers import StrictInputMixin
from api.tests.schema_walk import operations, request_body_serializers
from truestyle.accounts import services
from truestyle.accounts.models import RefreshSession, User
from truestyle.accounts.roles import Role
from truestyle.accounts.tests.factories import PASSWORD, user_create

BODIES = request_body_serializers()


def test_the_walk_finds_every_request_body_of_the_schema():
    # 14 operations took a body when this test was written; more may come, fewer means the walk broke.
    assert len(BODIES) >= 14


@pytest.mark.parametrize(("label", "serializer_class"), BODIES, ids=[label for label, _ in BODIES])
def test_every_request_body_serializer_refuses_an_unknown_field(label, serializer_class):
    assert serializer_class is not None, f"{label}: the body must be a named serializer, not an inline schema"
    assert issubclass(serializer_class, StrictInputMixin), f"{label}: {serializer_class.__name__} is not strict"

    serializer = serializer_class(data={"zz_not_a_field": "x", "other.extra": 1})

    assert serializer.is_valid() is False
    assert {key: [error.code for error in errors] for key, errors in serializer.errors.items()} == {
        "other.extra": ["unknown_field"], "zz_not_a_field": ["unknown_field"]}


def _api_serializer_classes():
    for module_info in pkgutil.walk_packages(api_package.__path__, "api."):
        if ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, serializers.BaseSerializer)
                    and value.__module__ == module.__name__):
                yield value


def test_every_serializer_named_input_in_the_api_is_strict():
    inputs = [cls for cls in _api_serializer_classes() if cls.__name__.endswith("Input")]

    assert len(inputs) >= 13
    assert [cls.__name__ for cls in inputs if not issubclass(cls, StrictInputMixin)] == []


def test_unknown_field_over_http_is_the_error_shape_with_its_own_code(api, db):
    response = api.post("/api/v1/auth/register", {"email": "a@example.com", "name": "A", "password": PASSWORD,
                                                   "is_staff": True, "role": "administrator"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "unknown_field", "message": "Some fields are not valid.",
                                         "fields": {"is_staff": ["This field is not allowed."],
                                                    "role": ["This field is not allowed."]}}}
    assert User.objects.count() == 0


def test_unknown_field_on_a_partial_update_is_refused_and_nothing_changes(signed_in, shopper):
    response = signed_in.patch("/api/v1/me", {"name": "New name", "status": "active"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_field"
    assert response.json()["error"]["fields"] == {"status": ["This field is not allowed."]}
    assert User.objects.get(pk=shopper.pk).name == shopper.name


def test_a_nested_strict_serializer_reports_its_unknown_field_by_path():
    class Line(StrictInputMixin, serializers.Serializer):
        sku = serializers.CharField()

    class Order(StrictInputMixin, serializers.Serializer):
        lines = Line(many=True)

    serializer = Order(data={"lines": [{"sku": "A"}, {"sku": "B", "price": "1.00"}]})

    assert serializer.is_valid() is False
    assert serializer.errors["lines"][1]["price"][0].code == "unknown_field"



BODYLESS = [(method, path) for method, path, operation in operations()
            if method in {"POST", "PUT", "PATCH", "DELETE"} and "requestBody" not in operation]


def test_the_walk_finds_the_operations_that_take_no_body():
    assert len(BODYLESS) >= 5


@pytest.mark.parametrize(("method", "path"), BODYLESS, ids=[f"{m} {p}" for m, p in BODYLESS])
def test_an_operation_without_a_body_refuses_one_rather_than_ignoring_it(api, db, method, path):
    admin = user_create(email="admin@example.com")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    access, _ = services.token_pair_issue(user=User.objects.get(pk=admin.pk), device="", ip="")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    url = re.sub(r"\{[^}]+\}", "65f000000000000000000000", path)  # refused before any lookup

    response = api.generic(method, url, '{"zz_extra": 1}', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "unknown_field", "message": "Some fields are not valid.",
                                        "fields": {"zz_extra": ["This field is not allowed."]}}
    assert RefreshSession.objects.get().revoked_at is None  # e.g. sign-out-everywhere did nothing
