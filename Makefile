# Qorgau: `make demo` and `make test` are the whole quick start.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKED := $(VENV)/.locked
# requirements/runtime.txt: what production installs; requirements/dev.txt: the same pins
# plus the tools and test libraries. Both pinned with hashes, from pyproject.toml.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
COMPILE := $(BIN)/uv pip compile pyproject.toml --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" --quiet
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock demo worker serve test lint types pytest e2e messages clean

install: $(STAMP)

# The locked packages, exactly and verified by hash (pip needs nothing else).
$(LOCKED): $(DEV_LOCK)
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $(LOCKED)

# The app itself; pip check fails when pyproject.toml names a package the lock lacks.
$(STAMP): pyproject.toml $(LOCKED)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "requirements/*.txt do not match pyproject.toml: run make lock"; exit 1; }
	$(BIN)/qorgau compilemessages --ignore=.venv -v0
	touch $(STAMP)

# Re-pin after changing dependencies in pyproject.toml. Existing pins are kept (uv
# prefers the versions already in the files): only what changed is resolved anew.
# `make lock UPGRADE=--upgrade` moves every package to its newest version.
lock: $(LOCKED)
	$(COMPILE) $(UPGRADE) -o $(RUNTIME_LOCK)
	$(COMPILE) $(UPGRADE) --extra dev -c $(RUNTIME_LOCK) -o $(DEV_LOCK)

# Builds var/qorgau.sqlite3 with the synthetic demo data (again and again: it does not
# duplicate), then serves the app. DEBUG is off (DJANGO_DEBUG=1 turns it on); --insecure
# lets runserver serve the static files all the same.
demo: install
	$(BIN)/qorgau migrate --no-input -v0
	$(BIN)/qorgau demo
	$(BIN)/qorgau runserver --insecure $(HOST):$(PORT)

# The background worker (django-tasks, ADR 0010) for the demo: run it in a second
# terminal beside `make demo`. It queues a reminder sweep, then runs queued jobs; the
# reminders' e-mails are printed here (console backend).
worker: install
	$(BIN)/qorgau reminders
	$(BIN)/qorgau db_worker

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
