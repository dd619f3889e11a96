# Sommaire — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-test node clean deploy-check

$(BIN)/sommaire: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/sommaire

$(VENV)/.test-deps: $(BIN)/sommaire
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install-test: $(VENV)/.test-deps

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

node: node_modules/axe-core/axe.min.js

run: install
	$(BIN)/sommaire migrate --no-input
	$(BIN)/sommaire load-pack content/segur
	@# The scheduler runs beside the server and stops with it.
	$(BIN)/sommaire run-jobs & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/sommaire serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: install-test node
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

bench: install-test
	$(BIN)/python bench/bench_pages.py

clean:
	rm -rf $(VENV) var node_modules

# The production topology (deploy/) on this machine, over loopback: PostgreSQL,
# nginx, two instances, two job runners, each hurt in turn. 1.5 to 2 minutes.
deploy-check: install
	$(BIN)/python deploy/check.py
