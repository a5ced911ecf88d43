# Two commands set everything up: `make run` and `make test`. Both create or refresh .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck layers messages venv sysdeps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	bash scripts/sysdeps.sh

run: $(STAMP) sysdeps
	$(BIN)/socinvest run examples --reports out/reports

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

lint: $(STAMP) layers typecheck
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
