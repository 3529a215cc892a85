# Two commands do everything: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED ?= 2024
SCALE ?= 1
# Empty: the latest date in the intervention and verification data (see README). The demo passes its own date.
REPORT_DATE ?=
DEMO_REPORT_DATE := 2024-11-06
# Metadata JupyterLab adds from the running kernel, stripped like outputs (also in .pre-commit-config.yaml).
NBSTRIPOUT_KEYS := --extra-keys "metadata.language_info"

.PHONY: setup demo data pipeline reports forms test test-fast lint lab system-deps clean-data benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[test,spark]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (jombang)"
	touch $(STAMP)

setup: $(STAMP)

## Demo data at full scale, the whole pipeline, all reports and the verification forms, as of the demo's date.
demo: setup data
	$(MAKE) pipeline forms REPORT_DATE=$(DEMO_REPORT_DATE)

data: setup
	$(BIN)/python -m helpers demo --seed $(SEED) --scale $(SCALE) --out data/raw

pipeline: setup
	$(BIN)/python -m helpers pipeline -p report_date "$(REPORT_DATE)"

reports: setup
	$(BIN)/python -m helpers reports -p report_date "$(REPORT_DATE)"

forms: setup
	$(BIN)/python -m helpers forms -p report_date "$(REPORT_DATE)"

## System packages for the browser, spreadsheet and Spark tests (Debian chromium, LibreOffice, Java).
system-deps:
	bash scripts/install_system_deps.sh

test: setup system-deps lint
	$(BIN)/python -m pytest

## ruff, notebooks without outputs and in sync with their .py (the pre-commit checks, on every file).
## Fails on a notebook with outputs, with JupyterLab's language_info, or whose .py pair differs (helpers.lab).
lint: setup
	$(BIN)/ruff check src tests notebooks
	$(BIN)/nbstripout --verify --keep-id $(NBSTRIPOUT_KEYS) notebooks/*.ipynb
	$(BIN)/python -m helpers.lab notebooks

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

## JupyterLab on notebooks/ (pairs each notebook with its .py on save: notebooks/jupytext.toml); the server
## config saves notebooks with the metadata they have in git (helpers.lab.pre_save).
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks --config=jupyter_server_config.py

benchmark: setup
	$(BIN)/python -m helpers benchmark

clean-data:
	find data/raw data/processed reports -mindepth 1 ! -name README.md ! -name .gitkeep -delete
