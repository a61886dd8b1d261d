"""Start and stop the embedded server as a child process (used by `make run` and the tests)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:
    # The server must not outlive the test run or `make run` that started it.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def start_embedded_mongo(*, port: int, data_dir: str, host: str = "127.0.0.1", log_path: Path | None = None,
                         timeout: float = 30.0) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "truestyle.settings", "TRUESTYLE_LOCAL": "1"}
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), "mongoserver", "--host", host, "--port", str(port),
         "--data", data_dir],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded MongoDB exited with code {process.returncode}; see {log_path}")
        if port_is_open(host, port):
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"embedded MongoDB did not listen on {host}:{port} within {timeout}s")


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
