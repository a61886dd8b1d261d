"""Deployment: docker-compose.yml, the Dockerfile and production settings.

No Docker engine is needed: Debian's docker-compose (1.29) validates a compose
file on its own (ARCHITECTURE.md, "Checking docker-compose.yml without
Docker"), and the settings are checked in a subprocess with production values
and nothing of the test environment.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
DOCKERIGNORE = BASE_DIR / ".dockerignore"
LONG_RUNNING_SERVICES = {"mongo", "postgres", "redis", "web", "worker", "beat"}
STACK_SERVICES = LONG_RUNNING_SERVICES | {"migrate"}
DOCKER_COMPOSE = shutil.which("docker-compose")

needs_docker_compose = pytest.mark.skipif(
    DOCKER_COMPOSE is None,
    reason="the docker-compose binary is not installed (.ci/run installs Debian's docker-compose package)",
)


def _clean_env(**values: str) -> dict[str, str]:
    """An environment with none of the test run's variables (DATABASE_URL, TRUESTYLE_LOCAL, ...)."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
            **values}


def _compose_config(compose_file: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([DOCKER_COMPOSE, "-f", str(compose_file), "config"], cwd=compose_file.parent,
                          env=_clean_env(**env), capture_output=True, text=True, timeout=120)


def _production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """Production values and nothing else (no TRUESTYLE_LOCAL); an override of None removes a variable.

    The MongoDB port is 1, where nothing listens: the checks must not need a
    connection. EMAIL_HOST is part of a production configuration: without it
    mail goes to the console, which Django's deploy check refuses (mail.E001).
    """
    values = {
        "DJANGO_SETTINGS_MODULE": "truestyle.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.com",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/truestyle",
        "MONGODB_URI": "mongodb://127.0.0.1:1/?replicaSet=truestyle",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_HOST": "smtp.example.com",
        "TRUESTYLE_VAR_DIR": str(tmp_path / "var"),
    }
    values.update(overrides)
    return _clean_env(**{key: value for key, value in values.items() if value is not None})


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


# --- docker-compose.yml ------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    """The compose file as docker-compose resolves it, parsed."""
    if DOCKER_COMPOSE is None:
        pytest.skip("the docker-compose binary is not installed (.ci/run installs Debian's docker-compose package)")
    result = _compose_config(COMPOSE_FILE, SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_has_the_whole_stack_each_service_with_a_healthcheck(compose):
    services = compose["services"]

    assert STACK_SERVICES <= set(services)
    for name in LONG_RUNNING_SERVICES:
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no healthcheck"


def test_compose_mongo_is_a_replica_set_that_the_healthcheck_initiates(compose):
    mongo = compose["services"]["mongo"]

    command = mongo["command"]
    assert command[command.index("--replSet") + 1] == "truestyle"
    assert mongo["image"] == "mongo:8"
    check = " ".join(mongo["healthcheck"]["test"])
    assert "mongosh" in check and "rs.initiate" in check and "isWritablePrimary" in check


def test_compose_web_waits_for_healthy_databases_and_completed_migrations(compose):
    services = compose["services"]
    web = services["web"]

    for dependency in ("mongo", "postgres", "redis"):
        assert web["depends_on"][dependency] == {"condition": "service_healthy"}
    assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate --noinput" in migrate
    assert "manage.py migrate --database mongodb" in migrate
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_compose_web_serves_gunicorn_and_checks_healthz(compose):
    web = compose["services"]["web"]

    assert web["command"] == ["gunicorn", "truestyle.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert "celery" in compose["services"]["worker"]["command"]
    assert "worker" in compose["services"]["worker"]["command"]
    assert "beat" in compose["services"]["beat"]["command"]


def test_compose_app_services_are_wired_to_the_stack_for_production(compose):
    for name in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["MONGODB_URI"] == "mongodb://mongo:27017/?replicaSet=truestyle"
        assert re.fullmatch(r"postgresql://truestyle:[^@]+@postgres:5432/truestyle", environment["DATABASE_URL"])
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "0"
        assert environment["ALLOWED_HOSTS"]
        assert len(environment["SECRET_KEY"]) >= 50


def test_compose_stack_images_and_a_configurable_https_redirect(compose):
    services = compose["services"]

    assert services["postgres"]["image"] == "postgres:17"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["environment"]["SECURE_SSL_REDIRECT"] == "1"


@needs_docker_compose
def test_compose_https_redirect_can_be_turned_off_for_a_plain_http_trial():
    result = _compose_config(COMPOSE_FILE, SECRET_KEY=secrets.token_urlsafe(64), SECURE_SSL_REDIRECT="0")

    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["services"]["web"]["environment"]["SECURE_SSL_REDIRECT"] == "0"


def test_compose_data_lives_in_named_volumes(compose):
    services = compose["services"]
    volumes = set(compose["volumes"])

    for name, path in (("mongo", "/data/db"), ("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        mounts = {mount.split(":")[1]: mount.split(":")[0] for mount in services[name]["volumes"]}
        assert mounts[path] in volumes, f"{name}'s {path} is not a named volume"


@needs_docker_compose
def test_compose_refuses_to_start_without_a_secret_key():
    result = _compose_config(COMPOSE_FILE)

    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


@needs_docker_compose
def test_compose_refuses_an_unknown_key(tmp_path):
    text = COMPOSE_FILE.read_text()
    invalid = text.replace("\n  web:\n", "\n  web:\n    restart_policy_typo: always\n", 1)
    assert invalid != text
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(invalid)

    result = _compose_config(broken, SECRET_KEY=secrets.token_urlsafe(64))

    assert result.returncode != 0
    assert "restart_policy_typo" in result.stderr


# --- Dockerfile ---------------------------------------------------------------------


def test_dockerfile_builds_a_slim_non_root_gunicorn_image_with_collected_static_files():
    text = DOCKERFILE.read_text()
    # (instruction, arguments) for each line that starts an instruction.
    instructions = [tuple(line.split(None, 1)) for line in text.splitlines()
                    if line[:1].isalpha() and line.split(None, 1)[0].isupper()]
    images = [arguments.split()[0] for instruction, arguments in instructions if instruction == "FROM"]
    users = [arguments.strip() for instruction, arguments in instructions if instruction == "USER"]

    assert images[-1] == "python:3.13-slim"
    assert "pip install -r requirements.txt" in text
    assert "npm ci" in text and "node_modules/htmx.org/dist" in text
    assert re.search(r"SECRET_KEY=\S+.*manage\.py collectstatic --noinput", text, re.S)
    assert users and users[-1] not in {"root", "0"}
    assert instructions[-1] == (
        "CMD", '["gunicorn", "truestyle.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]'
    )


def test_dockerignore_keeps_local_environments_and_data_out_of_the_image():
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()
               if line.strip() and not line.startswith("#")}

    assert {".git", ".venv", "node_modules", "var", "staticfiles", ".env"} <= ignored


def test_the_images_collectstatic_step_needs_no_services(tmp_path):
    """What the Dockerfile runs at build time: DEBUG off, a placeholder key, nothing else."""
    if not (BASE_DIR / "node_modules" / "htmx.org" / "dist").is_dir():
        pytest.skip("npm assets are not installed (make installs them with npm ci)")
    static_root = tmp_path / "static"
    script = (
        "import django; from django.conf import settings; "
        f"django.setup(); settings.STATIC_ROOT = {str(static_root)!r}; "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    env = _clean_env(DJANGO_SETTINGS_MODULE="truestyle.settings", DEBUG="0",
                     SECRET_KEY="build-time-collectstatic-only", TRUESTYLE_VAR_DIR=str(tmp_path / "var"))

    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert (static_root / "vendor" / "htmx" / "htmx.min.js").is_file()
    assert (static_root / "css" / "store.css").is_file()


# --- production settings --------------------------------------------------------------


def test_deploy_check_with_production_values_reports_no_issues(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_refuses_production_without_a_mail_server(tmp_path):
    """Without EMAIL_HOST mail goes to the console: fine locally, an error in a deploy check."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path, EMAIL_HOST=None))

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_settings_refuse_to_load_with_debug_off_and_no_secret_key(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY=None)
    assert "TRUESTYLE_LOCAL" not in env

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: "
        "SECRET_KEY must be set when DEBUG is off (or set TRUESTYLE_LOCAL=1)."
    ) in result.stderr
