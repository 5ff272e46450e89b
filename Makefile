# Two commands: `make demo` and `make test`. Everything they need is installed
# into a project-local virtual environment (.venv) on first use. `make
# test-spark` builds on Apache Spark too, from its own environment (.venv-spark).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PATH := $(CURDIR)/$(BIN):$(PATH)

# The PostgreSQL server `make postgres` starts; the Python tests build there too.
LEAD_SCORING_PG_HOST ?= 127.0.0.1
LEAD_SCORING_PG_PORT ?= 5432
LEAD_SCORING_PG_USER ?= lead_scoring
LEAD_SCORING_PG_PASSWORD ?= lead_scoring
LEAD_SCORING_PG_DATABASE ?= lead_scoring
export LEAD_SCORING_PG_HOST LEAD_SCORING_PG_PORT LEAD_SCORING_PG_USER LEAD_SCORING_PG_PASSWORD LEAD_SCORING_PG_DATABASE
export LEAD_SCORING_TEST_PG_CONNINFO ?= host=$(LEAD_SCORING_PG_HOST) port=$(LEAD_SCORING_PG_PORT) dbname=$(LEAD_SCORING_PG_DATABASE) user=$(LEAD_SCORING_PG_USER) password=$(LEAD_SCORING_PG_PASSWORD)

DEMO_DB ?= lead_scoring.duckdb
DEMO_CONTACTS ?= 2000
DEMO_SEED ?= 42

.PHONY: help venv demo test test-spark lint validate postgres chromium pytest clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@echo "==> installing the toolchain into $(VENV) (first run only)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

venv: $(STAMP)  ## create .venv with dbt, sqlfluff, ruff and pytest

validate: $(STAMP)  ## check the point tables (seeds) before a build
	leadscoring validate

demo: $(STAMP)  ## demo data -> dbt build -> lead_scoring.duckdb, and the top leads
	leadscoring validate
	@echo "==> generating demo data ($(DEMO_CONTACTS) contacts) into $(DEMO_DB)"
	rm -f $(DEMO_DB)
	leadscoring generate --contacts $(DEMO_CONTACTS) --seed $(DEMO_SEED) --duckdb $(DEMO_DB)
	@echo "==> dbt build on DuckDB"
	LEAD_SCORING_DUCKDB_PATH=$(DEMO_DB) dbt build --target duckdb --quiet
	leadscoring top --duckdb $(DEMO_DB)
	@echo "==> how well the demo's point table ranks its conversions (leadscoring calibrate)"
	LEAD_SCORING_DUCKDB_PATH=$(DEMO_DB) leadscoring calibrate --target duckdb --out target/calibration
	leadscoring calibration-report --calibration target/calibration

lint: $(STAMP)  ## ruff and sqlfluff
	ruff check scripts tests docs/examples
	ruff format --check scripts tests docs/examples
	@# Linted against an empty DuckDB file: what is rendered must not depend on
	@# what a build left in the demo database (incremental branches, fingerprints).
	@mkdir -p target && rm -f target/lint.duckdb
	LEAD_SCORING_DUCKDB_PATH=target/lint.duckdb sqlfluff lint models tests

postgres:  ## make sure a local PostgreSQL server runs, with the test role and database
	bash .ci/postgres.sh

# Two workers (the machine has two cores): the tests of one module stay
# together on one worker (--dist loadfile), as they share a module's
# warehouse fixtures and PostgreSQL schemas; different modules use different
# schemas and files. PYTEST_WORKERS=0 runs them all in this process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS := -n $(PYTEST_WORKERS) --dist loadfile --durations=15

chromium:  ## make sure headless Chromium is installed (browser test of the HTML report)
	bash .ci/chromium.sh

pytest: $(STAMP) postgres chromium  ## the Python tests, which build the project on DuckDB and PostgreSQL
	pytest $(PYTEST_ARGS)

test: $(STAMP) postgres chromium  ## every check: validation, lint, dbt builds on DuckDB and PostgreSQL, pytest
	leadscoring validate
	$(MAKE) --no-print-directory lint
	pytest $(PYTEST_ARGS)

# Apache Spark (dbt-spark's session method, Apache Iceberg tables): .ci/spark.sh
# installs it into .venv-spark (PyPI and the JDK only); the test builds the
# crafted test configuration on Spark and compares it with DuckDB
# (tests/spark/test_spark_build.py, about 10 minutes). Not part of `make test`.
test-spark:  ## build the project on Apache Spark and compare the scores with DuckDB
	bash .ci/spark.sh
	@echo "==> Spark: dbt seed, snapshot and build, compared with DuckDB (tests/spark)"
	@start=$$(date +%s); rc=0; \
	.venv-spark/bin/python -m pytest -p no:cacheprovider -v -s --durations=5 tests/spark || rc=$$?; \
	echo "==> Spark test wall time: $$(( $$(date +%s) - start ))s"; \
	exit $$rc

clean:  ## remove build output (keeps .venv)
	rm -rf target logs dbt_packages .pytest_cache $(DEMO_DB)
