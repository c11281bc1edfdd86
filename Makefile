# Two commands on a fresh machine:
#   make demo   install everything, build the SQLite demo of one Si/Gun/Gu, serve on 127.0.0.1:8000
#   make test   install test dependencies and run the whole suite (DATABASE_URL=postgres://… for PostgreSQL)

PYTHON ?= python3
SIGUNGU ?= 11740
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
BOKJIHUB := $(BIN)/bokjihub

.PHONY: demo test install install-test assets serve lint clean-demo

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 이상이 필요합니다 (Python >= 3.11 required)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files make a second `make demo` reuse what is installed.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

build/vendor/.built: node_modules/.package-lock.json scripts/build_assets.mjs
	node scripts/build_assets.mjs
	@touch $@

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-test assets
assets: build/vendor/.built

demo: install
	$(BOKJIHUB) migrate --no-input
	$(BOKJIHUB) regions load
	$(BOKJIHUB) demo --sigungu $(SIGUNGU)
	$(BOKJIHUB) collectstatic --no-input --verbosity 0
	@echo "복지허브: http://$(HOST):$(PORT)/"
	BOKJIHUB_DEBUG=false $(BOKJIHUB) runserver $(HOST):$(PORT) --insecure --noreload

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests conftest.py

clean-demo:
	rm -f var/bokjihub.sqlite3 var/bokjihub.sqlite3-wal var/bokjihub.sqlite3-shm
