"""Malformed cells in text-typed raw tables are quarantined, not fatal.

CSV and JSON loaders often land every column as text. The raw tables here are
all text, on DuckDB and on PostgreSQL, and hold a few good rows plus one
malformed row per cast column ('about 50' employees, an amount of '12k', an
occurred_at of 'yesterday-ish', a created_at of 'someday' ...). Staging is built
with its seeds and tests; every malformed row must be in its ``_rejected``
model with its exact reason and its raw text, the good rows must be staged
with the right typed values, and raw rows = staged + rejected must hold.

The build runs on a copy of the parts of the project staging needs, so that
files other people are editing elsewhere in the project cannot break it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
import yaml
from leadscoring.contract import seed_file, seed_name

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))

# What staging needs from the project: its models, every macro, the point tables
# it reads (event_types, read by base_lead_scoring__events): their seeds and staging
# models, with their part of the seeds' and the point tables' yml, and the singular
# test that checks that no raw row is lost. Intermediate and mart models and the
# other point tables are not copied: dbt parses less, and files being edited there
# cannot break this test.
COPIED = [
    "dbt_project.yml",
    "profiles.yml",
    "macros",
    "models/docs.md",
    "models/staging",
    "tests/lead_scoring__assert_raw_rows_are_staged_or_rejected.sql",
]
# The point tables staging reads (their seeds and staging models are copied).
STAGING_SEEDS = ["event_types"]

COLUMNS = {
    "accounts": [
        "account_id", "account_name", "domain", "industry", "employee_count",
        "annual_revenue", "country", "created_at", "updated_at",
    ],
    "contacts": [
        "contact_id", "email", "first_name", "last_name", "phone", "job_title", "seniority",
        "department", "country", "region", "lead_source", "account_id", "created_at",
        "updated_at",
    ],
    "events": [
        "event_id", "contact_id", "event_type", "occurred_at", "page_url", "campaign",
        "channel", "properties",
    ],
    "conversions": ["conversion_id", "contact_id", "converted_at", "outcome", "amount"],
}  # fmt: skip

GOOD_ACCOUNT = {
    "account_name": "Good Co", "employee_count": "250", "annual_revenue": "1250000.50",
    "created_at": "2025-01-15", "updated_at": "2025-03-01 08:30:00",
}  # fmt: skip
GOOD_CONTACT = {
    "email": "ann@good-co.com", "created_at": "2025-01-10 09:00:00",
    "updated_at": "2025-02-01 12:00:00",
}  # fmt: skip
GOOD_EVENT = {"contact_id": "c_good", "event_type": "page_view", "occurred_at": "2025-02-03"}
GOOD_CONVERSION = {
    "contact_id": "c_good", "converted_at": "2025-03-01 00:00:00", "outcome": "won",
    "amount": "1200.50",
}  # fmt: skip

# Every cell is text. Cells a row does not name are null.
RAW_ROWS = {
    "accounts": [
        {**GOOD_ACCOUNT, "account_id": "a_good", "employee_count": " 250 ",
         "updated_at": "2025-03-01T10:30:00+02:00"},
        {**GOOD_ACCOUNT, "account_id": "a_empty", "employee_count": "", "annual_revenue": "",
         "updated_at": ""},
        {**GOOD_ACCOUNT, "account_id": "a_bad_employees", "employee_count": "about 50"},
        {**GOOD_ACCOUNT, "account_id": "a_half_employee", "employee_count": "42.5"},
        {**GOOD_ACCOUNT, "account_id": "a_bad_revenue", "annual_revenue": "12k"},
        {**GOOD_ACCOUNT, "account_id": "a_bad_created", "created_at": "someday"},
        {**GOOD_ACCOUNT, "account_id": "a_bad_updated", "updated_at": "2026-02-30"},
        # Two versions: the newer one has a malformed timestamp, so the older one is staged.
        {**GOOD_ACCOUNT, "account_id": "a_versions", "employee_count": "10",
         "updated_at": "2025-01-01"},
        {**GOOD_ACCOUNT, "account_id": "a_versions", "employee_count": "11",
         "updated_at": "2025-06-31"},
    ],
    "contacts": [
        {**GOOD_CONTACT, "contact_id": "c_good", "account_id": "a_good"},
        {**GOOD_CONTACT, "contact_id": "c_no_update", "updated_at": ""},
        {**GOOD_CONTACT, "contact_id": "c_bad_created", "created_at": "someday"},
        {**GOOD_CONTACT, "contact_id": "c_bad_updated", "updated_at": "last week"},
    ],
    "events": [
        {**GOOD_EVENT, "event_id": "e_good", "occurred_at": "2025-02-03 14:05:06.123456",
         "page_url": "https://www.example.com/Pricing?plan=team"},
        {**GOOD_EVENT, "event_id": "e_date_only"},
        {**GOOD_EVENT, "event_id": "e_bad", "occurred_at": "yesterday-ish"},
        {**GOOD_EVENT, "event_id": "e_empty", "occurred_at": ""},
        # A re-delivered event whose first copy is malformed: the good copy is kept.
        {**GOOD_EVENT, "event_id": "e_redelivered", "occurred_at": "garbage"},
        {**GOOD_EVENT, "event_id": "e_redelivered", "occurred_at": "2025-02-05T10:00:00Z"},
    ],
    "conversions": [
        {**GOOD_CONVERSION, "conversion_id": "v_good"},
        {**GOOD_CONVERSION, "conversion_id": "v_no_amount", "amount": ""},
        {**GOOD_CONVERSION, "conversion_id": "v_bad_amount", "amount": "12k"},
        {**GOOD_CONVERSION, "conversion_id": "v_bad_converted", "converted_at": "tomorrow"},
    ],
}  # fmt: skip

# (table, id, raw column, raw text, rejection_reason) of every quarantined row.
EXPECTED_REJECTIONS = [
    ("accounts", "a_bad_created", "created_at", "someday", "invalid created_at: not a timestamp"),
    # A date that matches the pattern but does not exist.
    ("accounts", "a_bad_updated", "updated_at", "2026-02-30",
     "invalid updated_at: not a timestamp"),
    ("accounts", "a_versions", "updated_at", "2025-06-31", "invalid updated_at: not a timestamp"),
    ("contacts", "c_bad_created", "created_at", "someday", "invalid created_at: not a timestamp"),
    ("contacts", "c_bad_updated", "updated_at", "last week", "invalid updated_at: not a timestamp"),
    ("events", "e_bad", "occurred_at", "yesterday-ish", "invalid occurred_at: not a timestamp"),
    ("events", "e_empty", "occurred_at", "", "missing occurred_at"),
    ("events", "e_redelivered", "occurred_at", "garbage",
     "duplicate event_id: the first row of this event is kept"),
    ("conversions", "v_bad_amount", "amount", "12k", "invalid amount: not a number"),
    ("conversions", "v_bad_converted", "converted_at", "tomorrow",
     "invalid converted_at: not a timestamp"),
]  # fmt: skip

KEYS = {
    "accounts": "account_id",
    "contacts": "contact_id",
    "events": "event_id",
    "conversions": "conversion_id",
}

# The staged rows, typed: (table, columns, rows ordered by the key).
EXPECTED_STAGED = [
    ("accounts", "account_id, employee_count, annual_revenue, created_at, updated_at", [
        # A number that cannot be read is null; the account is kept
        # (stg_lead_scoring__attribute_issues).
        ("a_bad_employees", None, Decimal("1250000.5"), datetime(2025, 1, 15),
         datetime(2025, 3, 1, 8, 30)),
        ("a_bad_revenue", 250, None, datetime(2025, 1, 15), datetime(2025, 3, 1, 8, 30)),
        ("a_empty", None, None, datetime(2025, 1, 15), None),
        # '+02:00' is converted to UTC.
        ("a_good", 250, Decimal("1250000.5"), datetime(2025, 1, 15), datetime(2025, 3, 1, 8, 30)),
        ("a_half_employee", None, Decimal("1250000.5"), datetime(2025, 1, 15),
         datetime(2025, 3, 1, 8, 30)),
        ("a_versions", 10, Decimal("1250000.5"), datetime(2025, 1, 15), datetime(2025, 1, 1)),
    ]),
    ("contacts", "contact_id, created_at, updated_at", [
        ("c_good", datetime(2025, 1, 10, 9), datetime(2025, 2, 1, 12)),
        ("c_no_update", datetime(2025, 1, 10, 9), None),
    ]),
    ("events", "event_id, occurred_at, page_path", [
        ("e_date_only", datetime(2025, 2, 3), None),
        ("e_good", datetime(2025, 2, 3, 14, 5, 6, 123456), "/pricing"),
        ("e_redelivered", datetime(2025, 2, 5, 10), None),
    ]),
    ("conversions", "conversion_id, converted_at, amount", [
        ("v_good", datetime(2025, 3, 1), Decimal("1200.5")),
        ("v_no_amount", datetime(2025, 3, 1), None),
    ]),
]  # fmt: skip


@dataclass
class Build:
    """A finished staging build: how to query it and the status of every node."""

    target: str
    query: Callable[[str], list[tuple]]
    staging_schema: str
    results: dict[str, str]


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The parts of the project that staging needs, copied."""
    copy = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source, destination = PROJECT_DIR / name, copy / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            shutil.copy2(source, destination)
    (copy / "seeds").mkdir()
    for table in STAGING_SEEDS:
        shutil.copy2(PROJECT_DIR / "seeds" / seed_file(table), copy / "seeds" / seed_file(table))
    seeds = {seed_name(table) for table in STAGING_SEEDS}
    properties = yaml.safe_load((PROJECT_DIR / "seeds" / "_seeds.yml").read_text())
    properties["seeds"] = [s for s in properties["seeds"] if s["name"] in seeds]
    (copy / "seeds" / "_seeds.yml").write_text(yaml.safe_dump(properties, sort_keys=False))
    # The staging models of the other point tables read seeds that are not copied.
    point_tables = copy / "models" / "staging" / "point_tables"
    models = {"stg_" + seed_name(table) for table in STAGING_SEEDS}
    for path in point_tables.glob("*.sql"):
        if path.stem not in models:
            path.unlink()
    for path in point_tables.glob("*.yml"):
        properties = yaml.safe_load(path.read_text())
        properties["models"] = [m for m in properties.get("models", []) if m["name"] in models]
        path.write_text(yaml.safe_dump(properties, sort_keys=False))
    return copy


def _build(
    project: Path, target: str, env: dict[str, str], raw_schema: str, tmp: Path
) -> dict[str, str]:
    """dbt build of staging, what it reads and its tests; fail with dbt's output if it fails."""
    command = [
        DBT, "build",
        "--select", "+staging",
        "--indirect-selection", "cautious",
        "--threads", "4",
        "--target", target,
        "--vars", json.dumps({"lead_scoring__source_schema": raw_schema}),
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(tmp / "target"),
    ]  # fmt: skip
    result = subprocess.run(
        command,
        cwd=project,
        env={**os.environ, "DBT_LOG_PATH": str(tmp / "logs"), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"dbt build on {target} failed:\n{result.stdout[-6000:]}\n{result.stderr}")
    run_results = json.loads((tmp / "target" / "run_results.json").read_text())
    # unique ids are <type>.<project>.<name>[.<hash>]: keep the names. dbt build lists the
    # exposures too, as no-op: they build nothing.
    return {
        node["unique_id"].split(".")[2]: node["status"]
        for node in run_results["results"]
        if not node["unique_id"].startswith("exposure.")
    }


def _raw_statements(schema: str, placeholder: str) -> Iterator[tuple[str, list[tuple]]]:
    """create table statements (every column text) and inserts of RAW_ROWS."""
    for table, columns in COLUMNS.items():
        definitions = ", ".join(f"{column} varchar" for column in columns)
        yield f'create table "{schema}".{table} ({definitions})', []
        placeholders = ", ".join([placeholder] * len(columns))
        rows = [tuple(row.get(column) for column in columns) for row in RAW_ROWS[table]]
        yield f'insert into "{schema}".{table} values ({placeholders})', rows


def _drop_pg_schemas(conninfo: str, schema: str, raw_schema: str) -> None:
    suffixes = ["", "_staging", "_scoring_config", "_dbt_test__audit"]
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        for name in [raw_schema, *(schema + s for s in suffixes)]:
            cur.execute(f'drop schema if exists "{name}" cascade')


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def build(
    request: pytest.FixtureRequest, project_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Build]:
    """Staging built on raw tables of text, on DuckDB, then on PostgreSQL."""
    tmp = tmp_path_factory.mktemp(f"quarantine_{request.param}")
    raw_schema = "raw"
    if request.param == "duckdb":
        database = tmp / "quarantine.duckdb"
        with duckdb.connect(str(database)) as con:
            con.execute(f"create schema {raw_schema}")
            for statement, rows in _raw_statements(raw_schema, "?"):
                if rows:
                    con.executemany(statement, rows)
                else:
                    con.execute(statement)
        results = _build(
            project_copy, "duckdb", {"LEAD_SCORING_DUCKDB_PATH": str(database)}, raw_schema, tmp
        )

        def query(sql: str) -> list[tuple]:
            with duckdb.connect(str(database), read_only=True) as con:
                return con.execute(sql).fetchall()

        yield Build("duckdb", query, "main_staging", results)
        return

    conninfo = request.getfixturevalue("pg_conninfo")
    schema = "pytest_quarantine"
    raw_schema = "pytest_quarantine_raw"
    _drop_pg_schemas(conninfo, schema, raw_schema)
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        cur.execute(f'create schema "{raw_schema}"')
        for statement, rows in _raw_statements(raw_schema, "%s"):
            if rows:
                cur.executemany(statement, rows)
            else:
                cur.execute(statement)
    results = _build(project_copy, "postgres", {"LEAD_SCORING_PG_SCHEMA": schema}, raw_schema, tmp)

    def query(sql: str) -> list[tuple]:
        with psycopg2.connect(conninfo) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    yield Build("postgres", query, f"{schema}_staging", results)
    _drop_pg_schemas(conninfo, schema, raw_schema)


def test_build_passed_with_nothing_lost(build: Build) -> None:
    """Every node passed, including raw rows = staged + rejected and the reason tests."""
    assert build.results.get("lead_scoring__assert_raw_rows_are_staged_or_rejected") == "pass"
    for table in KEYS:
        assert (
            build.results.get(f"not_null_stg_lead_scoring__{table}_rejected_rejection_reason")
            == "pass"
        )
    assert set(build.results.values()) <= {"pass", "success"}


@pytest.mark.parametrize("table", list(KEYS))
def test_exactly_the_malformed_rows_are_rejected(build: Build, table: str) -> None:
    """Each rejected row is an expected one, with its exact reason, and none is missing."""
    rows = build.query(
        f"select {KEYS[table]}, rejection_reason "
        f"from {build.staging_schema}.stg_lead_scoring__{table}_rejected"
    )
    expected = [(key, reason) for name, key, _, _, reason in EXPECTED_REJECTIONS if name == table]
    assert sorted(rows) == sorted(expected)


@pytest.mark.parametrize(
    ("table", "key", "column", "raw_text", "reason"),
    EXPECTED_REJECTIONS,
    ids=[f"{key}:{column}" for _, key, column, _, _ in EXPECTED_REJECTIONS],
)
def test_rejected_rows_keep_the_raw_text(
    build: Build, table: str, key: str, column: str, raw_text: str, reason: str
) -> None:
    """The malformed cell is kept as it came, next to its reason; its typed column is null."""
    rows = build.query(
        f"select {column}_raw, {column} "
        f"from {build.staging_schema}.stg_lead_scoring__{table}_rejected "
        f"where {KEYS[table]} = '{key}' and rejection_reason = '{reason}'"
    )
    assert rows == [(raw_text, None)]


@pytest.mark.parametrize(("table", "columns", "expected"), EXPECTED_STAGED)
def test_good_rows_are_staged_with_typed_values(
    build: Build, table: str, columns: str, expected: list[tuple]
) -> None:
    rows = build.query(
        f"select {columns} from {build.staging_schema}.stg_lead_scoring__{table} "
        f"order by {KEYS[table]}"
    )
    assert rows == expected


def test_unreadable_numbers_are_listed_and_the_accounts_kept(build: Build) -> None:
    """A number that cannot be read is null in its column, listed with its reason."""
    rows = build.query(
        "select source_table, record_id, attribute, raw_value, reason "
        f"from {build.staging_schema}.stg_lead_scoring__attribute_issues "
        "order by record_id, attribute"
    )
    assert rows == [
        ("accounts", "a_bad_employees", "employee_count", "about 50", "not a whole number"),
        ("accounts", "a_bad_revenue", "annual_revenue", "12k", "not a number"),
        ("accounts", "a_half_employee", "employee_count", "42.5", "not a whole number"),
    ]
