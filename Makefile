# Two commands set everything up: `make run` and `make test`. Both create or refresh .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz layout lint typecheck layers messages venv sysdeps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	bash scripts/sysdeps.sh

# The batch job first, then a fresh demo workspace (out/workspace.db: the example cases, pool,
# follow-up and one demo login per role) served on 127.0.0.1 until Ctrl-C (docs/web.md).
RUN_DB ?= out/workspace.db
RUN_PORT ?= 8000
run: $(STAMP) sysdeps
	$(BIN)/socinvest run examples --reports out/reports
	mkdir -p $(dir $(RUN_DB)) && rm -f $(RUN_DB)
	$(BIN)/socinvest workspace demo --db $(RUN_DB) --examples examples
	@echo "socinvest: http://127.0.0.1:$(RUN_PORT)/  (logins above; password demo-<user>-2026)"
	$(BIN)/socinvest serve --db $(RUN_DB) --host 127.0.0.1 --port $(RUN_PORT)

test: $(STAMP) sysdeps layers typecheck
	$(BIN)/python -m pytest

# The layer contract (pyproject.toml [tool.importlinter]): CI fails on an upward import.
layers: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Extract marked messages into the catalogues (da, en) and compile them.
messages: $(STAMP)
	$(BIN)/python -m socinvest.i18n.extract

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The fuzz suite (docs/fuzzing.md): generated and damaged inputs of every kind for FUZZ_MINUTES
# minutes on 2 worker processes; counts per kind and outcome, failing inputs in out/fuzz/.
# More: make fuzz FUZZ_MINUTES=20 FUZZ_ARGS="--seed 7 --kinds case,xlsx".
FUZZ_MINUTES ?= 5
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --minutes $(FUZZ_MINUTES) $(FUZZ_ARGS)

# The layout checks (docs/reports.md, "Layout") over the examples and LAYOUT_CASES generated
# cases in PDF, Word and Excel (the latter two through LibreOffice): files in out/layout/,
# counts and every problem printed; exit 1 on any. `make test` runs a bounded set.
LAYOUT_CASES ?= 300
layout: $(STAMP) sysdeps
	$(BIN)/python -m tests.layout --cases $(LAYOUT_CASES)

lint: $(STAMP) layers typecheck
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
