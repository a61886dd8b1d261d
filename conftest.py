"""Test fixtures shared by the whole suite.

Use the `db` fixture (not pytest-django's `django_db` mark) for tests that
touch the databases: both databases are open to the test, and afterwards the
MongoDB collections it wrote and the PostgreSQL tables are cleaned. Nothing is
rolled back behind the code's back, so what the code commits is what a test
sees, including writes by the Celery worker and by concurrent threads.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections

from truestyle.core.db_router import MONGO_DATABASE, SQL_APPS, SQL_DATABASE
from truestyle.testing.isolation import MongoBaseline, written_collections

_baseline = MongoBaseline()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """Create and migrate both test databases once per run; remember what set-up wrote.

    pytest-django would set up only the databases that `django_db` marks
    name; our `db` fixture uses both, so both are set up here, unserialised.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases=set(connections), serialized_aliases=set())
        _baseline.capture(connections[MONGO_DATABASE].database)
        written_collections.take()
    yield
    with django_db_blocker.unblock():
        _end_other_postgres_sessions()
        teardown_databases(config, verbosity=0)


def _end_other_postgres_sessions() -> None:
    """End sessions other threads (the live server) left open, so the test database can be dropped."""
    connection = connections[SQL_DATABASE]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )


def _truncate_sql_tables() -> None:
    from django.apps import apps

    tables = [model._meta.db_table for label in SQL_APPS for model in apps.get_app_config(label).get_models()]
    connection = connections[SQL_DATABASE]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Both databases, cleaned after the test (see the module docstring)."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            for alias in connections:
                connection = connections[alias]
                if alias == MONGO_DATABASE and connection.session is not None:
                    connection.rollback_mongo()
                    connection.in_atomic_block_mongo = False
                    connection.nested_atomics = 0
            _baseline.clean(connections[MONGO_DATABASE].database.client, written_collections.take())
            _request_log_settle()
            _truncate_sql_tables()
            _cache_clear()


def _request_log_settle() -> None:
    """Write the request-log entries this test's requests buffered, before the tables are emptied.

    Otherwise the writer thread would insert them during the next test, or at exit into a database
    that no longer exists.
    """
    from truestyle.auditlog.services import request_log_writer

    request_log_writer.flush()


@pytest.fixture(autouse=True)
def _celery_join_flag_restored():
    """Celery keeps "inside an eager task" in one process-wide flag, saved and restored around each
    eager run; eager tasks finishing in another order on concurrent threads can leave it set, and
    every later `.get()` on a result then refuses. No test may leak that into the next one."""
    yield
    from celery import _state as celery_state

    celery_state._set_task_join_will_block(False)


def _cache_clear() -> None:
    # Only this run's keys: clear() would FLUSHDB a Redis database other runs share.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture
def transactional_db(db):
    return db


from truestyle.testing.browser import browser, page  # noqa: E402,F401  (fixtures)
from truestyle.testing.celery_worker import celery_worker, celery_worker_process  # noqa: E402,F401  (fixtures)
