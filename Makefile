# One tooling surface: every target runs inside the project's own virtualenv (.venv), which
# `setup` creates and fills from pyproject.toml. A fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check lint format typecheck bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: install, then preview the dev stack offline with its monthly cost (no Pulumi CLI, no credentials)
demo: setup
	$(BIN)/askc preview --stack dev
	$(BIN)/askc cost --stack dev

## test: the whole test suite
test: setup
	$(BIN)/python -m pytest -q

## check: format, lint, strict typing, then the tests
check: setup lint typecheck test

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup
	$(BIN)/mypy

## bench: speed measurements, printed as ratios against baselines of the same run
bench: setup
	$(BIN)/python benchmarks/preview_scale.py
	$(BIN)/python benchmarks/cost_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
