# Yntymak: `make run` serves the demo, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYBABEL := $(VENV)/bin/pybabel
STAMP := $(VENV)/.requirements.sha256
# Translated by people; uz_Cyrl is made from uz (scripts/uz_cyrillic.py), then compiled with them.
LOCALES := ru ky tg uz
DEMO_ARGS ?= --activities 3000 --incidents 800 --assessments 400
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint fmt translations compile-translations bench venv system-deps clean

venv: $(STAMP)

# Recreate the venv's packages whenever a requirements file changes (the runtime file, and the
# tools for tests, lint and benchmarks on top of it).
$(STAMP): requirements.txt requirements-dev.txt
	@scripts/system-deps.sh --build
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@sha256sum requirements.txt requirements-dev.txt > $(STAMP)

compile-translations: venv
	@$(PYBABEL) -q compile -d translations

system-deps:
	@scripts/system-deps.sh

run: venv compile-translations
	$(FLASK) init-db
	$(FLASK) seed-demo --if-empty --no-accounts $(DEMO_ARGS)
	@$(FLASK) demo-accounts
	@echo "Serving on http://$(HOST):$(PORT), background exports by the job consumer beside it"
	@# The consumer of background jobs (app/jobs/) runs beside the dev server, stopped with it.
	@$(FLASK) run-jobs --workers 2 & jobs=$$!; \
	  trap 'kill -INT $$jobs 2>/dev/null; wait $$jobs 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

test: venv system-deps compile-translations
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract, update and compile the catalogs.
translations: venv
	$(PYBABEL) -q extract -F babel.cfg -k _l -k N_ -k NP_:1c,2 -k lazy_pgettext:1c,2 --no-location --sort-by-file \
	  --project Yntymak -o translations/messages.pot .
	@for l in $(LOCALES); do \
	  $(PYBABEL) -q update -i translations/messages.pot -d translations -l $$l \
	    --init-missing --no-fuzzy-matching --ignore-obsolete; \
	done
	$(PY) -m scripts.uz_cyrillic
	$(PYBABEL) -q compile -d translations

bench: venv compile-translations
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.scale --write $(SCALE_ARGS)

# The same on a throwaway PostgreSQL started as .ci/run does (scripts/throwaway-pg.sh), removed after.
.PHONY: bench-pg
bench-pg: venv compile-translations
	scripts/throwaway-pg.sh $(MAKE) bench

clean:
	rm -rf $(VENV) instance .pytest_cache

# The dashboard's plotly.js bundle (core + bar + heatmap) and its precompressed copies, into
# app/static/vendor/ (committed: CI and the tablets never run npm). Needs Node 20+ and npm.
.PHONY: plotly-bundle bench-weights
plotly-bundle:
	cd assets/plotly && npm ci --no-audit --no-fund && node build.mjs

# Bytes each page sends with its static files (Brotli where a browser takes it) against the targets.
bench-weights: venv compile-translations
	$(PY) -m bench.weights

# The served app under load: gunicorn (production config, 4 workers) and locust on 127.0.0.1,
# steady / burst / trivial-page phases, then the records checked (bench/load.py; --quick, --write).
.PHONY: bench-load
bench-load: venv compile-translations
	$(PY) -m bench.load $(BENCH_LOAD_ARGS)

# The same on a throwaway PostgreSQL (started and removed as .ci/run does).
.PHONY: bench-load-pg
bench-load-pg: venv compile-translations
	scripts/throwaway-pg.sh $(PY) -m bench.load $(BENCH_LOAD_ARGS)
