# Everything a fresh machine (python3, make, git) needs: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline test validate schema bench clean browser node golden screenshots mutations

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

# The scripts' linter (ESLint, eslint.config.js) runs on Node: Debian's nodejs and npm, installed
# like the browser's packages; then exactly the versions of package-lock.json (npm ci).
NODE_PACKAGES := nodejs npm
NODE_STAMP := node_modules/.installed
node:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "安装检查网页脚本所需的软件包：$(NODE_PACKAGES)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(NODE_PACKAGES) >/dev/null; \
	else echo "缺少检查网页脚本所需的软件包，请先安装：sudo apt-get install -y $(NODE_PACKAGES)" >&2; exit 1; fi

$(NODE_STAMP): package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Every package comes from the lock, checked against its hashes (pip itself too); then this
# project, built with the locked setuptools rather than whatever an isolated build would fetch.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/casebook validate

# --dirty: the casebook plugin rewrites only the pages an edit changed (and removes stale ones).
# No `validate` first: a case with problems must not keep the preview from starting; the
# preview lists them above every page (and in the terminal).
# `make serve PORT=8001` when 8000 is taken: a busy port stops at once with one line saying so
# (the check binds as mkdocs does, with SO_REUSEADDR, so a port left in TIME_WAIT counts as free).
PORT ?= 8000
serve: $(STAMP)
	@$(BIN)/python -c "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
	  s.bind(('127.0.0.1', $(PORT)))" 2>/dev/null || \
	  { echo "端口 $(PORT) 已被占用（也许另一个预览还开着）：换一个端口，如 make serve PORT=$$(( $(PORT) + 1 ))" >&2; exit 1; }
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP)
	$(BIN)/casebook build

offline: $(STAMP)
	CASEBOOK_OFFLINE=true $(BIN)/casebook build --site-dir site-offline

schema: $(STAMP)
	$(BIN)/casebook schema

# The linters first: they take seconds, the tests take minutes. ESLint reads the hand-written
# scripts here; tests/test_scripts.py runs it on the generated ones in a built site.
test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/ruff check scripts tests benchmarks evaluation
	node_modules/.bin/eslint --max-warnings 0 docs/assets/javascripts
	$(BIN)/pytest

# Small mistakes planted in the software, one at a time, that the tests must catch (a few
# minutes; tests/README.md lists them). Not part of `make test`: run it after changing a check.
mutations: $(STAMP)
	$(BIN)/python tests/mutations.py

# Whole-page screenshots of every page type at 390 x 844 and 1366 x 900 (and of the states the
# browser tests open) into build/screenshots/, for a person to look at; the same browser tests run.
screenshots: $(STAMP) browser
	CASEBOOK_SCREENSHOTS=1 $(BIN)/pytest tests/browser

# After an intended change to what the site shows: first what a reader must never see (program
# text, figures not as their sources write them, broken links, a page without one title), then
# rewrite tests/golden/site from the fixture library and list the files that changed, each to be
# read in `git diff tests/golden/site` before committing. A golden file is a diff, not a judge.
GOLDEN_INVARIANTS := program_text or as_its_source_writes_it or one_title or broken_links
golden: $(STAMP)
	$(BIN)/pytest tests/test_site.py -q -n 0 -k "$(GOLDEN_INVARIANTS)"
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_golden_site.py -q -n 0
	@git status --short -- tests/golden/site

# make bench BASELINE=<commit>: the same figures of that commit in the same run, for before/after.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(if $(SIZES),--sizes $(SIZES)) $(if $(BASELINE),--baseline $(BASELINE))

clean:
	rm -rf site site-offline build
