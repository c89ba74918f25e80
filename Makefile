# Two commands for a new user: `make demo` and `make test`. Each sets up .venv itself.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
# --no-compile: Python compiles the bytecode of what it imports, when it first does (half the set-up time)
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -c constraints.txt
RUNTIME := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint setup clean js

setup: $(STAMP)

# The demo needs xl-kpi and what it imports, nothing more (under a minute from a clean clone);
# the tests and the linters add the development tools.
$(RUNTIME): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "xl-kpi needs Python 3.11 or newer on PATH (python3.11, python3.12, ...)"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PIP) -e '.[dev]'
	@touch $(STAMP)

demo: $(RUNTIME)
	$(BIN)/xl-kpi demo -o out

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --durations=15

# The Node packages the Pyodide and Office.js-metadata tests use (pinned in tests/js/package-lock.json);
# without them those tests skip. .ci/run installs them.
js:
	npm ci --prefix tests/js --no-audit --no-fund

lint: $(STAMP)
	$(BIN)/ruff check xl_kpi udfs bench tests build_templates.py docs
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis *.egg-info tests/js/node_modules
