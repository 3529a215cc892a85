# Two commands do everything: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED ?= 2024
SCALE ?= 1
REPORT_DATE ?= 2024-11-06

.PHONY: setup demo data pipeline reports forms test test-fast lint lab system-deps clean-data benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[test,spark]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (jombang)"
	touch $(STAMP)

setup: $(STAMP)

## Demo data at full scale, the whole pipeline, all reports and the verification forms.
demo: setup data pipeline forms

data: setup
	$(BIN)/python -m helpers demo --seed $(SEED) --scale $(SCALE) --out data/raw

pipeline: setup
	$(BIN)/python -m helpers pipeline -p report_date $(REPORT_DATE)

reports: setup
	$(BIN)/python -m helpers reports -p report_date $(REPORT_DATE)

forms: setup
	$(BIN)/python -m helpers forms -p report_date $(REPORT_DATE)

## System packages for the browser, spreadsheet and Spark tests (Debian chromium, LibreOffice, Java).
system-deps:
	bash scripts/install_system_deps.sh

test: setup system-deps lint
	$(BIN)/python -m pytest

## ruff, notebooks without outputs and in sync with their .py (the pre-commit checks, on every file).
lint: setup
	$(BIN)/ruff check src tests notebooks
	$(BIN)/nbstripout --verify --keep-id notebooks/*.ipynb

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks

benchmark: setup
	$(BIN)/python -m helpers benchmark

clean-data:
	find data/raw data/processed reports -mindepth 1 ! -name README.md ! -name .gitkeep -delete
