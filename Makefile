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
export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__EXECUTOR := LocalExecutor
export AIRFLOW__CORE__PARALLELISM := 4
export GX_ANALYTICS_ENABLED := false
export NEWSEVENTS_DATA_ROOT ?= $(CURDIR)/data
export NEWSEVENTS_LANDING ?= $(CURDIR)/landing

.PHONY: help setup airflow-init run test eval bench clean

help:
	@echo "make run    set up from uv.lock, run the DAG on the seed article, publish into data/"
	@echo "make test   set up from uv.lock and run the whole test suite"
	@echo "make eval   score the pipeline on the dev benchmarks in ../shared/benchmarks"
	@echo "make bench  throughput of newsevents run against plain nlp.pipe (BENCH_SIZES=1000,10000)"
	@echo "make clean  remove the Airflow home, data/, landing/ (not the environment)"

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced

$(AIRFLOW_HOME)/airflow.db: | $(VENV)/.synced
	$(BIN)/airflow db migrate > $(AIRFLOW_HOME).migrate.log 2>&1 || (cat $(AIRFLOW_HOME).migrate.log; exit 1)

airflow-init: setup $(AIRFLOW_HOME)/airflow.db

run: airflow-init
	@mkdir -p $(NEWSEVENTS_LANDING)
	cp seeds/articles/*.txt $(NEWSEVENTS_LANDING)/
	$(BIN)/airflow dags test curated_events
	@echo
	$(BIN)/newsevents show --output $(NEWSEVENTS_DATA_ROOT)

test: setup
	$(BIN)/pytest

eval: setup
	$(BIN)/python benchmarks/eval.py

BENCH_SIZES ?= 1000,10000
bench: setup
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES)

clean:
	rm -rf $(AIRFLOW_HOME) $(AIRFLOW_HOME).migrate.log data landing
