"""Lead scoring on a schedule in Airflow: the two builds of selectors.yml (README, "Scheduling").

- lead_scoring_engagement_refresh: every 30 minutes from 06:00 to 22:30 UTC,
  `dbt build --selector engagement_refresh` (new events in, marts published);
- lead_scoring_nightly: at 02:15 UTC, `dbt source freshness`, then
  `dbt build --selector nightly` (everything, snapshots and unit tests included).

Both tasks take the one slot of the pool `lead_scoring_warehouse` (create it once:
`airflow pools set lead_scoring_warehouse 1 "one dbt build at a time"`), so two
builds never run at once: DuckDB takes one writing process per file, and on any
warehouse two builds would publish over each other. A run that finds the slot
taken waits for it. Copy this file into the DAGs folder and set PROJECT_DIR.
Airflow 2 import path; on Airflow 3 the operator is
airflow.providers.standard.operators.bash.BashOperator.
"""

from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

PROJECT_DIR = "/opt/lead-scoring"  # the clone of this repository, with its .venv (`make venv`)
TARGET = "duckdb"  # or postgres, or the target of your warehouse in profiles.yml
POOL = "lead_scoring_warehouse"
DBT = f"cd {PROJECT_DIR} && DBT_PROFILES_DIR={PROJECT_DIR} .venv/bin/dbt"
START = pendulum.datetime(2026, 1, 1, tz="UTC")

with DAG(
    dag_id="lead_scoring_engagement_refresh",
    schedule="*/30 6-22 * * *",
    start_date=START,
    catchup=False,
    max_active_runs=1,
    tags=["lead_scoring"],
):
    BashOperator(
        task_id="dbt_build_engagement_refresh",
        bash_command=f"{DBT} build --target {TARGET} --selector engagement_refresh",
        pool=POOL,
    )

with DAG(
    dag_id="lead_scoring_nightly",
    schedule="15 2 * * *",
    start_date=START,
    catchup=False,
    max_active_runs=1,
    tags=["lead_scoring"],
):
    freshness = BashOperator(
        task_id="dbt_source_freshness",
        bash_command=f"{DBT} source freshness --target {TARGET}",
        pool=POOL,
    )
    build = BashOperator(
        task_id="dbt_build_nightly",
        bash_command=f"{DBT} build --target {TARGET} --selector nightly",
        pool=POOL,
    )
    freshness >> build
