# Signaalwerk — the only two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
export HOST PORT
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test deps deps-dev syscheck migrate demo lint typecheck backup restore bench help

help:
	@echo "make run    — installeren, migreren, demo-gegevens laden en serveren op http://$(HOST):$(PORT)"
	@echo "make test   — alle tests: SQLite, PostgreSQL en de browser (Chromium)"

.tools/bin/uv:
	@command -v python3 >/dev/null || { echo "Python 3.11 ontbreekt: sudo apt-get install -y python3 python3-venv"; exit 1; }
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.deps: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --quiet
	@touch $@

$(VENV)/.deps-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
deps-dev: $(VENV)/.deps-dev

syscheck:
	@scripts/syscheck

migrate: deps
	$(PY) manage.py migrate

demo: deps
	SIGNAALWERK_DEMO=1 $(PY) manage.py demo

run: deps syscheck migrate
	@if [ "$${SIGNAALWERK_DEMO:-1}" = "1" ]; then SIGNAALWERK_DEMO=1 \
	  SIGNAALWERK_BASE_URL=$${SIGNAALWERK_BASE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py demo; fi
	@echo ""
	@echo "  Signaalwerk draait op http://$(HOST):$(PORT)/"
	@if [ "$${SIGNAALWERK_DEMO:-1}" = "1" ]; then \
	  echo "  Demo-accounts (wachtwoord demo-demo): werker, werker2, voorzitter, partner, coordinator, beheerder"; fi
	@echo ""
	SIGNAALWERK_DEMO=$${SIGNAALWERK_DEMO:-1} SIGNAALWERK_BASE_URL=$${SIGNAALWERK_BASE_URL:-http://$(HOST):$(PORT)} \
	  $(VENV)/bin/uvicorn app:create_app --factory --host $(HOST) --port $(PORT) \
	  --workers $(WORKERS) --no-proxy-headers --no-server-header --no-access-log

test: deps-dev syscheck
	@scripts/fetch-vnu
	@scripts/fetch-lighthouse
	@scripts/run-tests

lint: deps-dev
	$(VENV)/bin/ruff check .

typecheck: deps-dev
	$(VENV)/bin/mypy

backup: deps
	$(PY) manage.py backup

restore: deps
	@test -n "$(FILE)" || { echo "Gebruik: make restore FILE=pad/naar/backup"; exit 1; }
	$(PY) manage.py restore "$(FILE)"
