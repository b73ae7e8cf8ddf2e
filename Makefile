# Two entry points that work on a fresh machine: `make app` and `make test`.
# Each creates its own virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app emulator test lint format bench sync-corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

app: $(STAMP)
	$(BIN)/amplify-auth app

emulator: $(STAMP)
	$(BIN)/amplify-auth emulator --demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

# The validation corpus is maintained outside this repository; the tests use the copy in
# tests/data/validation. Run this when the upstream corpus changes.
CORPUS ?= ../shared/corpus/validation
sync-corpus:
	cp $(CORPUS)/*.json tests/data/validation/

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
