"""The package installed in a host project (integration_tests/), on DuckDB and PostgreSQL.

integration_tests/ is a dbt project of its own that installs this package
from its local path (packages.yml, dbt deps), as an analytics engineer adds
it to the project they already have. Its names collide with the ones a
lead-scoring package would be tempted to use: its own stg_contacts and
stg_events in the same `staging` schema as the package's staging models, and
its own event_types seed. It supplies every point table itself
(seeds/point_tables/, located by the package's lead_scoring__<table> vars)
and disables the package's demo seeds, so every score below comes from the
host's tables.

Expected scores, by hand from integration_tests/seeds (as of 2026-06-30,
score model crm: total between 0 and 100; no decay):
  h1: vp 20 + engineering 10 + France 5 = fit 35; a demo request 15 and
      three pricing views capped at two (5 + 5) = engagement 25;
      total 60 -> band mql (40+), grade A (20+), level 1 (20+).
  h2: France 5 = fit 5; one pricing view 5; student -30; -20 is raised to
      the floor 0 (adjustment +20) -> cold, C, level 3.
  h3: nothing matches (a blog view; the demo request of 2026-07-05 is
      after the as-of date) -> 0, cold, C, 3.
  h4: director 10 + engineering 10 + Germany 5 = 25; two demo requests
      counted once (max_occurrences 1) 15; total 40 -> mql, A, level 2.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.extensions
import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "integration_tests"
DBT = str(Path(sys.executable).with_name("dbt"))
LEADSCORING = str(Path(sys.executable).with_name("leadscoring"))
SCHEMA_SUFFIXES = ("", "_staging", "_intermediate", "_scoring_config", "_snapshots")

EXPECTED_SCORES = [
    # contact, fit, engagement, negative, adjustment, total, band, grade, level
    ("h1", 35, 25, 0, 0, 60, "mql", "A", "1"),
    ("h2", 5, 5, -30, 20, 0, "cold", "C", "3"),
    ("h3", 0, 0, 0, 0, 0, "cold", "C", "3"),
    ("h4", 25, 15, 0, 0, 40, "mql", "A", "2"),
]


@dataclass
class Host:
    engine: str
    project: Path
    env: dict[str, str]
    schema: str
    query: object
    build_log: str = ""

    def dbt(self, *args: str) -> str:
        result = subprocess.run(
            [DBT, *args, "--target", self.engine, "--no-use-colors"],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"dbt {' '.join(args)} failed on {self.engine}:\n{result.stdout[-6000:]}"
                f"\n{result.stderr[-2000:]}"
            )
        return result.stdout


def copy_host(destination: Path) -> Path:
    """integration_tests/ without build output, installing the package from this checkout."""
    shutil.copytree(
        HOST,
        destination,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", "*.duckdb*", "*.lock*"),
    )
    (destination / "packages.yml").write_text(f"packages:\n  - local: {ROOT}\n")
    (destination / "package-lock.yml").unlink(missing_ok=True)
    return destination


def _drop_schemas(conninfo: str, schema: str) -> None:
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        for suffix in (*SCHEMA_SUFFIXES, "_dbt_test__audit"):
            cur.execute(f'drop schema if exists "{schema}{suffix}" cascade')


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def host(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Host]:
    """The host project, installed (dbt deps), seeded and built on the engine."""
    tmp = tmp_path_factory.mktemp(f"host_{request.param}")
    project = copy_host(tmp / "host")
    env = {**os.environ, "DBT_PROFILES_DIR": str(project)}
    env.pop("LEAD_SCORING_TARGET", None)
    if request.param == "duckdb":
        database = tmp / "host.duckdb"
        env["LEAD_SCORING_IT_DUCKDB_PATH"] = str(database)
        schema = "main"

        def query(sql: str) -> list[tuple]:
            with duckdb.connect(str(database), read_only=True) as con:
                return con.execute(sql).fetchall()

        conninfo = None
    else:
        conninfo = request.getfixturevalue("pg_conninfo")
        dsn = psycopg2.extensions.parse_dsn(conninfo)
        schema = f"pytest_host_{uuid.uuid4().hex[:8]}"
        env.update(
            LEAD_SCORING_PG_HOST=dsn.get("host", "127.0.0.1"),
            LEAD_SCORING_PG_PORT=str(dsn.get("port", "5432")),
            LEAD_SCORING_PG_USER=dsn.get("user", "lead_scoring"),
            LEAD_SCORING_PG_PASSWORD=dsn.get("password", ""),
            LEAD_SCORING_PG_DATABASE=dsn.get("dbname", "lead_scoring"),
            LEAD_SCORING_IT_PG_SCHEMA=schema,
        )

        def query(sql: str) -> list[tuple]:
            with psycopg2.connect(conninfo) as con, con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()

    host = Host(request.param, project, env, schema, query)
    # Every command's output: the first parse (deps, seed) is where dbt warns about
    # the project's configuration.
    host.build_log = host.dbt("deps") + host.dbt("seed") + host.dbt("build")
    yield host
    if conninfo is not None:
        _drop_schemas(conninfo, schema)


def _plain(row: tuple) -> tuple:
    return tuple(int(v) if isinstance(v, Decimal) and v == int(v) else v for v in row)


def test_host_point_tables_give_the_hand_computed_scores(host: Host) -> None:
    rows = host.query(
        "select contact_id, fit_points, engagement_points, negative_points, adjustment_points, "
        "total_score, score_band, fit_grade, engagement_level "
        f"from {host.schema}.lead_scoring__scores where score_model = 'crm' order by contact_id"
    )
    assert [_plain(row) for row in rows] == EXPECTED_SCORES
    # Only the host's score model: none of the package's demo point tables were read.
    assert host.query(f"select distinct score_model from {host.schema}.lead_scoring__scores") == [
        ("crm",)
    ]


def test_host_models_and_package_models_do_not_collide(host: Host) -> None:
    """The host's stg_contacts / stg_events are its own (its columns), beside the
    package's prefixed staging models in the same schema, and the host's mart reads
    the package's mart."""
    staging = f"{host.schema}_staging"
    host_columns = host.query(
        "select table_name, column_name from information_schema.columns "
        f"where table_schema = '{staging}' and table_name in ('stg_contacts', 'stg_events') "
        "order by table_name, ordinal_position"
    )
    assert host_columns == [
        ("stg_contacts", "crm_contact_id"),
        ("stg_contacts", "email_address"),
        ("stg_contacts", "crm_seniority"),
        ("stg_events", "web_event_id"),
        ("stg_events", "crm_contact_id"),
        ("stg_events", "web_event_type"),
    ]
    package_staging = host.query(
        "select table_name from information_schema.tables "
        f"where table_schema = '{staging}' and table_name like 'stg_lead_scoring__%' "
        "order by table_name"
    )
    assert ("stg_lead_scoring__contacts",) in package_staging
    assert ("stg_lead_scoring__event_types",) in package_staging
    # The package staged the host's event_types seed (3 types), not its own demo one.
    assert host.query(
        f"select event_type, is_engagement from {staging}.stg_lead_scoring__event_types "
        "order by event_type"
    ) == [("demo_request", True), ("email_sent", False), ("page_view", True)]
    assert [
        _plain(row)
        for row in host.query(
            f"select crm_contact_id, crm_seniority, total_score, score_band "
            f"from {host.schema}.crm_lead_scores order by 1"
        )
    ] == [
        ("h1", "vp", 60, "mql"),
        ("h2", "student", 0, "cold"),
        ("h3", "manager", 0, "cold"),
        ("h4", "director", 40, "mql"),
    ]


def test_host_build_is_free_of_warnings(host: Host) -> None:
    """No deprecation or other warning in the host's deps, seed and build (the package's
    tests ran too)."""
    warnings = [
        line for line in host.build_log.splitlines() if re.search(r"\[WARNING\]|Warning:", line)
    ]
    assert warnings == []
    done = re.findall(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", host.build_log)
    assert len(done) == 2  # the seed, then the build
    passed, warned, errors, skipped = map(int, done[-1])
    assert (warned, errors, skipped) == (0, 0, 0)
    assert passed > 300  # the package's models, unit tests and data tests all ran


def _validate(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LEADSCORING, "validate", "--project-dir", str(project), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _break_cell(path: Path, rule_id: str, column: str, value: str) -> None:
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == rule_id:
            cells[header.index(column)] = value
            lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_validate_reads_the_host_project(tmp_path: Path) -> None:
    """From the host's directory, validate finds the package (packages.yml, before and after
    dbt deps), resolves the vars as dbt does (the package's defaults declare the attributes
    the host's rules name) and reads the host's own point tables."""
    project = copy_host(tmp_path / "host")
    result = _validate(project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Point tables OK: 7 rules in 5 rule files, 3 bands, 3 fit grades, "
        "3 engagement levels, 1 score models."
    ]


def test_validate_reports_a_broken_host_table_with_file_line_and_fix(tmp_path: Path) -> None:
    project = copy_host(tmp_path / "host")
    _break_cell(
        project / "seeds/point_tables/crm_explicit_rules.csv", "crm_director", "points", "ten"
    )
    result = _validate(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "seeds/point_tables/crm_explicit_rules.csv, line 3 (rule crm_director): points 'ten' is "
        "not a number. Fix: write a plain number such as 10 (digits, an optional sign and "
        "decimal point; no units, spaces or thousands separators)."
    )


def test_validate_takes_vars_from_the_command_line_over_the_host_and_the_package(
    tmp_path: Path,
) -> None:
    """A host rule on an extra attribute is unknown until --vars (or the host's vars)
    declares it; the host's scoped vars win over the package's defaults."""
    project = copy_host(tmp_path / "host")
    rules = project / "seeds/point_tables/crm_explicit_rules.csv"
    rules.write_text(rules.read_text() + "crm_nps,crm,nps,between,,9,10,5,,Promoters\n")
    unknown = _validate(project)
    assert unknown.returncode == 1
    assert "unknown attribute 'nps'" in unknown.stderr
    declared = _validate(
        project, "--vars", "{lead_scoring__extra_contact_attributes: {nps: number}}"
    )
    assert (declared.returncode, declared.stderr) == (0, "")
    assert declared.stdout.startswith("Point tables OK: 8 rules in 5 rule files")


def test_a_broken_host_table_stops_the_build_with_its_row_and_fix(tmp_path: Path) -> None:
    """The package's contract test reads the host's own table: a malformed cell fails it
    with the row and the fix in the build's log, before any model casts it."""
    project = copy_host(tmp_path / "host")
    _break_cell(
        project / "seeds/point_tables/crm_explicit_rules.csv", "crm_director", "points", "ten"
    )
    env = {**os.environ, "DBT_PROFILES_DIR": str(project)}
    env["LEAD_SCORING_IT_DUCKDB_PATH"] = str(tmp_path / "host.duckdb")
    host = Host("duckdb", project, env, "main", None)
    host.dbt("deps")
    host.dbt("seed")
    with pytest.raises(AssertionError) as failed:
        host.dbt("build", "--select", "+stg_lead_scoring__explicit_rules")
    log = str(failed.value)
    assert (
        "point table explicit_rules (var lead_scoring__explicit_rules: "
        '"host"."main_scoring_config"."crm_explicit_rules"), row rule_id crm_director: '
        "points has the wrong shape. Fix: write "
        "a number (e.g. 10 or -2.5). (the cell holds 'ten')"
    ) in log
    assert re.search(
        r"FAIL 1 lead_scoring_point_table_contract_stg_lead_scoring__explicit_rules", log
    )


def test_source_freshness_checks_every_source_with_a_load_timestamp(host: Host) -> None:
    """`dbt source freshness` checks contacts (updated_at) and events (occurred_at, up to
    now) of the host: both are months old, past the default error thresholds (168 hours)."""
    result = subprocess.run(
        [DBT, "source", "freshness", "--target", host.engine, "--no-use-colors"],
        cwd=host.project,
        env=host.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    sources = json.loads((host.project / "target" / "sources.json").read_text())
    found = sorted(
        (r["unique_id"], r["status"], r["max_loaded_at"][:19]) for r in sources["results"]
    )
    assert found == [
        ("source.lead_scoring.raw_contacts.contacts", "error", "2026-04-01T09:00:00"),
        ("source.lead_scoring.raw_events.events", "error", "2026-07-05T10:00:00"),
    ]


def test_a_host_renames_a_mart_by_its_alias(host: Host) -> None:
    """integration_tests sets +alias: crm_scores_wide__shadow on lead_scoring__scores_wide:
    the mart is published as crm_scores_wide (and its shadow is a view of it), and no
    relation keeps the package's name."""
    tables = host.query(
        "select table_name, table_type from information_schema.tables "
        f"where table_schema = '{host.schema}' and table_name like '%scores_wide%' order by 1"
    )
    assert tables == [("crm_scores_wide", "BASE TABLE"), ("crm_scores_wide__shadow", "VIEW")]
    assert [
        _plain(row)
        for row in host.query(
            "select contact_id, crm_total_score, crm_score_band "
            f"from {host.schema}.crm_scores_wide order by 1"
        )
    ] == [("h1", 60, "mql"), ("h2", 0, "cold"), ("h3", 0, "cold"), ("h4", 40, "mql")]
