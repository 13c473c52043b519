# Two commands for a fresh machine: `make run` (the demo at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DEBUG ?= true

.PHONY: run test install messages clean-db

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

# The whole suite: unit, view and browser tests (browser tests skip with a reason without Chromium).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the translation catalogues after changing user-facing text.
messages: $(STAMP)
	cd digisnap && ../$(BIN)/python ../manage.py makemessages -l nl -l en --no-obsolete --ignore 'frameworks/*'
	cd digisnap && ../$(BIN)/python ../manage.py compilemessages
