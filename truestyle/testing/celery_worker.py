"""A real Celery worker for tests that must see tasks cross the broker (see the `celery_worker` fixture).

Tests run tasks inline (CELERY_TASK_ALWAYS_EAGER in test_settings). A test that takes `celery_worker`
gets, instead, a `celery -A truestyle worker` subprocess on this run's own queue, broker and test
databases, and the app switched to sending tasks through the broker for the length of the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from truestyle.core.mongo.process import _die_with_parent

BASE_DIR = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory):
    """Start one worker for the whole run (after the test databases exist); stop it at the end.

    The child inherits this process's environment, so it reuses the run's PostgreSQL, Redis and
    embedded MongoDB (TRUESTYLE_TEST_SERVICES_READY) and its run id, hence the same queue name.
    pytest-django renamed the databases to their test names in this process only, so the child is
    told them in TRUESTYLE_TEST_DB_NAMES (read at the end of truestyle/test_settings.py).
    """
    from django.conf import settings
    from django.db import connections

    from truestyle.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    nodename = f"{queue}@truestyle-test"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "truestyle.test_settings",
        "TRUESTYLE_TEST_DB_NAMES": json.dumps({alias: connections[alias].settings_dict["NAME"]
                                              for alias in settings.DATABASES}),
        "PYTHONUNBUFFERED": "1",
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "truestyle", "worker", "--pool", "solo", "--concurrency", "1",
             "--queues", queue, "--hostname", nodename, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "INFO"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )
    try:
        _wait_until_ready(app, process, nodename, log_path)
        yield process
    finally:
        _stop(process)


@pytest.fixture
def celery_worker(celery_worker_process):
    """The running worker, with the app sending tasks to it (not running them inline) during the test."""
    from truestyle.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager = previous


def _wait_until_ready(app, process: subprocess.Popen, nodename: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited with code {process.returncode}:\n{_tail(log_path)}")
        # A ping answer means the worker consumes from the broker: tasks sent now will be taken.
        if app.control.ping(destination=[nodename], timeout=0.5):
            return
    _stop(process)
    raise RuntimeError(f"celery worker {nodename} did not answer a ping in {READY_TIMEOUT:.0f}s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: the task in hand finishes
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
