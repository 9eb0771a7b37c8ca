# zhicheng: `make run` serves the demo; `make test` runs the whole suite (see README.md).
SHELL := /bin/bash
BIN := .venv/bin
PORT ?= 8000
# The demo runs inside the 2024 season so its acceptance windows are open (banner shown).
DEMO_TODAY ?= 2024-07-15
# The demo clock (docs/operations.md): the city office moves the date on from the banner.
DEMO_ENV := ZHICHENG_TODAY=$(DEMO_TODAY) ZHICHENG_DEMO_CLOCK=1
PG_URL ?= postgres://postgres@127.0.0.1:5432/zhicheng_ci_$(shell date +%s)_$$$$
PYTEST := $(BIN)/pytest -p no:cacheprovider
# Two workers: the machines have two cores; each worker gets its own test database.
XDIST := -n 2

.PHONY: install run test lint typecheck test-sqlite test-postgres test-browser test-smoke test-operator system services bench bench-load schema

.venv/.installed: pyproject.toml scripts/bootstrap-venv
	scripts/bootstrap-venv
	touch $@

install: .venv/.installed

run: install
	scripts/ensure-system --runtime
	$(BIN)/zhicheng migrate --noinput -v0
	$(BIN)/zhicheng load_season --quiet-warnings --publish-at $(DEMO_TODAY)
	$(BIN)/zhicheng seed_demo
	$(BIN)/zhicheng evaluation_demo
	$(DEMO_ENV) $(BIN)/zhicheng certificate keygen --if-missing
	$(DEMO_ENV) $(BIN)/zhicheng certificate issue-approved
	$(DEMO_ENV) $(BIN)/zhicheng certificate_demo
	$(DEMO_ENV) ZHICHENG_JOBS_THREAD=1 $(BIN)/zhicheng runserver --insecure 127.0.0.1:$(PORT)

system:
	scripts/ensure-system

services:
	scripts/ensure-services

lint: install
	$(BIN)/ruff check .
	$(BIN)/zhicheng makemigrations --check --dry-run -v0

typecheck: install
	$(BIN)/mypy

test-sqlite: install
	env -u DATABASE_URL $(PYTEST) $(XDIST) -m "not browser" -q

# The tests that use no database ran in test-sqlite already (tests/conftest.py).
test-postgres: install services
	DATABASE_URL=$(PG_URL) $(PYTEST) $(XDIST) -m "not browser" -q --create-db --database-tests-only

test-browser: install system
	env -u DATABASE_URL $(PYTEST) -m browser -q

# Production settings, gunicorn and a separate Celery worker on a fresh PostgreSQL database
# and Redis (scripts/smoke-production, docs/deploy.md).
test-smoke: install services
	$(BIN)/python scripts/smoke-production

# The deploy guide as an operator follows it: offline bundle, install without network, the
# guide's commands with production settings (scripts/operator-test, docs/deploy.md).
test-operator: install services
	$(BIN)/python scripts/operator-test

test: install system services lint typecheck test-sqlite test-postgres test-browser test-smoke test-operator
	@echo "make test: all suites passed (SQLite, PostgreSQL, browser, production smoke, operator)"

bench: install
	$(BIN)/pytest bench -q --benchmark-only -p no:cacheprovider -o python_files='bench_*.py'

# Load benchmark: gunicorn + PostgreSQL + Redis + Celery, 100,000 applications,
# locust as its own process; ~15 minutes; report in var/load/report.md (bench/README.md).
bench-load: install services
	bench/load/run.sh
