"""Real threads released together, for the tests that prove a rule holds under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def race(count: int, work: Callable[[int], object], *, timeout: float = 300) -> list:
    """Run work(i) in `count` threads released together; returns each thread's result or the exception it raised."""
    start = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(index):
        try:
            start.wait()
            outcomes[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes
