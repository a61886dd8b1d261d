"""Real services for the test suite: PostgreSQL, Redis and the embedded MongoDB.

PostgreSQL and Redis already listening on their standard loopback ports are
used as they are (each run gets its own database names and key prefix, so
runs never collide); where none listens, throwaway ones are started from the
installed binaries. MongoDB is the embedded server on a free port with a
private data directory, unless MONGODB_URI names a real one. Everything this
module starts ends with the test process.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from truestyle.core.mongo.process import free_port, port_is_open, start_embedded_mongo, stop_process, _die_with_parent

_started: list[subprocess.Popen] = []
_cleanups: list = []


def _stop_all() -> None:
    for process in reversed(_started):
        stop_process(process)
    for cleanup in reversed(_cleanups):
        cleanup()


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _postgres_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed; install the postgresql package")
    return found[-1]


def _start_throwaway_postgres(run_dir: Path) -> str:
    port = free_port()
    data = run_dir / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(run_dir, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres_user([_postgres_binary("initdb"), "-D", str(data), "-U", "postgres",
                                      "--auth=trust", "-E", "UTF8"]), check=True, capture_output=True)
    process = subprocess.Popen(
        _as_postgres_user([_postgres_binary("postgres"), "-D", str(data), "-p", str(port), "-k", str(run_dir),
                           "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent,
    )
    _started.append(process)
    _wait_for_port(port, "PostgreSQL")
    return f"postgresql://postgres@127.0.0.1:{port}/truestyle"


def _start_throwaway_redis() -> str:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent,
    )
    _started.append(process)
    _wait_for_port(port, "Redis")
    return f"redis://127.0.0.1:{port}/0"


def _wait_for_port(port: int, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_is_open("127.0.0.1", port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start listening on port {port}")


def ensure_test_services() -> None:
    """Point DATABASE_URL, REDIS_URL and MONGODB_URI at running services, starting any that are missing."""
    if os.environ.get("TRUESTYLE_TEST_SERVICES_READY"):
        return  # a child process (a Celery worker) inherits the parent's services
    os.environ.setdefault("TRUESTYLE_TEST_RUN_ID", f"{os.getpid()}")
    run_dir = Path(tempfile.mkdtemp(prefix="truestyle-test-"))
    _cleanups.append(lambda: shutil.rmtree(run_dir, ignore_errors=True))
    # Scratch files of this run (the request-log spool, …) go here and go away with it.
    os.environ["TRUESTYLE_TEST_RUN_DIR"] = str(run_dir)
    atexit.register(_stop_all)
    if not os.environ.get("DATABASE_URL"):
        if port_is_open("127.0.0.1", 5432):
            os.environ["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/truestyle"
        else:
            os.environ["DATABASE_URL"] = _start_throwaway_postgres(run_dir)
    if not os.environ.get("REDIS_URL"):
        if port_is_open("127.0.0.1", 6379):
            os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        else:
            os.environ["REDIS_URL"] = _start_throwaway_redis()
    if not os.environ.get("MONGODB_URI"):
        port = free_port()
        process = start_embedded_mongo(port=port, data_dir=str(run_dir / "mongo"),
                                       log_path=run_dir / "mongoserver.log")
        _started.append(process)
        os.environ["MONGODB_URI"] = (
            f"mongodb://127.0.0.1:{port}/?replicaSet=truestyle&serverSelectionTimeoutMS=5000"
        )
        os.environ["TRUESTYLE_TEST_EMBEDDED_MONGO"] = "1"
    os.environ["TRUESTYLE_TEST_SERVICES_READY"] = "1"
