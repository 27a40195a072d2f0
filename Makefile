# Two entry points: `make run` (install, then extract seeds/ into outputs/)
# and `make test` (install with test extras, then run the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test dev lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m pipeline run seeds --out outputs

dev: $(STAMP)
	$(BIN)/python -m pipeline run ../shared/dev/docs --out outputs/dev

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/ruff format --check pipeline tests tools

clean:
	rm -rf $(VENV) outputs/*.csv
