# Two entry points that work on a fresh machine: `make app` and `make test`.
# Each creates its own virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app emulator test test-tools test-full lint format bench bench-quick mutation sync-corpus clean chromium gen2-toolchain browser-toolchain

APP_STAMP := $(VENV)/.installed-app

# What the app needs, and nothing of the test extras; pip's lines show the progress.
# An editable install leaves out data files: `amplify-auth app` serves its Voila template from
# the package itself, and a plain `voila notebooks/app.ipynb` falls back to Voila's own.
$(APP_STAMP): pyproject.toml
	@echo "== installing the app into $(VENV) (about a minute the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --progress-bar on pip
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $(APP_STAMP)

$(STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

app: $(APP_STAMP)
	$(BIN)/amplify-auth app

emulator: $(STAMP)
	$(BIN)/amplify-auth emulator --demo

# The browser tests drive Debian's Chromium (a downloaded browser build is never used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# What the tests need, installed side by side (pip, apt-get and npm each wait on the network
# and the disk in turns): a fresh machine's set-up took 2 min 10 s one after the other. Each
# target's lines are printed together once it is done.
test-tools:
	@$(MAKE) --no-print-directory -j4 --output-sync=target \
	  $(STAMP) chromium gen2-toolchain browser-toolchain

test: test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	# three workers (pytest-xdist) on CI's two cores: most tests wait on a child (a whole run
	# used 1.3 cores on average); the slowest tests are listed, so CI shows where its time goes
	$(BIN)/python -m pytest -q -n 3 --durations=30

# The Amplify Gen 2 toolchain (@aws-amplify/backend, the AWS CDK, tsc, tsx, Prettier) that the
# Gen 2 export tests check against, from the npm registry as its lock file pins it. To update the
# lock file, run `npm install --package-lock-only` there: a plain `npm install` writes a lock file
# that `npm ci` refuses, because @aws-amplify/data-construct bundles its dependencies.
GEN2 := tests/gen2
$(GEN2)/node_modules/.installed: $(GEN2)/package-lock.json
	cd $(GEN2) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

gen2-toolchain: $(GEN2)/node_modules/.installed

# What the browser tests take from npm, pinned by tests/browser/package-lock.json: axe-core
# (injected into the app's pages) and JupyterHub's configurable-http-proxy.
BROWSER := tests/browser
$(BROWSER)/node_modules/.installed: $(BROWSER)/package-lock.json
	cd $(BROWSER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-toolchain: $(BROWSER)/node_modules/.installed

# CI checks a representative sample of configurations against the Gen 2 toolchain; this checks
# many more generated ones.
test-full: test-tools
	GEN2_FULL=1 $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

# Every benchmark at a small size (under 3 minutes in all): catches one that hangs or slows
# down by an order of magnitude. CI runs it after the tests.
bench-quick: $(STAMP)
	for b in bench/*.py; do echo "== $$b --quick"; $(BIN)/python $$b --quick || exit 1; done

# Mutation testing, a habit and not a CI step: mutmut plants small bugs in a core module one
# at a time and runs that module's own tests on each (tools/mutation.py reads them from the
# folders: tests/<layer>/test_<module>*.py, else the layer's folder); a mutant no test fails on
# survives. MODULE=core.rules (any layer.module under src/) runs one; none runs every module,
# several hours on two cores.
# MUTANTS='amplify_auth_widgets.core.rules.x_rule_oauth*' reruns some of MODULE's after a change.
# The score table: `$(BIN)/python tools/mutation.py --summary`; a survivor's diff:
# `cd build/mutation/MODULE && mutmut show NAME`.
MODULE ?=
MUTANTS ?=
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	nice -n 19 $(BIN)/python tools/mutation.py $(or $(MODULE),--all) $(MUTANTS)

# The validation corpus and the rule table are maintained outside this repository; the tests
# use the copies in tests/data/validation and docs/rules.md. Run this when they change upstream.
CORPUS ?= ../shared/corpus/validation
RULES ?= ../shared/RULES.md
sync-corpus:
	cp $(CORPUS)/*.json tests/data/validation/
	cp $(RULES) docs/rules.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis mutants build/mutation
