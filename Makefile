# The two commands of the README: `make run` and `make test`. Each creates the
# virtual environment it needs on a fresh machine (Python 3.11, pinned deps).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/khuyenhoc demo --reform >/dev/null
	@echo "demo sign-in token (treasurer of the commune NA-DC-DH; a new one each run): $$($(BIN)/khuyenhoc token create --role treasurer --org NA-DC-DH --label 'make run' 2>/dev/null)"
	$(BIN)/khuyenhoc serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/record.py
	$(BIN)/python -m bench.rebuild
	$(BIN)/python -m bench.api

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
