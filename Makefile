# The front door: `make run` serves the site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
COURSE ?= courses/llm-masterclass
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform
export SITE_URL ?= http://$(HOST):$(PORT)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test e2e lint fmt bench course-check labs-calibrate setup setup-dev system-deps system-deps-check frontend static migrate demo clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

platform/static/dist/app.js: node_modules/.installed $(wildcard frontend/src/*) frontend/build.mjs
	npm run --silent build

frontend: platform/static/dist/app.js

# Hashed, compressed static files for servers running without DEBUG (tests, production).
var/staticfiles/staticfiles.json: platform/static/dist/app.js $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput --verbosity 0

static: var/staticfiles/staticfiles.json

setup: $(VENV)/.installed frontend system-deps-check
setup-dev: $(VENV)/.installed-dev frontend static system-deps

# Debian packages the sandbox and the browser tests need (installed when missing; needs root).
system-deps:
	@missing=""; command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

system-deps-check:
	@command -v bwrap >/dev/null || echo "NOTE: bubblewrap is not installed: learners' code will run UNISOLATED (development only). Install it with: apt-get install bubblewrap"

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_accounts
	@if [ -f $(COURSE)/course.yaml ] && $(PY) manage.py help course >/dev/null 2>&1; then $(PY) manage.py course import $(COURSE); fi

run: setup demo
	@echo
	@echo "Serving http://$(HOST):$(PORT)/ (embedded mode: SQLite, in-process worker) — Ctrl-C to stop."
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DJANGO_HTTPS=$${DJANGO_HTTPS:-0} $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: setup-dev
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sandbox platform workers

fmt: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup-dev
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi; }
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

course-check: setup
	$(PY) manage.py course validate $(COURSE)

# Run every lab's solution in full mode through the sandbox; rewrites $(COURSE)/CALIBRATION.md.
labs-calibrate: $(VENV)/.installed
	$(PY) $(COURSE)/tools/calibrate.py $(CALIBRATE_ARGS)

clean:
	rm -rf var platform/static/dist
