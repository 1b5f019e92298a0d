# almo-sla: `make run` serves the app with demo data; `make test` runs every test.
# Both set up what they need on a fresh machine (virtualenv, packages, front-end assets).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
CSS := static/build/app.css
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help run test test-services setup assets chromium migrate seed worker beat lint clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(CSS): $(NPM_STAMP) $(wildcard static/scss/*.scss)
	npm run --silent build:css

setup: $(STAMP) $(CSS) ## Install Python and npm packages and build the CSS

assets: $(CSS) ## Build the CSS from static/scss

chromium: ## Install Debian's Chromium for the browser tests, if it is missing
	@test -x /usr/bin/chromium || (echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
		apt-get install -y -q chromium >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
		|| echo "Could not install Chromium: the browser tests will fail and say so. Install it with: apt-get install -y chromium"

migrate: setup ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo council, agreements and users (idempotent)
	$(PY) manage.py seed_demo

run: seed ## Set up everything and serve the app with demo data on http://127.0.0.1:8000
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup chromium ## Run the whole test suite (SQLite and eager tasks unless DATABASE_URL / CELERY_BROKER_URL are set)
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

worker: setup ## Run a Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A almo_sla worker --loglevel=INFO

beat: setup ## Run Celery beat, the scheduler for reminders and quarterly jobs (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A almo_sla beat --loglevel=INFO

lint: setup ## Lint (ruff), check formatting (ruff format) and the layer contracts (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: setup ## Time board packs at scales 1, 5 and 20 against headless Chromium (own SQLite database in /tmp)
	$(PY) benchmarks/board_pack.py

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3
