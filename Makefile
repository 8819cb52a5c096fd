# ENT Paris — the two commands of the README are `make demo` and `make test`.
# Everything runs from the virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Settings for `check --deploy`: production mode with a throwaway key (never a real secret).
DEPLOY_ENV := DJANGO_ENV=production \
	SECRET_KEY=check-deploy-only-7f3c9a1e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5 \
	ALLOWED_HOSTS=ent.example.org

.PHONY: venv demo run migrate seed test lint format check-deploy messages clean bench bench-vie-scolaire bench-communication load seed-paris

## venv: create .venv and install the project with its dev tools (again only when pyproject.toml changes)
venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Impossible de créer l'environnement virtuel : installez python3-venv (apt-get install python3-venv)."; \
		rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## demo: migrate the SQLite database in var/, seed the demo world, serve on http://127.0.0.1:8000
demo: venv
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@$(MAKE) --no-print-directory messages
	$(PY) manage.py runserver $(HOST):$(PORT)

## messages: compile the translations, when there are any and gettext is installed
messages: venv
	@if [ -d locale ]; then \
		if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
		else echo "msgfmt (gettext) absent : traductions non compilées, l'interface reste en français."; fi; \
	fi

## test: the whole suite (SQLite and eager tasks unless DATABASE_URL / REDIS_URL say otherwise)
test: venv
	$(PY) -m pytest

## bench: the AAF import and timetable benchmarks on PostgreSQL (needs DATABASE_URL=postgres://...; creates and drops ent_bench),
## appends its figures to docs/performance.md
bench: venv
	$(PY) -m bench.run_aaf
	$(PY) -m bench.run_vie_scolaire

## bench-vie-scolaire: a 650-student collège on PostgreSQL: a year of lessons, a term's averages; appended to docs/performance.md
bench-vie-scolaire: venv
	$(PY) -m bench.run_vie_scolaire

## bench-communication: an announcement to 1,000 people (request, fan-out) and a digest for 100,000 on PostgreSQL;
## appended to docs/performance.md
bench-communication: venv
	$(PY) -m bench.run_communication

## load: the Monday 8:00 load test on PostgreSQL and Redis (DATABASE_URL names the server): builds or reuses
## the Paris-scale world in ent_load (LOAD_ARGS="--demo" for the demo world, "--rebuild" to build again), runs
## gunicorn and a Celery worker, Locust's mix beside the floor views; appended to docs/performance.md.
load: venv
	@$(PY) -c 'import locust, matplotlib' 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,load]'
	$(PY) -m bench.load.run $(LOAD_ARGS)

## seed-paris: the Paris-scale world of the load test on PostgreSQL (DATABASE_URL names the server; builds or
## reuses the database ent_load: PARIS_ARGS="--database NAME", "--rebuild"; bench/README.md)
seed-paris: venv
	$(PY) -m bench.paris.seed $(PARIS_ARGS)

## lint: ruff, formatting, mypy and the import contracts between apps
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check-deploy: Django's deployment checks with production settings
check-deploy: venv
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/ent.sqlite3 staticfiles .mypy_cache .ruff_cache .pytest_cache
