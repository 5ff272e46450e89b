"""Build the whole project on DuckDB and on PostgreSQL and check the scores.

A small generated data set plus the hand-crafted rows of ``crafted.py`` is
loaded, ``dbt build`` runs (seeds, models, unit tests, data tests and singular
tests: any failure fails the build), and the marts are compared with values
computed by hand.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
from leadscoring import demo_data

from tests.python import crafted

PROJECT_DIR = Path(__file__).resolve().parents[2]
GENERATED_CONTACTS = 80
GENERATED_SEED = 11


@dataclass
class Build:
    """A finished dbt build: where its marts are and how to query them."""

    target: str
    query: Callable[[str], list[tuple]]
    marts_schema: str
    staging_schema: str
    build_log: str
    results: dict[str, str]


def _dbt(args: list[str], env: dict[str, str], target_path: Path) -> subprocess.CompletedProcess:
    """Run dbt in the project with our profiles and a target path of its own."""
    command = [
        "dbt",
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target_path),
    ]
    return subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _build(
    target: str, env: dict[str, str], raw_schema: str, tmp: Path
) -> tuple[str, dict[str, str]]:
    """dbt build with the test vars; fail the test with dbt's output if it fails.

    Returns dbt's output and the status of every node by its name, read from
    run_results.json (unit tests are named ``<model>::<test>``).
    """
    variables = {"lead_scoring__as_of": crafted.AS_OF, "lead_scoring__source_schema": raw_schema}
    result = _dbt(
        ["build", "--target", target, "--vars", json.dumps(variables)], env, tmp / "target"
    )
    if result.returncode != 0:
        pytest.fail(f"dbt build on {target} failed:\n{result.stdout[-6000:]}\n{result.stderr}")
    run_results = json.loads((tmp / "target" / "run_results.json").read_text())
    statuses = {node["unique_id"].split(".")[-1]: node["status"] for node in run_results["results"]}
    return result.stdout, statuses


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated data set with the crafted rows appended, as CSV files."""
    out = tmp_path_factory.mktemp("demo_csv")
    from datetime import date

    demo_data.write_demo_csvs(
        out,
        contacts=GENERATED_CONTACTS,
        seed=GENERATED_SEED,
        end_date=date.fromisoformat(crafted.END_DATE),
        extra_rows=crafted.EXTRA_ROWS,
    )
    return out


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def build(
    request: pytest.FixtureRequest, csv_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Build]:
    """The project built on one engine (DuckDB, then PostgreSQL)."""
    tmp = tmp_path_factory.mktemp(f"build_{request.param}")
    if request.param == "duckdb":
        database = tmp / "test.duckdb"
        demo_data.load_duckdb(csv_dir, database, schema="raw")
        log, results = _build("duckdb", {"LEAD_SCORING_DUCKDB_PATH": str(database)}, "raw", tmp)

        def query(sql: str) -> list[tuple]:
            with duckdb.connect(str(database), read_only=True) as con:
                return con.execute(sql).fetchall()

        yield Build("duckdb", query, "main", "main_staging", log, results)
        return

    conninfo = request.getfixturevalue("pg_conninfo")
    schema = "pytest_lead_scoring"
    raw_schema = "pytest_raw"
    _drop_pg_schemas(conninfo, schema, raw_schema)
    demo_data.load_postgres(csv_dir, conninfo, schema=raw_schema)
    log, results = _build("postgres", {"LEAD_SCORING_PG_SCHEMA": schema}, raw_schema, tmp)

    def query(sql: str) -> list[tuple]:
        with psycopg2.connect(conninfo) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    yield Build("postgres", query, schema, f"{schema}_staging", log, results)
    _drop_pg_schemas(conninfo, schema, raw_schema)


def _drop_pg_schemas(conninfo: str, schema: str, raw_schema: str) -> None:
    """Drop the schemas a previous run may have left."""
    suffixes = ["", "_staging", "_intermediate", "_scoring_config", "_dbt_test__audit"]
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        for name in [raw_schema, *(schema + s for s in suffixes)]:
            cur.execute(f'drop schema if exists "{name}" cascade')


def _as_number(value: object) -> float:
    return float(value) if isinstance(value, Decimal) else value


def test_build_ran_unit_and_singular_tests(build: Build) -> None:
    """The build ran the unit tests and the singular tests, and all passed."""
    for name in [
        "attribute_rules_every_operator",
        "attribute_rules_match_quotes_and_sql_literally",
        "event_rules_caps_patterns_and_as_of",
        "lead_scores_band_boundaries",
        "assert_details_sum_to_totals",
        "assert_raw_rows_are_staged_or_rejected",
        "assert_bands_match_thresholds",
    ]:
        assert build.results.get(name) == "pass", f"{name} did not pass on {build.target}"
    assert set(build.results.values()) <= {"pass", "success"}


def test_crafted_contacts_score_as_computed_by_hand(build: Build) -> None:
    """Fit, engagement, negative points, total, band and rules fired match the hand sums."""
    ids = ", ".join(f"'{contact_id}'" for contact_id in crafted.EXPECTED_SCORES)
    rows = build.query(
        f"select contact_id, fit_points, engagement_points, negative_points, total_score, "
        f"score_band, rules_fired, cast(as_of as varchar) from {build.marts_schema}.lead_scores "
        f"where score_model = 'default' and contact_id in ({ids}) order by contact_id"
    )
    actual = {
        r[0]: (_as_number(r[1]), _as_number(r[2]), _as_number(r[3]), _as_number(r[4]), r[5], r[6])
        for r in rows
    }
    assert actual == crafted.EXPECTED_SCORES
    assert {r[7][:19] for r in rows} == {crafted.AS_OF}


def test_crafted_details_explain_every_point(build: Build) -> None:
    """The details rows of two crafted contacts, rule by rule."""
    for contact_id, expected in crafted.EXPECTED_DETAILS.items():
        rows = build.query(
            f"select rule_id, occurrences_matched, occurrences_counted, points "
            f"from {build.marts_schema}.lead_score_details "
            f"where contact_id = '{contact_id}' order by rule_id"
        )
        assert [(r[0], r[1], r[2], _as_number(r[3])) for r in rows] == expected


def test_contact_created_after_as_of_is_not_scored(build: Build) -> None:
    rows = build.query(
        f"select count(*) from {build.marts_schema}.lead_scores where contact_id = 't_future'"
    )
    assert rows == [(0,)]


def test_bad_rows_are_quarantined_with_their_reason(build: Build) -> None:
    """Each crafted bad row is in its rejected model once, with the expected reason."""
    keys = {"events": "event_id", "contacts": "contact_id"}
    for table, key, reason in crafted.EXPECTED_REJECTIONS:
        rows = build.query(
            f"select rejection_reason from {build.staging_schema}.stg_{table}_rejected "
            f"where {keys[table]} = '{key}'"
        )
        assert rows == [(reason,)], (table, key)


def test_one_score_per_staged_contact(build: Build) -> None:
    """lead_scores holds one row per valid contact existing at the as-of timestamp."""
    expected = build.query(
        f"select count(*) from {build.staging_schema}.stg_contacts "
        f"where created_at <= cast('{crafted.AS_OF}' as timestamp)"
    )
    actual = build.query(f"select count(*) from {build.marts_schema}.lead_scores")
    assert actual == expected
    assert actual[0][0] > GENERATED_CONTACTS * 0.5


def test_every_band_follows_the_thresholds(build: Build) -> None:
    """Bands recomputed in Python from seeds/score_bands.csv agree with every row."""
    with (PROJECT_DIR / "seeds" / "score_bands.csv").open(newline="") as handle:
        thresholds = sorted(
            (float(row["min_score"]), row["band"])
            for row in csv.DictReader(handle)
            if row["score_model"] == "default"
        )

    def band_of(score: float) -> str:
        band = thresholds[0][1]
        for minimum, name in thresholds:
            if score >= minimum:
                band = name
        return band

    rows = build.query(f"select total_score, score_band from {build.marts_schema}.lead_scores")
    wrong = [(float(score), band) for score, band in rows if band_of(float(score)) != band]
    assert rows and wrong == []


def test_details_sum_to_totals_for_every_contact(build: Build) -> None:
    rows = build.query(
        f"""
        select s.contact_id, s.total_score, coalesce(sum(d.points), 0)
        from {build.marts_schema}.lead_scores as s
        left join {build.marts_schema}.lead_score_details as d
            on s.contact_id = d.contact_id and s.score_model = d.score_model
        group by s.contact_id, s.total_score
        having s.total_score <> coalesce(sum(d.points), 0)
        """
    )
    assert rows == []
