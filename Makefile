# Everything a fresh machine (python3, make, git) needs: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline test validate schema bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/casebook validate

# --dirty: the casebook plugin rewrites only the pages an edit changed (and removes stale ones).
serve: validate
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/casebook build

offline: $(STAMP)
	CASEBOOK_OFFLINE=true $(BIN)/casebook build --site-dir site-offline

schema: $(STAMP)
	$(BIN)/casebook schema

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf site site-offline build
