# Two commands: `make run` (set up and launch the app) and `make test` (set up and run every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean setup dist

$(BIN)/python:
	sh packaging/linux/system-deps.sh test
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/infusion-charge

# The PostgreSQL tests need a server: INFUSION_CHARGE_TEST_PG_URL's, else a throwaway one started and stopped
# around the run (.ci/with-postgres.sh).
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen bash .ci/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

# Packaging (issue 8): the one-folder bundle for this platform in dist/ (packaging/infusion_charge.spec).
DIST_STAMP := $(VENV)/.installed-dist

$(DIST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/infusion_charge.spec

clean:
	rm -rf $(VENV) build dist *.egg-info
