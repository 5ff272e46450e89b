"""Build the project on Apache Spark (dbt-spark, session method) and compare with DuckDB.

The crafted test configuration of tests/python/test_end_to_end.py (the same
generated contacts plus crafted.EXTRA_ROWS, the point tables of
tests/python/scoring_config/) is loaded into a local Spark warehouse (Apache
Iceberg tables in a Derby metastore, under a temporary directory) and built
with dbt seed, snapshot and build on the profile's `spark` target. The crafted
contacts must score the hand-computed values, and every row of
lead_scoring__scores (and of lead_scoring__score_details) must equal a DuckDB
build of the same inputs.

Not collected by `make test` (testpaths is tests/python): `make test-spark`
installs Spark (.ci/spark.sh, into .venv-spark) and runs this module there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from leadscoring import demo_data

from tests.python import crafted
from tests.python.test_end_to_end import GENERATED_CONTACTS, SCORE_COLUMNS, write_raw_data
from tests.python.warehouse import PROJECT_DIR, SCORING_CONFIG, copy_project

DBT = str(Path(sys.executable).with_name("dbt"))
# One dbt command longer than this is taken to hang (the whole Spark build takes ~10 minutes).
DBT_TIMEOUT_SECONDS = 40 * 60
SPARK_SCHEMA = "lead_scoring"
RAW_SCHEMA = "raw"
VARIABLES = {"lead_scoring__as_of": crafted.AS_OF, "lead_scoring__source_schema": RAW_SCHEMA}
SCORES = f"select contact_id, score_model, {SCORE_COLUMNS} from {{schema}}.lead_scoring__scores"
DETAILS = (
    "select contact_id, score_model, rule_id, occurrences_matched, occurrences_counted, "
    "base_points, decayed_points, capped_by, points from {schema}.lead_scoring__score_details"
)


def _spark_jars() -> str:
    """The Iceberg jars: LEAD_SCORING_SPARK_JARS, or the list .ci/spark.sh wrote."""
    jars = os.environ.get("LEAD_SCORING_SPARK_JARS", "").strip()
    listed = PROJECT_DIR / ".venv-spark" / "spark-jars"
    if not jars and listed.exists():
        jars = listed.read_text().strip()
    if not jars:
        pytest.fail(
            "No Iceberg jars: run `bash .ci/spark.sh` (or `make test-spark`), or set "
            "LEAD_SCORING_SPARK_JARS.",
            pytrace=False,
        )
    return jars


def _rows(rows: list) -> list[tuple]:
    """Rows sorted, numbers as floats: DuckDB's decimals and Spark's (dumped as floats) alike."""
    plain = [
        tuple(
            float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
            for v in r
        )
        for r in rows
    ]
    return sorted(plain, key=lambda r: tuple((v is None, str(v)) for v in r))


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw data of tests/python/test_end_to_end.py, as CSV files."""
    return write_raw_data(tmp_path_factory.mktemp("raw_csv"))


def _dbt(project: Path, target_path: Path, env: dict[str, str], *args: str) -> dict[str, str]:
    """One dbt command on a project copy; fail with its output; the status of every node."""
    command = [
        DBT, *args, "--vars", json.dumps(VARIABLES),
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(target_path),
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=project,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=DBT_TIMEOUT_SECONDS,
    )
    print(f"dbt {' '.join(args)}: {time.monotonic() - started:.0f}s", flush=True)
    if result.returncode != 0:
        output = f"{result.stdout[-8000:]}\n{result.stderr[-3000:]}"
        pytest.fail(f"dbt {' '.join(args)} failed:\n{output}")
    run_results = json.loads((target_path / "run_results.json").read_text())
    return {node["unique_id"]: node["status"] for node in run_results["results"]}


@dataclass
class Marts:
    scores: list[tuple]
    details: list[tuple]
    statuses: dict[str, str]


@pytest.fixture(scope="module")
def duckdb_marts(csv_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Marts:
    """The same inputs built on DuckDB."""
    tmp = tmp_path_factory.mktemp("duckdb")
    project = copy_project(tmp / "project", seeds=SCORING_CONFIG)
    database = tmp / "test.duckdb"
    demo_data.load_duckdb(csv_dir, database, schema=RAW_SCHEMA)
    env = {"LEAD_SCORING_DUCKDB_PATH": str(database)}
    statuses = _dbt(project, tmp / "target", env, "build", "--target", "duckdb")
    with duckdb.connect(str(database), read_only=True) as con:
        scores = con.execute(SCORES.format(schema="main")).fetchall()
        details = con.execute(DETAILS.format(schema="main")).fetchall()
    return Marts(_rows(scores), _rows(details), statuses)


@pytest.fixture(scope="module")
def spark_marts(csv_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Marts]:
    """The inputs loaded into a fresh Spark warehouse, then dbt seed, snapshot and build."""
    tmp = tmp_path_factory.mktemp("spark")
    project = copy_project(tmp / "project", seeds=SCORING_CONFIG)
    env = {
        "LEAD_SCORING_SPARK_DIR": str(tmp / "spark"),
        "LEAD_SCORING_SPARK_JARS": _spark_jars(),
        "LEAD_SCORING_SPARK_SCHEMA": SPARK_SCHEMA,
        "LEAD_SCORING_TARGET": "spark",
    }
    (tmp / "spark" / "derby").mkdir(parents=True)
    helper = [sys.executable, "-m", "tests.spark.spark_session"]
    child_env = {**os.environ, **env, "PYTHONPATH": str(PROJECT_DIR)}

    started = time.monotonic()
    subprocess.run(
        [*helper, "load", str(csv_dir), RAW_SCHEMA],
        env=child_env, cwd=PROJECT_DIR, check=True, timeout=DBT_TIMEOUT_SECONDS,
    )  # fmt: skip
    print(f"load raw tables into Spark: {time.monotonic() - started:.0f}s", flush=True)

    target = tmp / "target"
    statuses: dict[str, str] = {}
    statuses |= _dbt(project, target, env, "seed", "--target", "spark")
    # dbt snapshot reads staging views: build them (and what they read) first.
    statuses |= _dbt(
        project, target, env, "run", "--target", "spark",
        "--select", "+lead_scoring__contacts_snapshot", "+lead_scoring__accounts_snapshot",
    )  # fmt: skip
    statuses |= _dbt(project, target, env, "snapshot", "--target", "spark")
    statuses |= _dbt(project, target, env, "build", "--target", "spark")

    out = tmp / "marts.json"
    subprocess.run(
        [*helper, "dump", str(out), SCORES.format(schema=SPARK_SCHEMA),
         DETAILS.format(schema=SPARK_SCHEMA)],
        env=child_env, cwd=PROJECT_DIR, check=True, timeout=DBT_TIMEOUT_SECONDS,
    )  # fmt: skip
    scores, details = json.loads(out.read_text())
    yield Marts(_rows(scores), _rows(details), statuses)


def test_spark_build_passes_every_node(spark_marts: Marts) -> None:
    """Seeds, snapshots, models, unit tests, data tests and singular tests all pass on Spark."""
    statuses = spark_marts.statuses
    # dbt build lists the exposures (models/exposures.yml) as nodes that do nothing.
    assert {k: v for k, v in statuses.items() if k.startswith("exposure.")} == {
        "exposure.lead_scoring.crm_threshold_webhook": "no-op",
        "exposure.lead_scoring.lead_scoring_dashboard": "no-op",
    }
    failed = {
        k: v
        for k, v in statuses.items()
        if not k.startswith("exposure.") and v not in {"pass", "success"}
    }
    assert not failed
    assert sum(k.startswith("unit_test.") for k in spark_marts.statuses) >= 20


def test_crafted_contacts_score_as_computed_by_hand(spark_marts: Marts) -> None:
    """The hand-computed scores of tests/python/crafted.py, on Spark."""
    crafted_keys = crafted.EXPECTED_SCORES.keys()
    actual = {(r[0], r[1]): r[2:] for r in spark_marts.scores if (r[0], r[1]) in crafted_keys}
    expected = {key: _rows([values])[0] for key, values in crafted.EXPECTED_SCORES.items()}
    assert actual == expected


def test_every_score_equals_duckdb(spark_marts: Marts, duckdb_marts: Marts) -> None:
    """Every row of lead_scoring__scores, and of lead_scoring__score_details, equals DuckDB's."""
    assert len(spark_marts.scores) > GENERATED_CONTACTS * 0.5
    assert spark_marts.scores == duckdb_marts.scores
    assert spark_marts.details == duckdb_marts.details
