# TrueStyle: `make run` starts the store, `make test` runs the whole suite, `make bench` measures it
# (docs/benchmarks.md).
# Both install what they need on a fresh machine (a .venv with Python 3.13 and
# the npm assets) before doing anything else.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PYTHON313 := $(or $(shell ls -d $(PYENV_ROOT)/versions/3.13.*/bin/python3.13 2>/dev/null | sort -V | tail -n 1),$(shell command -v python3.13 2>/dev/null))

.PHONY: install run test bench check-python clean

check-python:
	@if [ -z "$(PYTHON313)" ]; then \
		echo "error: Python 3.13 was not found (looked in $(PYENV_ROOT)/versions/3.13.* and on PATH)." >&2; \
		echo "       Install it, e.g. 'pyenv install 3.13', then run make again." >&2; \
		exit 1; \
	fi

$(VENV)/.installed: requirements.txt requirements-test.txt | check-python
	@if [ ! -x $(PY) ]; then $(PYTHON313) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	TRUESTYLE_LOCAL=1 DEBUG=$${DEBUG:-1} $(PY) manage.py runstore

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

# Seeds var/bench/ once, then measures in-process and under load, soaks for 10 minutes and writes
# docs/benchmarks.md. BENCH_ARGS="--soak 60 --seconds 10" for a quicker look.
bench: install $(VENV)/.bench-installed
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles
