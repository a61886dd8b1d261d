"""Request logging: every request's method, path, status, duration, user and client IP, off the request path."""

from __future__ import annotations

import ipaddress
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from truestyle.auditlog.services import request_log_record

logger = logging.getLogger(__name__)


class RequestLogMiddleware:
    """Logs each request (except settings.REQUEST_LOG_EXCLUDE_PREFIXES) to the request log.

    First in MIDDLEWARE, so the duration covers the whole stack and the status is the one sent. The
    entry is handed to an in-memory writer: the response never waits on, or fails because of, the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.REQUEST_LOG_EXCLUDE_PREFIXES)):
            return self.get_response(request)
        created_at = timezone.now()
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        try:
            request_log_record(
                method=request.method,
                # The path only: query strings can carry tokens and personal data.
                path=request.path,
                status_code=response.status_code,
                duration_ms=duration_ms,
                user_id=_user_id(request),
                client_ip=client_ip(request, trusted_proxies=_networks(tuple(
                    getattr(settings, "REQUEST_LOG_TRUSTED_PROXIES", ())))),
                created_at=created_at,
            )
        except Exception:
            logger.exception("request not logged: %s %s", request.method, request.path)
        return response


def client_ip(request, *, trusted_proxies: tuple = ()) -> str | None:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the nearest untrusted
    address in X-Forwarded-For (read right to left, since a client can put anything on the left)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not trusted_proxies or not _in_networks(remote, trusted_proxies):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _in_networks(address, trusted_proxies):
            return address
    return forwarded[0] if forwarded else remote


def _user_id(request) -> str:
    # Users live in MongoDB, so the log keeps the id as text. DRF authenticates API requests onto
    # request.user as well, so JWT users are logged too.
    try:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return str(user.pk)
    except Exception:
        # The session store being away must not cost the log entry.
        logger.warning("request log: user unknown for %s", request.path, exc_info=True)
        return ""


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _in_networks(address: str | None, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)
