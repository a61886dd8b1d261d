"""The store's errors: one domain exception type, one JSON error shape, HTML error pages.

Services raise `StoreError` (or a subclass) with a stable `code`; the API turns
it into `{"error": {"code", "message", "fields"}}` and pages show the message.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class StoreError(Exception):
    """A refusal a user can understand. `status` is the HTTP status the front doors use."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}


class NotFound(StoreError):
    code = "not_found"
    status = 404


class Conflict(StoreError):
    code = "conflict"
    status = 409


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _error_response(request, status: int, code: str, message: str, template: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, template, {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error_response(request, 400, "bad_request", "The request could not be understood.", "errors/400.html")


def permission_denied(request, exception=None):
    return _error_response(request, 403, "permission_denied", "You do not have permission to do that.",
                           "errors/403.html")


def page_not_found(request, exception=None):
    return _error_response(request, 404, "not_found", "We could not find that page.", "errors/404.html")


def server_error(request):
    if wants_json(request):
        return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
    # The 500 page must render without context processors or the database.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"status": 500}), status=500)


class Throttled(StoreError):
    """Too many attempts: try again after `retry_after` seconds (the API adds `Retry-After`)."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class TransactionAborted(StoreError):
    """A MongoDB transaction kept failing on transient errors (write conflicts) and was given up.

    Nothing it wrote was kept, so the user may simply try again.
    """

    code = "transaction_aborted"
    status = 503

    def __init__(self, message: str = "The store is busy and nothing was changed. Please try again.", *,
                 attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class TransactionOutcomeUnknown(StoreError):
    """A MongoDB commit was sent but never confirmed: the change may or may not have been saved.

    Unlike `TransactionAborted`, trying again blindly could apply the change twice.
    """

    code = "transaction_outcome_unknown"
    status = 503

    def __init__(self, message: str = "We could not confirm that your change was saved. "
                                      "Please check before trying again.", *, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts
