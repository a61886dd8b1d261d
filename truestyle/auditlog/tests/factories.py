"""Test data and read-backs for the logs."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from truestyle.auditlog.models import RequestLogEntry


def request_record(*, path: str = "/shop/", status_code: int = 200, user_id: str = "",
                   client_ip: str | None = "203.0.113.7",
                   created_at: str = "2026-11-25T10:00:00+00:00") -> dict:
    """A request-log record as the writer spools it."""
    return {"kind": "request", "created_at": created_at, "method": "GET", "path": path,
            "status_code": status_code, "duration_ms": 12.5, "user_id": user_id, "client_ip": client_ip}


def spooled_records(directory: Path) -> list[dict]:
    """Every record waiting in the spool, in sealed files and in a process's open one, oldest file first."""
    paths = [*Path(directory).glob("*.jsonl"), *Path(directory).glob(".*.jsonl.tmp")]
    return [json.loads(line) for path in sorted(paths, key=lambda path: path.name.lstrip("."))
            for line in path.read_text().splitlines()]


def sealed_files(directory: Path) -> list[str]:
    """Names of the spool files flushers can take."""
    return sorted(path.name for path in Path(directory).glob("*.jsonl"))


def logged_requests() -> list[tuple]:
    return list(RequestLogEntry.objects.order_by("created_at", "id")
                .values_list("method", "path", "status_code", "user_id", "client_ip"))


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)
