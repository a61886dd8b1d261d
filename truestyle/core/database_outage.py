"""A MongoDB that cannot be reached answers 503 "try again shortly", not a 500 or a long hang.

pymongo signals it with a `ConnectionFailure`: `ServerSelectionTimeoutError` when no server
answered within serverSelectionTimeoutMS (settings: MONGODB_SERVER_SELECTION_TIMEOUT_MS),
`AutoReconnect` when a connection dropped, `NetworkTimeout` when a reply did not come in time.
Django's database layer may wrap it in a `DatabaseError`, so the whole cause chain is searched.
Transactions die with the connection and are aborted by the server, so the client may simply
try again; orders are placed with an idempotency key, so a retry never places twice.

The API gets `{"error": {"code": "database_unavailable", ...}}`, the browser the error page;
both with `Retry-After`. The page renders without context processors: they read the database.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from pymongo.errors import ConnectionFailure

from truestyle.core.errors import error_body, wants_json

logger = logging.getLogger(__name__)

CODE = "database_unavailable"
MESSAGE = "We cannot reach our database right now. Please try again in a moment."
# A MongoDB restart or a replica-set election takes seconds, not minutes.
RETRY_AFTER_SECONDS = 10


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error`, or an error in its cause chain, is pymongo's "could not talk to the server"."""
    seen: set[int] = set()
    pending = [error]
    while pending and len(seen) < 20:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionFailure):
            return True
        pending.extend((current.__cause__, current.__context__))
    return False


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse(error_body(CODE, MESSAGE), status=503)
    else:
        page = loader.get_template("errors/503.html").render({"status": 503, "message": MESSAGE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a MongoDB connection failure raised by a view (API or page) into the 503 above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        logger.warning("MongoDB unreachable during %s %s: %r", request.method, request.path, exception)
        return database_unavailable_response(request)
