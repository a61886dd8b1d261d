"""Settings for the test suite: the real settings, pointed at real test services."""

import os
from pathlib import Path

os.environ.setdefault("TRUESTYLE_LOCAL", "1")

from truestyle.testing.services import ensure_test_services  # noqa: E402

ensure_test_services()

from truestyle.settings import *  # noqa: E402,F403
from truestyle.settings import DATABASES, INSTALLED_APPS  # noqa: E402

RUN_ID = os.environ["TRUESTYLE_TEST_RUN_ID"]

# Models used only by the ORM conformance tests.
INSTALLED_APPS = [*INSTALLED_APPS, "truestyle.core.tests.ormapp"]

# Each run has its own databases, so parallel runs on one machine never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_truestyle_{RUN_ID}"}
DATABASES["mongodb"]["TEST"] = {"NAME": f"test_truestyle_{RUN_ID}"}

CACHES["default"]["KEY_PREFIX"] = f"test-{RUN_ID}"  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = f"truestyle-test-{RUN_ID}"
# Tasks run inline unless a test asks for the real worker (see the celery_worker fixture).
CELERY_TASK_ALWAYS_EAGER = True

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
REQUEST_LOG_SPOOL_DIR = Path(os.environ["TRUESTYLE_TEST_RUN_DIR"]) / "request-log-spool"
# Fast hashing in tests; the production hasher is covered where it matters.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A Celery worker started by the test run (truestyle.testing.celery_worker) must use the databases
# this run created; pytest-django renames DATABASES[...]["NAME"] in the test process only, so the
# fixture passes the names it uses to the worker.
if os.environ.get("TRUESTYLE_TEST_DB_NAMES"):
    import json

    for _alias, _name in json.loads(os.environ["TRUESTYLE_TEST_DB_NAMES"]).items():
        DATABASES[_alias]["NAME"] = _name

# The suite (the schemathesis run above all) sends thousands of API requests a minute from one address;
# api/tests/test_throttling.py lowers these to prove the limits.
API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min"}

# Trending activity is written as it happens, so that a test reads what it just recorded; the
# batching itself has its own tests (truestyle/analytics/tests/test_trending.py).
TRENDING_ACTIVITY_FLUSH_SECONDS = 0
