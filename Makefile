# The two commands of the README: `make run` and `make test`. Each creates the
# virtual environment it needs on a fresh machine (Python 3.11, pinned deps).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean screenshots

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

# The README's pictures (docs/screenshots/), refreshed on purpose: the browser
# tests that take them write there only when asked (tests/web/test_browser.py).
screenshots: $(STAMP)
	KHUYENHOC_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py \
		-k "public_page_shows or prints_its_voucher" -p no:cacheprovider

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
