"""Refuses operator-shaped input on every /api/ request before any view sees it.

MongoDB reads a key such as "$where", "$ne" or "a.b" as an operator or a path,
so such keys must never reach a query or a document. Serializers already refuse
objects where strings are expected (api.serializers.PlainCharField); this guard
is the blanket rule that also covers views added later:

- a query-string key or value that starts with "$";
- a JSON body key, at any depth, that contains "$" or ".";
- a JSON body nested so deeply that parsing it would exhaust the stack.

Either answers 400 in the API's one error shape with the code `invalid_input`,
naming each offending parameter or body path in `fields`.
"""

from __future__ import annotations

import json

from django.http import JsonResponse

from truestyle.core.errors import error_body

API_PREFIX = "/api/"
INVALID_INPUT = "invalid_input"
QUERY_MESSAGE = "Query parameters may not start with '$'."
KEY_MESSAGE = "Keys may not contain '$' or '.'."


def query_problems(query) -> dict[str, list[str]]:
    """{parameter: [message]} for every query key or value starting with "$"."""
    return {key: [QUERY_MESSAGE] for key, values in query.lists()
            if key.startswith("$") or any(value.startswith("$") for value in values)}


def body_problems(data, prefix: str = "") -> dict[str, list[str]]:
    """{"path.to.key": [message]} for every object key containing "$" or "." at any depth."""
    problems: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if "$" in key or "." in key:
                problems[path] = [KEY_MESSAGE]
            problems.update(body_problems(value, path))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems.update(body_problems(item, f"{prefix}.{index}" if prefix else str(index)))
    return problems


def _json_body(request):
    content_type = request.content_type or ""
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return None  # the view's parser answers 415 for what it cannot read
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None  # malformed JSON: the view's parser answers 400 parse_error


def _problems(request) -> dict[str, list[str]]:
    try:
        return {**query_problems(request.GET), **body_problems(_json_body(request))}
    except RecursionError:
        # json.loads (here and in DRF's parser) gives up on thousands of nested arrays with a RecursionError,
        # which would otherwise be a 500.
        return {"non_field_errors": ["The body is nested too deeply."]}


class ApiInputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            problems = _problems(request)
            if problems:
                message = problems.get("non_field_errors", ["The request contains operator-like keys or values."])[0]
                return JsonResponse(error_body(INVALID_INPUT, message, problems), status=400)
        return self.get_response(request)
