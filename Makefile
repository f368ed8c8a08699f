# Qorgau: `make demo` and `make test` are the whole quick start.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint types pytest e2e messages clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/qorgau compilemessages --ignore=.venv -v0
	touch $(STAMP)

# Builds var/qorgau.sqlite3 with the synthetic demo data (again and again: it does not
# duplicate), then serves the app. DEBUG is off (DJANGO_DEBUG=1 turns it on); --insecure
# lets runserver serve the static files all the same.
demo: install
	$(BIN)/qorgau migrate --no-input -v0
	$(BIN)/qorgau demo
	$(BIN)/qorgau runserver --insecure $(HOST):$(PORT)

serve: install
	$(BIN)/qorgau runserver --insecure $(HOST):$(PORT)

# Lint, types, then every test. With DATABASE_URL set the tests run on that database.
test: install lint types pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

e2e: install
	$(BIN)/pytest -q -m e2e

# Refresh the translation catalogues after changing user-visible text.
messages: install
	cd src/qorgau && ../../$(BIN)/qorgau makemessages -l kk -l ru -l en --no-obsolete \
		--ignore=mics/tests -v0
	$(BIN)/qorgau compilemessages --ignore=.venv -v0

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
