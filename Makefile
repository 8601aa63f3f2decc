# Proctique — `make run` for a local site, `make test` for the whole suite on real services.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite runs against real services on loopback.
TEST_ENV := DJANGO_SETTINGS_MODULE=tests.settings

.PHONY: run install install-test test lint format migrate seed screenshots bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(PY) requirements/base.txt
	$(UV) pip install --quiet --python $(PY) -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: $(PY) requirements/test.txt
	$(UV) pip sync --quiet --python $(PY) requirements/test.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py seed_demo
	@DEBUG=true PORT=$(PORT) HOST=$(HOST) ./scripts/run-dev.sh

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install-test
	./scripts/ensure-services.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

screenshots: install-test
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) var media
