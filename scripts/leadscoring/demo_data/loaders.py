"""Writing the demo data: the CSV files, and loading them into DuckDB or PostgreSQL."""

from __future__ import annotations

import contextlib
import csv
import random
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from leadscoring.demo_data.catalogue import RAW_TABLES
from leadscoring.demo_data.generator import _Generator

# --------------------------------------------------------------------------- public API

MIN_CONTACTS = 10


def write_demo_csvs(
    out_dir: Path,
    contacts: int = 2000,
    seed: int = 42,
    end_date: date | None = None,
    extra_rows: dict[str, list[tuple]] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write accounts.csv, contacts.csv, events.csv and conversions.csv to out_dir.

    Rows are streamed: each contact's events are written as soon as they are
    drawn, so memory does not grow with the number of events. extra_rows holds
    hand-crafted rows appended to a table, as tuples in RAW_TABLES column order
    (None = NULL, datetimes as datetime). progress, if given, is called about a
    hundred times with (contacts done, event rows written). Returns the row
    count of each table, bad and extra rows included.
    """
    if contacts < MIN_CONTACTS:
        raise ValueError(f"contacts must be at least {MIN_CONTACTS}, got {contacts}")
    end = end_date or datetime.now(timezone.utc).date()
    extra = _checked_extra_rows(extra_rows or {})
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        writers = {
            table: _csv_writer(stack.enter_context(_open_csv(out_dir / f"{table}.csv")), table)
            for table in RAW_TABLES
        }
        generator = _Generator(random.Random(seed), contacts, end, writers)
        generator.generate_accounts()
        generator.generate_contacts(progress)
        for table, rows in extra.items():
            generator.write(table, rows)
    return dict(generator.counts)


def _open_csv(path: Path) -> IO[str]:
    # newline="" lets the csv module control line endings; a large buffer
    # matters at millions of rows.
    return open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)


def _csv_writer(handle: IO[str], table: str) -> Any:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([column for column, _ in RAW_TABLES[table]])
    return writer


def _timestamp_text(value: datetime) -> str:
    """Format a datetime of a hand-crafted row as the CSV expects (UTC, whole seconds)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _checked_extra_rows(extra_rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Validate hand-crafted rows and turn datetimes into the CSV timestamp format."""
    checked: dict[str, list[tuple]] = {}
    for table, rows in extra_rows.items():
        if table not in RAW_TABLES:
            raise ValueError(
                f"extra_rows: unknown table {table!r}, expected one of {list(RAW_TABLES)}"
            )
        width = len(RAW_TABLES[table])
        converted = []
        for row in rows:
            if len(row) != width:
                raise ValueError(
                    f"extra_rows[{table!r}]: {row!r} has {len(row)} values, expected {width}"
                )
            converted.append(
                tuple(_timestamp_text(v) if isinstance(v, datetime) else v for v in row)
            )
        checked[table] = converted
    return checked


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_paths(csv_dir: Path) -> dict[str, Path]:
    """The four CSV files, checked to exist before anything is dropped."""
    paths = {table: Path(csv_dir) / f"{table}.csv" for table in RAW_TABLES}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"missing demo CSV files: {', '.join(missing)}")
    return paths


def load_duckdb(csv_dir: Path, database_path: Path, schema: str = "raw") -> None:
    """Load the four CSVs into a DuckDB file, replacing the tables, in one transaction.

    Tables are created with the RAW_TABLES types and filled by read_csv with
    explicit columns, so nothing is type-sniffed and an empty field is NULL.
    """
    import duckdb

    paths = _csv_paths(csv_dir)
    database_path = Path(database_path)
    database_path.parent.mkdir(parents=True, exist_ok=True)
    quoted_schema = _quote_identifier(schema)
    with duckdb.connect(str(database_path)) as con:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {quoted_schema}")
        for table, columns in RAW_TABLES.items():
            target = f"{quoted_schema}.{_quote_identifier(table)}"
            ddl = ", ".join(f"{_quote_identifier(c)} {t}" for c, t in columns)
            types = ", ".join(f"{_quote_literal(c)}: {_quote_literal(t)}" for c, t in columns)
            con.execute(f"create or replace table {target} ({ddl})")
            con.execute(
                f"insert into {target} select * from read_csv("
                f"{_quote_literal(str(paths[table]))}, header = true, auto_detect = false, "
                f"columns = {{{types}}}, delim = ',', quote = '\"', escape = '\"', "
                "nullstr = '', timestampformat = '%Y-%m-%d %H:%M:%S')"
            )
        con.execute("commit")


def load_postgres(csv_dir: Path, conninfo: str, schema: str = "raw") -> None:
    """Load the four CSVs into PostgreSQL with COPY, replacing the rows, in one transaction.

    A table that already has the expected columns is emptied and refilled, so
    views built on it (dbt's staging models) survive a reload; any other is
    dropped and created again.
    """
    import psycopg2
    from psycopg2 import sql

    paths = _csv_paths(csv_dir)
    connection = psycopg2.connect(conninfo)
    try:
        connection.set_client_encoding("UTF8")
        # The connection context manager commits on success and rolls back on
        # error, so a failed load leaves the previous tables in place.
        with connection, connection.cursor() as cursor:
            cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            for table, columns in RAW_TABLES.items():
                target = sql.Identifier(schema, table)
                ddl = sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns
                )
                names = sql.SQL(", ").join(sql.Identifier(c) for c, _ in columns)
                cursor.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    (schema, table),
                )
                existing = [row[0] for row in cursor.fetchall()]
                if existing == [c for c, _ in columns]:
                    # Emptied, not dropped: the staging views a dbt build
                    # created on the table keep working.
                    cursor.execute(sql.SQL("truncate table {}").format(target))
                else:
                    cursor.execute(sql.SQL("drop table if exists {}").format(target))
                    cursor.execute(sql.SQL("create table {} ({})").format(target, ddl))
                copy = sql.SQL("copy {} ({}) from stdin with (format csv, header true)")
                with open(paths[table], encoding="utf-8") as handle:
                    cursor.copy_expert(copy.format(target, names).as_string(cursor), handle)
    finally:
        connection.close()
