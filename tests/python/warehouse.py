"""Build a copy of the dbt project on DuckDB or PostgreSQL from hand-made raw rows.

Shared by the tests that run the project several times on changing data
(as-of scoring, history, incremental runs): each test gets a project copy,
raw tables it loads and reloads, and a way to query what dbt built.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
from leadscoring import demo_data

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCORING_CONFIG = Path(__file__).resolve().parent / "scoring_config"
# The dbt of the environment running the tests, whatever PATH says.
DBT = str(Path(sys.executable).with_name("dbt"))
# dbt_packages: a package installed by dbt deps may link back to this project (recursion).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "target", "logs", "dbt_packages", "*.duckdb*", "__pycache__"
)
SCHEMA_SUFFIXES = (
    "",
    "_staging",
    "_intermediate",
    "_scoring_config",
    "_snapshots",
    "_dbt_test__audit",
)


class DbtFailed(AssertionError):
    """dbt exited with an error; the message holds the end of its output."""


def copy_project(destination: Path, seeds: Path | None = None) -> Path:
    """Copy the dbt project (without build output) and optionally replace its point tables."""
    shutil.copytree(PROJECT_DIR, destination, ignore=COPY_IGNORE)
    if seeds is not None:
        for csv_file in (destination / "seeds").glob("*.csv"):
            csv_file.unlink()
        for csv_file in seeds.glob("*.csv"):
            shutil.copy(csv_file, destination / "seeds" / csv_file.name)
    return destination


def write_raw_csvs(out_dir: Path, rows: dict[str, list[tuple]]) -> Path:
    """Write the four raw tables as CSV (RAW_TABLES column order; None = empty)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for table, columns in demo_data.RAW_TABLES.items():
        with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([name for name, _ in columns])
            for row in rows.get(table, []):
                assert len(row) == len(columns), (table, row)
                writer.writerow(
                    [v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else v for v in row]
                )
    return out_dir


def number(value: object) -> object:
    """Numbers as floats (DuckDB and PostgreSQL return Decimal), the rest as is."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return value


@dataclass
class Warehouse:
    """One engine with a project copy on it: load raw rows, run dbt, query the result."""

    target: str
    project: Path
    tmp: Path
    env: dict[str, str]
    raw_schema: str
    schema: str
    load: Callable[[Path], None]
    query: Callable[[str], list[tuple]]
    execute: Callable[[str], None]  # a statement that changes data
    runs: list[dict] = field(default_factory=list)
    conninfo: str = ""  # PostgreSQL only: the libpq connection string

    def relation(self, layer: str, name: str) -> str:
        """The relation of a model: layer '' (marts), 'staging', 'intermediate', 'snapshots'."""
        return f"{self.schema}{'_' + layer if layer else ''}.{name}"

    def load_file(self, path: Path, table: str, *options: str) -> str:
        """Load a file into a table of the raw schema with `leadscoring load`; return its output."""
        target = (
            ["--duckdb", self.env["LEAD_SCORING_DUCKDB_PATH"]]
            if self.target == "duckdb"
            else ["--postgres", self.conninfo]
        )
        result = subprocess.run(
            [sys.executable, "-m", "leadscoring", "load", str(path), "--table", table,
             "--schema", self.raw_schema, *options, *target],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def dbt_command(self, *args: str, variables: dict | None = None) -> list[str]:
        """The command line of a dbt run on this warehouse (run it with env self.env)."""
        variables = {"lead_scoring__source_schema": self.raw_schema, **(variables or {})}
        return [
            DBT, *args, "--target", self.target, "--vars", json.dumps(variables),
            "--project-dir", str(self.project), "--profiles-dir", str(self.project),
            "--target-path", str(self.tmp / "target"),
        ]  # fmt: skip

    def dbt(self, *args: str, variables: dict | None = None) -> dict[str, str]:
        """Run dbt; fail with its output on error; return the status of every node by name."""
        target_path = self.tmp / "target"
        command = self.dbt_command(*args, variables=variables)
        result = subprocess.run(
            command,
            cwd=self.project,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise DbtFailed(
                f"dbt {' '.join(args)} on {self.target} failed:\n"
                f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
            )
        run_results = json.loads((target_path / "run_results.json").read_text())
        # dbt build lists the exposures (models/exposures.yml) too, as no-op: they build
        # nothing, so they are left out.
        statuses = {
            node["unique_id"].split(".")[-1]: node["status"]
            for node in run_results["results"]
            if not node["unique_id"].startswith("exposure.")
        }
        self.runs.append(statuses)
        return statuses


def duckdb_warehouse(tmp: Path, seeds: Path | None = SCORING_CONFIG) -> Warehouse:
    """A project copy building into a DuckDB file under tmp."""
    project = copy_project(tmp / "project", seeds=seeds)
    database = tmp / "warehouse.duckdb"

    def load(csv_dir: Path) -> None:
        demo_data.load_duckdb(csv_dir, database, schema="raw")

    def query(sql: str) -> list[tuple]:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute(sql).fetchall()

    def execute(sql: str) -> None:
        with duckdb.connect(str(database)) as con:
            con.execute(sql)

    env = {"LEAD_SCORING_DUCKDB_PATH": str(database)}
    return Warehouse("duckdb", project, tmp, env, "raw", "main", load, query, execute)


def postgres_warehouse(
    tmp: Path, conninfo: str, name: str, seeds: Path | None = SCORING_CONFIG
) -> Warehouse:
    """A project copy building into schemas <name>* of the test PostgreSQL server."""
    project = copy_project(tmp / "project", seeds=seeds)
    raw_schema = f"{name}_raw"
    drop_pg_schemas(conninfo, name, raw_schema)

    def load(csv_dir: Path) -> None:
        demo_data.load_postgres(csv_dir, conninfo, schema=raw_schema)

    def query(sql: str) -> list[tuple]:
        with psycopg2.connect(conninfo) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    def execute(sql: str) -> None:
        con = psycopg2.connect(conninfo)
        try:
            with con, con.cursor() as cur:
                cur.execute(sql)
        finally:
            con.close()

    env = {"LEAD_SCORING_PG_SCHEMA": name}
    return Warehouse(
        "postgres", project, tmp, env, raw_schema, name, load, query, execute, conninfo=conninfo
    )


def drop_pg_schemas(conninfo: str, schema: str, raw_schema: str) -> None:
    """Drop the schemas a build of the project (and its raw data) may have left."""
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        for name in [raw_schema, *(schema + suffix for suffix in SCHEMA_SUFFIXES)]:
            cur.execute(f'drop schema if exists "{name}" cascade')


def warehouses(
    engine: str,
    tmp: Path,
    conninfo: Callable[[], str],
    name: str,
    seeds: Path | None = SCORING_CONFIG,
) -> Iterator[Warehouse]:
    """Yield a warehouse of the engine, and clean up the PostgreSQL schemas afterwards."""
    if engine == "duckdb":
        yield duckdb_warehouse(tmp, seeds=seeds)
        return
    info = conninfo()
    warehouse = postgres_warehouse(tmp, info, name, seeds=seeds)
    yield warehouse
    drop_pg_schemas(info, name, warehouse.raw_schema)
