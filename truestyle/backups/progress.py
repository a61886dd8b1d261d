"""Progress of a backup or restore job, written to its log for the staff page's progress bar."""

from __future__ import annotations

import time

from truestyle.backups.models import JobStatus

PROGRESS_EVERY = 0.5  # seconds between progress writes: each costs a round trip


class Progress:
    """Writes a job's progress (0-99 while it runs) and step, at most every PROGRESS_EVERY seconds."""

    def __init__(self, model, job_id, total: int) -> None:
        self.model, self.job_id, self.total, self.done = model, job_id, max(total, 1), 0
        self.step = ""
        self._last = 0.0

    def advance(self, units: int = 1) -> None:
        self.done += units
        self._write()

    def begin(self, step: str) -> None:
        self.step = step
        self._write(force=True)

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_EVERY:
            self._last = now
            percent = min(99, self.done * 100 // self.total)
            self.model.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(progress=percent,
                                                                                       step=self.step[:200])
