# Two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test test-sqlite test-postgres test-browser lint setup install translations system-deps bench clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP) translations node_modules/.installed

# The socket.io browser client, pinned in package-lock.json, from the npm registry (served by the app, never committed).
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d lms/translations -f >/dev/null

setup: install certificate-fonts
	mkdir -p instance
	$(BIN)/flask lms setup

run: setup
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check lms tests bench tools migrations/env.py wsgi.py

# The certificate PDF's fonts (DejaVu, from Debian's fonts-dejavu-core) when missing.
.PHONY: certificate-fonts
certificate-fonts:
	@bash scripts/certificate-fonts.sh

# Debian packages the tests need: Chromium for browser tests, PostgreSQL for the second database run.
system-deps:
	@bash scripts/system-deps.sh

test: install system-deps lint
	$(BIN)/python -m pytest -q
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -q -m "not browser"

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -q -m "not browser"

bench: install
	$(BIN)/python bench/exam_peak.py

clean:
	rm -rf $(VENV) instance/*.sqlite3*
