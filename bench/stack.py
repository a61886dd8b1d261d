"""The stack `make bench` measures: the embedded MongoDB (or MONGODB_URI's), PostgreSQL and Redis on
loopback, the store under gunicorn and a Celery worker, all with the benchmark's own databases."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from truestyle.core.mongo.process import _die_with_parent, free_port, port_is_open, start_embedded_mongo, stop_process

BASE_DIR = Path(__file__).resolve().parents[1]
POSTGRES_DATABASE = "truestyle_bench"
REDIS_DATABASE = 12


class Stack:
    def __init__(self, *, work_dir: Path, workers: int, threads: int) -> None:
        self.work_dir = work_dir
        self.workers, self.threads = workers, threads
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()
        self.env: dict[str, str] = {}
        self.server = "embedded MongoDB (mongoeco 4.11.0 on SQLite)"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def services_start(self) -> dict[str, str]:
        """Point the environment at the benchmark's databases (starting the embedded MongoDB)."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if os.environ.get("MONGODB_URI"):
            mongodb_uri = os.environ["MONGODB_URI"]
            self.server = "MongoDB at MONGODB_URI"
        else:
            mongo_port = free_port()
            self.processes.append(start_embedded_mongo(port=mongo_port, data_dir=str(self.work_dir / "mongo"),
                                                       log_path=self.work_dir / "mongoserver.log",
                                                       timeout=180))  # opening a large dataset takes a while
            mongodb_uri = f"mongodb://127.0.0.1:{mongo_port}/?replicaSet=truestyle"
        if not port_is_open("127.0.0.1", 5432) or not port_is_open("127.0.0.1", 6379):
            raise RuntimeError("make bench needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
        _postgres_database_ensure(POSTGRES_DATABASE)
        self.env = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "MONGODB_URI": mongodb_uri,
            "MONGODB_NAME": "truestyle_bench",
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DATABASE}",
            "CACHE_KEY_PREFIX": "bench",
            "CELERY_QUEUE": "bench",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "DEBUG": "0", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # One address makes every request: the fair-use limits would measure themselves.
            "API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min",
            "TRUESTYLE_VAR_DIR": str(self.work_dir / "var"),
            "LOG_LEVEL": "WARNING",
            # UPI and card orders of the soak pay through the local sandbox provider (no network).
            "PAYMENT_SANDBOX_ENABLED": "1",
        }
        os.environ.update(self.env)
        return self.env

    def manage(self, *arguments: str) -> None:
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env={**os.environ, **self.env},
                       check=True)

    def web_start(self) -> None:
        log = open(self.work_dir / "gunicorn.log", "ab")
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "truestyle.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "gthread", "--threads", str(self.threads),
             "--backlog", "2048", "--timeout", "60"],
            cwd=BASE_DIR, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent))
        log = open(self.work_dir / "celery.log", "ab")
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "truestyle", "worker", "--pool", "solo", "--queues", "bench",
             "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent))
        deadline = time.monotonic() + 60
        while not port_is_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {self.work_dir / 'gunicorn.log'}")
            time.sleep(0.2)

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_process(process)
        self.processes.clear()


def _postgres_database_ensure(name: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
