# The team's few commands. `make run` serves the portal on the embedded defaults
# (SQLite, eager Celery, mail to the console); `make test` runs the lint, the smoke run
# of the embedded defaults and the suite on PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

# Debian packages: WeasyPrint's Pango/HarfBuzz and Cyrillic fonts, pdftoppm for
# looking at PDFs, gettext for translations, Chromium for the browser tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu fonts-paratype fonts-liberation2 poppler-utils gettext
TEST_DEBS := $(RUN_DEBS) chromium postgresql-client

# The test suite's services; CI runs against the machine's PostgreSQL and Redis.
TEST_ENV := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentorship} \
	REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/0} \
	SECRET_KEY=test-only-secret-key-not-for-production-0123456789 \
	DEBUG=0 HTTPS=0 DJANGO_ALLOW_ASYNC_UNSAFE=true

# import-linter contracts (ids from [tool.importlinter] in pyproject.toml) that `make lint`
# enforces. The others there describe the shape issue 10's restructuring brings; add each
# id here once it passes.
IMPORT_CONTRACTS := core-below-apps apps-acyclic registry-roadmaps-independent acyclic-mentorship acyclic-roadmaps acyclic-registry layers-registry layers-core \
	acyclic-monitoring layers-monitoring layers-roadmaps

# makemigrations --check reads the migration history from a database: a throw-away
# in-memory one, so linting needs no server and never creates var/db.sqlite3.
LINT_ENV := DATABASE_URL=sqlite://:memory: \
	SECRET_KEY=lint-only-secret-key-not-for-production-0123456789 DEBUG=0 HTTPS=0

.PHONY: run test smoke bench lint format install install-test assets messages messages-update \
	debs-run debs-test \
	backup restore \
	services-check migrate demo web worker worker-mail worker-documents worker-heavy beat clean

run: debs-run install assets messages migrate demo  ## install everything and serve http://127.0.0.1:8000
	@echo ""
	@echo "Портал: http://127.0.0.1:8000  (встроенный режим: SQLite, задачи Celery сразу, почта в консоль)"
	$(MANAGE) runserver 127.0.0.1:8000

test: debs-test install-test assets messages lint smoke services-check  ## lint, smoke, the suite on PostgreSQL
	$(TEST_ENV) $(VENV)/bin/pytest -q --durations=25 $(PYTEST_ARGS)

# The embedded defaults end to end (migrate, demo, reminders, every document kind, both
# importers in dry run) on a temporary SQLite and MEDIA_ROOT: never the developer's var/.
smoke: debs-run install assets
	$(PY) scripts/smoke.py

bench: debs-test install-test assets messages services-check  ## seeded large data and timings
	$(TEST_ENV) $(VENV)/bin/pytest -q -s -m bench tests/benchmarks $(PYTEST_ARGS)

lint: install-test  ## ruff, formatting, missing migrations, import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LINT_ENV) $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache --no-logo $(addprefix --contract ,$(IMPORT_CONTRACTS))

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e .
	@touch $@
$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
assets: node_modules/.package-lock.json

# The Russian catalogue: the .po is the source (in git), the .mo is built here and
# ignored by git. Without it Django falls back to the msgids' two forms («21 участников»).
# compilemessages walks the whole tree for locale/ folders: keep it out of .venv and
# node_modules, which hold other projects' catalogues.
MESSAGES_IGNORE := --ignore='.*' --ignore=node_modules --ignore=var --ignore=staticfiles
PO := locale/ru/LC_MESSAGES/django.po
locale/ru/LC_MESSAGES/django.mo: $(PO) | $(VENV)/.installed
	$(MANAGE) compilemessages -l ru $(MESSAGES_IGNORE)
	@touch $@
messages: locale/ru/LC_MESSAGES/django.mo
# After changing translatable strings: collect them into the .po (msgids stay Russian;
# every counted phrase needs its three forms, tests/mentorship/test_plurals.py checks).
# msgmerge's guesses ("fuzzy" entries) would put one phrase's words on another: drop them.
messages-update: install
	$(MANAGE) makemessages -l ru --add-location=file --no-obsolete $(MESSAGES_IGNORE) \
		--ignore=static --ignore=tests
	msgattrib --clear-fuzzy --empty --clear-previous -o $(PO) $(PO)

# Install the Debian packages that are missing (as root, or through sudo).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Устанавливаю пакеты Debian:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef
debs-run:
	$(call install_debs,$(RUN_DEBS))
debs-test:
	$(call install_debs,$(TEST_DEBS))

services-check: install-test
	@$(TEST_ENV) $(MANAGE) check_services

migrate: install
	$(MANAGE) migrate --noinput

demo: install
	$(MANAGE) load_demo

# The same processes docker-compose.yml runs, for a deployment without Docker.
# One worker per queue (mentorship/queues.py): letters and reminders never wait behind a
# batch of PDFs or an import. `make worker` consumes all three in one process (a small
# school-level installation); QUEUE_PREFIX, if set, prefixes every queue's name.
WORKER := $(VENV)/bin/celery -A mentorship worker --loglevel=info
web: install
	$(VENV)/bin/gunicorn mentorship.wsgi:application --bind 0.0.0.0:8000 --workers 2
worker: install
	$(WORKER) --concurrency=2 --queues=$(QUEUE_PREFIX)mail,$(QUEUE_PREFIX)documents,$(QUEUE_PREFIX)heavy
worker-mail: install
	$(WORKER) --concurrency=2 --queues=$(QUEUE_PREFIX)mail --hostname=mail@%h
worker-documents: install
	$(WORKER) --concurrency=2 --queues=$(QUEUE_PREFIX)documents --hostname=documents@%h
worker-heavy: install
	$(WORKER) --concurrency=1 --queues=$(QUEUE_PREFIX)heavy --hostname=heavy@%h
beat: install
	$(VENV)/bin/celery -A mentorship beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules staticfiles var

# Backups: the database (pg_dump, or the SQLite file) and MEDIA_ROOT in one dated archive
# under var/backups/ (BACKUP_DIR=... to change); restore with `make restore FILE=...`.
BACKUP_DIR ?= var/backups
backup: install
	$(MANAGE) backup --out $(BACKUP_DIR)
restore: install
	@test -n "$(FILE)" || { echo "Укажите архив: make restore FILE=var/backups/mentorship-backup-....tar.gz"; exit 2; }
	$(MANAGE) restore $(FILE) $(if $(FORCE),--force,)
