# Two entry points: `make run` (install, then extract seeds/ into outputs/)
# and `make test` (install with test extras, then run the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test dev lint fuzz clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m pipeline run seeds --out outputs

# A folder of your own articles: `make dev DOCS=my/articles`. The default is the project's
# development articles, kept outside the repository (../shared/dev/docs): a clone lacks them.
DOCS ?= ../shared/dev/docs
dev: $(STAMP)
	@test -d "$(DOCS)" || { echo "make dev: no folder $(DOCS); give yours: make dev DOCS=my/articles" >&2; exit 2; }
	$(BIN)/python -m pipeline run $(DOCS) --out outputs/dev

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Debian's Chromium and ChromeDriver for the report's browser tests (installed once, as root).
browser:
	sh tools/install_browser.sh

# 100,000 generated documents over two processes (about 50 min, 35 documents/s): every distinct
# failure once, with a minimal input written to outputs/fuzz/.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python tools/fuzz.py --examples 100000 --workers 2

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/ruff format --check pipeline tests tools

clean:
	rm -rf $(VENV) outputs/*.csv
