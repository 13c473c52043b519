# Two commands for a fresh machine: `make run` (the demo at http://127.0.0.1:8000) and `make test`;
# `make serve` is the production start on one machine (settings from the environment).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make serve` is production: DEBUG only when the environment asks for it.
SERVE_DEBUG := $(if $(filter environment command line,$(origin DEBUG)),$(DEBUG),false)
export DEBUG ?= true
GUNICORN_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
GUNICORN_BIND ?= 127.0.0.1:8000

.PHONY: run serve test install messages clean-db

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Web server and task worker together (the worker is started again if it crashes); Ctrl-C stops both.
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py import_catalogue digisnap/learning/catalogue/sample-catalogue.json
	@echo "Digisnap runs at http://127.0.0.1:8000  (demo accounts: see README.md; Ctrl-C stops)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py worker --supervise --no-reload --interval 0.5 & worker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production on one machine: gunicorn (GUNICORN_WORKERS processes) and one task worker, after
# migrate, collectstatic and load_framework. A crashed task worker is started again; Ctrl-C or TERM
# stops both, and if gunicorn ends the worker is stopped too, so a supervisor (systemd) sees it.
serve: export DEBUG := $(SERVE_DEBUG)
serve: SHELL := /bin/bash
serve: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_framework
	@echo "Digisnap serves on $(GUNICORN_BIND) with $(GUNICORN_WORKERS) workers (Ctrl-C stops)"
	@trap 'kill -TERM $$web $$worker 2>/dev/null; wait $$web $$worker 2>/dev/null' EXIT; \
	trap 'exit 143' TERM; trap 'exit 130' INT; \
	$(BIN)/gunicorn digisnap.wsgi --bind $(GUNICORN_BIND) --workers $(GUNICORN_WORKERS) \
	  --access-logfile - --no-control-socket & web=$$!; \
	$(BIN)/python manage.py worker --supervise --no-reload & worker=$$!; \
	wait -n $$web $$worker

# The whole suite: unit, view and browser tests (browser tests skip with a reason without Chromium).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the translation catalogues after changing user-facing text.
messages: $(STAMP)
	cd digisnap && ../$(BIN)/python ../manage.py makemessages -l nl -l en --no-obsolete --ignore 'frameworks/*'
	cd digisnap && ../$(BIN)/python ../manage.py compilemessages
