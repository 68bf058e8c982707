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

# The port is checked before anything is written; the demo's token is valid
# one day and each run revokes the previous one (KHUYENHOC_PORT: another port).
run: $(STAMP)
	@token=$$($(BIN)/khuyenhoc demo --reform --sign-in-token) && \
	echo "demo sign-in token (treasurer of the commune NA-DC-DH, valid one day): $$token" && \
	exec $(BIN)/khuyenhoc serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The README's pictures (docs/screenshots/), refreshed on purpose: the browser
# tests write there only when asked (tests/web/test_browser.py).
screenshots: $(STAMP)
	KHUYENHOC_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/record.py
	$(BIN)/python -m bench.rebuild
	$(BIN)/python -m bench.api

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
