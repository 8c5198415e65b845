# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := src/u4ssc/web/static/vendor
PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/u4ssc

.PHONY: demo test test-postgres lint install assets messages browsers bench clean help

help:
	@echo "make demo   - install, migrate an embedded SQLite database, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - install and run the whole suite (lint included) on SQLite"
	@echo "make test-postgres - the suite against PostgreSQL (PG_URL=$(PG_URL))"
	@echo "make bench  - run the benchmarks under bench/ and print their figures"

$(STAMP): pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/lock.txt -e ".[dev]"
	touch $(STAMP)

# Front-end assets come from npm (package-lock.json) and are served by the platform itself.
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/htmx
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

assets: $(VENDOR)/.stamp

messages: $(STAMP)
	cd src/u4ssc && ../../$(BIN)/u4ssc manage compilemessages -v 0

install: $(STAMP) assets messages

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
browsers:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(BIN)/u4ssc manage migrate --noinput -v 0
	$(BIN)/u4ssc demo load
	$(BIN)/u4ssc manage runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/u4ssc manage check --fail-level WARNING
	$(BIN)/u4ssc manage makemigrations --check --dry-run -v 0

test: install browsers lint
	$(BIN)/pytest -q -n 2

test-postgres: install browsers
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) data .pytest_cache .mypy_cache .ruff_cache
