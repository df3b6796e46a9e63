# Everything a fresh machine (python3, make, git) needs: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline test validate schema bench clean browser

# The browser tests drive Debian's Chromium and need a CJK font for readable screenshots.
# Installed here when missing and we can (root with apt-get); otherwise stop with one line.
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "安装浏览器测试所需的软件包：$(BROWSER_PACKAGES)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	else echo "缺少浏览器测试所需的软件包，请先安装：sudo apt-get install -y $(BROWSER_PACKAGES)" >&2; exit 1; fi

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/casebook validate

# --dirty: the casebook plugin rewrites only the pages an edit changed (and removes stale ones).
# No `validate` first: a case with problems must not keep the preview from starting; the
# preview lists them above every page (and in the terminal).
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/casebook build

offline: $(STAMP)
	CASEBOOK_OFFLINE=true $(BIN)/casebook build --site-dir site-offline

schema: $(STAMP)
	$(BIN)/casebook schema

test: $(STAMP) browser
	$(BIN)/pytest

# make bench BASELINE=<commit>: the same figures of that commit in the same run, for before/after.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(if $(SIZES),--sizes $(SIZES)) $(if $(BASELINE),--baseline $(BASELINE))

clean:
	rm -rf site site-offline build
