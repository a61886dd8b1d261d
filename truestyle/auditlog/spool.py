"""A spool on local disk for log entries PostgreSQL could not take: JSON lines, safe with many processes.

A file is written under a hidden temporary name that only its own process uses, and renamed into place
when it is sealed, so a reader never sees a file still being written and writers never share one. The
request-log writer keeps one such file per process open during an outage (`SpoolFile`) and seals it
after `SpoolFile.max_age` seconds, when it is full, or when the spool is flushed; a one-off record
(`Spool.append`) gets a file sealed at once. A reader takes a file by renaming it to a claim name first;
a rename succeeds for exactly one process, so two flushers never write the same file. A claim left by a
flusher that died is put back after `STALE_CLAIM_SECONDS`, and the open file of a process that died is
sealed after `STALE_TEMP_SECONDS`.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

SUFFIX = ".jsonl"
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"
CLAIM_MARK = ".claim-"
# A flusher holds a claim only while it inserts one file's rows: minutes means it died.
STALE_CLAIM_SECONDS = 600
# An open file untouched this long belongs to a process that died: a live one seals its file after
# `SpoolFile.max_age` seconds, far sooner.
STALE_TEMP_SECONDS = 3600


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be spooled")


class Spool:
    """One spool directory. Records are flat dicts of JSON values (datetimes become ISO strings)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def append(self, records: list[dict]) -> Path:
        """Write the records as one new file, sealed at once (visible to readers only complete); returns its path."""
        temporary, final = self._new_names()
        with open(temporary, "w", encoding="utf-8") as handle:
            _write_records(handle, records)
        os.rename(temporary, final)
        return final

    def _new_names(self) -> tuple[Path, Path]:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Sorting by name is sorting by time: flushes keep the order entries were spooled in.
        name = f"{time.time_ns():020d}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        return self.directory / f"{TEMP_PREFIX}{name}{TEMP_SUFFIX}", self.directory / name

    def files(self) -> list[Path]:
        """Complete, unclaimed files, oldest first."""
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        return [self.directory / name for name in sorted(names) if name.endswith(SUFFIX) and not name.startswith(".")]

    def is_empty(self) -> bool:
        return not self.files()

    def claim(self, path: Path) -> Claim | None:
        """Take one file for this process, or None when another process took it first."""
        claimed = path.with_name(f"{path.name}{CLAIM_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            return None
        # The claim's age (for recovering claims of dead flushers) counts from now, not from the spooling.
        os.utime(claimed)
        return Claim(claimed, original=path)

    def claims(self) -> Iterator[Claim]:
        """Claim every complete file in turn, oldest first, skipping those another process takes."""
        for path in self.files():
            claim = self.claim(path)
            if claim is not None:
                yield claim

    def recover(self, *, now: float | None = None) -> int:
        """Put back claims of flushers that died and seal files of writers that died; returns files recovered.

        A dead writer's file holds whole records, each appended and synced in turn; at worst its last
        line is torn, and the reader skips such a line.
        """
        now = time.time() if now is None else now
        recovered = 0
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return 0
        for name in names:
            path = self.directory / name
            try:
                age = now - path.stat().st_mtime
            except FileNotFoundError:
                continue
            if CLAIM_MARK in name and age > STALE_CLAIM_SECONDS:
                try:
                    # A rename again: if two processes recover the same claim, one wins.
                    os.rename(path, self.directory / name.split(CLAIM_MARK)[0])
                    recovered += 1
                except FileNotFoundError:
                    pass
            elif name.startswith(TEMP_PREFIX) and name.endswith(SUFFIX + TEMP_SUFFIX) and age > STALE_TEMP_SECONDS:
                try:
                    os.rename(path, self.directory / name[len(TEMP_PREFIX):-len(TEMP_SUFFIX)])
                    recovered += 1
                except FileNotFoundError:
                    pass
        return recovered


class Claim:
    """A spool file this process holds: read it, then `done()` once written or `release()` to put it back."""

    def __init__(self, path: Path, *, original: Path) -> None:
        self.path = path
        self.original = original

    def records(self) -> list[dict]:
        """The file's records; a line that is not a JSON object is logged and skipped, never retried forever."""
        records = []
        with open(self.path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    logger.error("spool %s line %d is not JSON; skipped", self.original.name, number)
                    continue
                if isinstance(record, dict):
                    records.append(record)
                else:
                    logger.error("spool %s line %d is not an object; skipped", self.original.name, number)
        return records

    def done(self) -> None:
        self.path.unlink(missing_ok=True)

    def release(self) -> None:
        os.rename(self.path, self.original)


class SpoolFile:
    """This process's open spool file: batches are appended (and synced) as they come, and become visible
    to flushers when the file is sealed, by `seal()` or once it is `max_age` seconds old or holds
    `max_records` records. Thread-safe; a forked child starts its own file and leaves the parent's alone.
    """

    def __init__(self, *, max_age: float = 30.0, max_records: int = 5_000) -> None:
        self.max_age = max_age
        self.max_records = max_records
        self._lock = threading.Lock()
        self._forget()

    def _forget(self) -> None:
        self._pid = os.getpid()
        self._handle = None
        self._temporary: Path | None = None
        self._final: Path | None = None
        self._opened_at = 0.0
        self._count = 0

    def append(self, directory: Path | str, records: list[dict]) -> Path:
        """Append the records to this process's file in `directory`; returns the name it gets when sealed."""
        with self._lock:
            if self._pid != os.getpid():
                self._forget()  # the parent's file: the parent seals it
            if self._final is not None and self._final.parent != Path(directory):
                self._seal()
            if self._handle is None:
                self._temporary, self._final = Spool(directory)._new_names()
                self._handle = open(self._temporary, "w", encoding="utf-8")
                self._opened_at = time.monotonic()
            _write_records(self._handle, records)
            self._count += len(records)
            final = self._final
            if self._count >= self.max_records:
                self._seal()
            return final

    def seal(self, *, due_only: bool = False) -> Path | None:
        """Make the open file visible to flushers (with `due_only`, only once it is `max_age` old); returns it."""
        with self._lock:
            if self._pid != os.getpid() or self._handle is None:
                return None
            if due_only and time.monotonic() - self._opened_at < self.max_age:
                return None
            return self._seal()

    def _seal(self) -> Path | None:
        if self._handle is None:
            return None
        final = self._final
        try:
            self._handle.close()
            os.rename(self._temporary, final)
        except FileNotFoundError:
            # Someone removed the spool directory under us: nothing left to seal.
            logger.error("spool file %s vanished before it was sealed; %d records lost", final, self._count)
            return None
        finally:
            self._forget()
        return final


def _write_records(handle, records: list[dict]) -> None:
    handle.write("".join(json.dumps(record, default=_json_default, separators=(",", ":")) + "\n"
                         for record in records))
    handle.flush()
    # Synced per batch: records the process has accepted survive it dying before the file is sealed.
    os.fsync(handle.fileno())
