# Two commands on a fresh machine:
#   make demo   install everything, build the SQLite demo of one Si/Gun/Gu, serve on 127.0.0.1:8000
#   make test   install test dependencies and run the whole suite (DATABASE_URL=postgres://… for PostgreSQL)
# Supply chain (docs/security.md):
#   make lock      re-resolve requirements/*.lock from pyproject.toml, every file pinned with hashes
#                  (UPGRADE=1 moves every pin to the newest release; otherwise pins are kept)
#   make security  bandit over src/; fails on any high-severity finding (CI runs it)
#   make sbom      CycloneDX bill of materials of the runtime lock → build/sbom.json

PYTHON ?= python3
SIGUNGU ?= 11740
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
BOKJIHUB := $(BIN)/bokjihub

RUNTIME_LOCK := requirements/runtime.lock
TEST_LOCK := requirements/test.lock
DEV_LOCK := requirements/dev.lock
# --build-deps-for=editable pins setuptools too: the project itself is then installed
# without build isolation, so nothing is fetched unhashed. No index or find-links lines:
# a lock must not carry one machine's pip configuration.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links --build-deps-for=editable \
	$(if $(UPGRADE),--upgrade)
LOCK_STALE := echo "requirements/*.lock 가 pyproject.toml 과 맞지 않습니다 (lock is out of date): make lock" >&2; exit 1

.PHONY: demo test install install-test install-dev assets serve lint clean-demo lock security sbom

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 이상이 필요합니다 (Python >= 3.11 required)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs from a lock with --require-hashes when the lock exists: every distribution's hash
# is checked, and a dependency missing from the lock is an error. `pip check` then catches a
# pyproject.toml that gained a dependency the lock lacks. Without the lock files (a
# checkout that predates them) pyproject.toml's ranges are used.
define install_locked
	$(if $(wildcard $(1)),$(PY) -m pip install --quiet --require-hashes -r $(1) \
		&& $(PY) -m pip install --quiet --no-deps --no-build-isolation -e . \
		&& { $(PY) -m pip check >/dev/null || { $(LOCK_STALE); }; },\
		$(PY) -m pip install --quiet -e ".$(2)")
endef

# Stamp files make a second `make demo` reuse what is installed.
$(VENV)/.installed: pyproject.toml $(wildcard $(RUNTIME_LOCK)) | $(PY)
	$(call install_locked,$(RUNTIME_LOCK),)
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(wildcard $(TEST_LOCK)) $(VENV)/.installed
	$(call install_locked,$(TEST_LOCK),[test,spark])
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(wildcard $(DEV_LOCK)) $(VENV)/.installed-test
	$(call install_locked,$(DEV_LOCK),[test,spark,dev])
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

build/vendor/.built: node_modules/.package-lock.json scripts/build_assets.mjs
	node scripts/build_assets.mjs
	@touch $@

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-test assets
install-dev: $(VENV)/.installed-dev assets
assets: build/vendor/.built

demo: install
	$(BOKJIHUB) migrate --no-input
	$(BOKJIHUB) regions load
	$(BOKJIHUB) directory load-booklet
	$(BOKJIHUB) demo --sigungu $(SIGUNGU)
	$(BOKJIHUB) collectstatic --no-input --verbosity 0
	@echo "복지허브: http://$(HOST):$(PORT)/"
	@# the task-queue worker (webhooks, reminders, screening runs) lives as long as the server
	$(BOKJIHUB) run_huey & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		BOKJIHUB_DEBUG=false $(BOKJIHUB) runserver $(HOST):$(PORT) --insecure --noreload

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests conftest.py

# Run last after anyone edits pyproject.toml's dependencies, then commit requirements/.
# pip-tools comes from pyproject's `dev` extra, not from the lock, so that a stale lock
# never stops its own refresh.
lock: | $(PY)
	@test -x $(BIN)/pip-compile || $(PY) -m pip install --quiet "pip-tools>=7.4"
	@mkdir -p requirements
	$(PIP_COMPILE) --output-file=$(RUNTIME_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test --extra spark --output-file=$(TEST_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test --extra spark --extra dev --output-file=$(DEV_LOCK) pyproject.toml

# Asserts (B101) are how pytest tests speak; everything else is reported, and any
# high-severity finding fails the target.
security: $(VENV)/.installed-dev
	$(BIN)/bandit --quiet --recursive src --skip B101 --severity-level high

# For an operator to check against a vulnerability database (none is reachable from CI,
# so CI does not run this). Describes what production installs: the runtime lock.
sbom: $(VENV)/.installed-dev
	@mkdir -p build
	$(BIN)/cyclonedx-py requirements --pyproject pyproject.toml --output-reproducible \
		--output-format JSON --output-file build/sbom.json $(RUNTIME_LOCK)
	@echo "build/sbom.json"

clean-demo:
	rm -f var/bokjihub.sqlite3 var/bokjihub.sqlite3-wal var/bokjihub.sqlite3-shm
