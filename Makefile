# Proctique — `make run` for a local site, `make test` for the whole suite on real services.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite runs against real services on loopback, on TEST_WORKERS pytest-xdist workers
# (each with its own test database and Redis number; see tests/settings.py).
TEST_ENV := DJANGO_SETTINGS_MODULE=tests.settings
TEST_WORKERS ?= 2

.PHONY: run install install-test test lint format migrate seed screenshots bench bench-sweep bench-email \
	chaos clean lock

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

# Re-pin the lock files from pyproject.toml (keeps existing pins unless a range excludes them).
LOCK := $(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -q
lock: $(PY)
	$(LOCK) -o requirements/base.txt
	$(LOCK) --extra test -o requirements/test.txt
	$(LOCK) --extra test --extra bench -o requirements/bench.txt

install-test: $(VENV)/.installed-test

# Development: emails are written as files under var/mail (one per message). Links in emails,
# feeds and the sitemap use SITE_URL, which follows HOST and PORT unless it is set.
SITE_URL ?= http://$(HOST):$(PORT)
LOG_LEVEL ?= INFO
RUN_ENV := DEBUG=true EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
	SITE_URL=$(SITE_URL)

run: install
	$(RUN_ENV) LOG_LEVEL=WARNING $(PY) manage.py migrate --noinput -v0
	$(RUN_ENV) LOG_LEVEL=WARNING $(PY) manage.py seed_demo
	@$(RUN_ENV) LOG_LEVEL=$(LOG_LEVEL) PORT=$(PORT) HOST=$(HOST) ./scripts/run-dev.sh

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
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

screenshots: install-test
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) var media

# A separate PostgreSQL database and Redis number, so benchmarks never touch dev or test data.
BENCH_ENV := DJANGO_SETTINGS_MODULE=proctique.settings DEBUG=false \
	SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	JWT_SIGNING_KEY=bench-only-jwt-key-0123456789abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/proctique_bench \
	REDIS_URL=redis://127.0.0.1:6379/15 HUEY_NAME=proctique-bench \
	ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1 \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \
	THROTTLE_AUTH=100000/min THROTTLE_REVIEWS=100000/min THROTTLE_ANON=1000000/min \
	THROTTLE_USER=1000000/min REVIEWS_POSTS_PER_HOUR=100000 \
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING

bench: install-test
	./scripts/ensure-services.sh
	$(UV) pip install --quiet --python $(PY) -r requirements/bench.txt
	@PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -Atqc \
		"select 1 from pg_database where datname='proctique_bench'" | grep -q 1 \
		|| PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres proctique_bench
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)
	$(BENCH_ENV) $(PY) manage.py bench_sweep $(SWEEP_ARGS)

# The data-size sweep alone: GET /api/projects/ in-process, caches off, at 1k, 10k and 100k
# projects, each in its own database (created from a migrated template, dropped after).
bench-sweep: install-test
	./scripts/ensure-services.sh
	@PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -Atqc \
		"select 1 from pg_database where datname='proctique_bench'" | grep -q 1 \
		|| PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres proctique_bench
	$(BENCH_ENV) $(PY) manage.py bench_sweep $(SWEEP_ARGS)

# The email queue benchmark: drain 5,000 events with one consumer, then two (emails/s, SMTP
# connections, duplicates); review POST latency with fast and slow SMTP. Production settings
# (DEBUG off), like `make bench`.
bench-email: install-test
	./scripts/ensure-services.sh
	@PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -Atqc \
		"select 1 from pg_database where datname='proctique_bench_email'" | grep -q 1 \
		|| PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres proctique_bench_email
	$(BENCH_ENV) DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/proctique_bench_email \
		REDIS_URL=redis://127.0.0.1:6379/14 HUEY_NAME=proctique-bench-email \
		$(PY) manage.py bench_email $(BENCH_ARGS)

# Faults under load: Redis stopped and started twice, PostgreSQL connections killed once, while
# gunicorn and a consumer serve a mixed load; prints requests, 5xx, writes and emails, and
# fails when a target is missed (docs/reliability.md). Its own database (proctique_chaos,
# dropped afterwards) and its own redis-server on a free port.
chaos: install-test
	./scripts/ensure-services.sh
	$(PY) -m proctique.bench.chaos $(CHAOS_ARGS)
