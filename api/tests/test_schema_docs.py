"""The OpenAPI schema documents every operation: a summary, its errors, its auth, and it validates."""

import pytest
from django.core.management import call_command

from api.tests.schema_walk import operations

OPERATIONS = operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


def test_the_schema_validates_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_schema_lists_every_api_operation():
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_has_a_summary_errors_and_auth(method, path, operation):
    error_codes = {code for code in operation["responses"] if code.startswith("4")}

    assert operation.get("summary", "").strip()
    assert error_codes, "no 4xx response documented"
    assert "400" in error_codes  # the operator guard may answer 400 to any operation
    assert operation.get("security"), "no auth documented (use [{}] for public operations)"
    for code in error_codes:
        assert operation["responses"][code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}, code


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_signed_in_operations_document_401_and_bodies_document_415(method, path, operation):
    needs_token = {"jwtAuth": []} in operation["security"] and {} not in operation["security"]
    codes = set(operation["responses"])

    assert not needs_token or "401" in codes
    assert "requestBody" not in operation or "415" in codes
    assert "{" not in path or "404" in codes


def test_staff_operations_document_403():
    staff = [(method, path) for method, path, op in OPERATIONS
             if path.startswith("/api/v1/staff/") and "403" not in op["responses"]]

    assert staff == []
