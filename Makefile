# Two entry points: `make serve` (the main job on embedded defaults) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test check bench install clean chromium assets

$(BIN)/python:
	command -v $(PY) >/dev/null 2>&1 || { echo "needs Python 3.11 ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# gunicorn (never Werkzeug's development server); `make serve WORKERS=4` for more worker processes.
WORKERS ?= 1
serve: $(STAMP)
	$(BIN)/thresholds serve --workers $(WORKERS)

test: $(STAMP) chromium
	$(BIN)/ruff check engine service tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports  # the layering contract in pyproject.toml ([tool.importlinter])
	.ci/postgres.sh $(BIN)/pytest  # record tests on SQLite and a throwaway PostgreSQL

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@test -x /usr/bin/chromium || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# Rebuild the committed page assets (service/web/static) from npm: GOV.UK Frontend + Sass.
assets:
	service/web/assets-src/build.sh

bench: $(STAMP)
	$(BIN)/python bench/evaluation.py
	$(BIN)/python bench/variation.py
	$(BIN)/python bench/questions.py
	$(BIN)/python bench/cli.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
