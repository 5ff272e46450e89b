"""The ``leadscoring generate`` subcommand."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path

from leadscoring.demo_data.loaders import MIN_CONTACTS, load_duckdb, load_postgres, write_demo_csvs

# --------------------------------------------------------------------------- CLI

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _positive_contacts(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < MIN_CONTACTS:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_CONTACTS}, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _schema_name(text: str) -> str:
    if not _IDENTIFIER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a plain schema name (letters, digits, underscores)"
        )
    return text


@contextlib.contextmanager
def _csv_directory(given: str | None) -> Iterator[Path]:
    """The directory asked for, or a temporary one removed afterwards."""
    if given is not None:
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="leadscoring-demo-") as tmp:
        yield Path(tmp)


def _progress_printer(contacts: int) -> Callable[[int, int], None] | None:
    """Progress lines on stderr every 10% for runs big enough to wait for."""
    if contacts < 50_000:
        return None
    started = time.monotonic()
    step = max(1, contacts // 10)
    next_report = [step]

    def report(done: int, events: int) -> None:
        if done >= next_report[0] or done == contacts:
            next_report[0] = done + step
            seconds = time.monotonic() - started
            print(
                f"generate: {done:,} of {contacts:,} contacts, {events:,} events, {seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    return report


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not (args.csv_dir or args.duckdb or args.postgres):
        parser.error("say where the data goes: --csv-dir, --duckdb and/or --postgres")
    if args.csv_dir and Path(args.csv_dir).exists() and not Path(args.csv_dir).is_dir():
        parser.error(f"--csv-dir {args.csv_dir} exists and is not a directory")
    end = args.end_date or datetime.now(timezone.utc).date()
    step = "write the CSV files"
    try:
        with _csv_directory(args.csv_dir) as csv_dir:
            progress = _progress_printer(args.contacts)
            counts = write_demo_csvs(csv_dir, args.contacts, args.seed, end, progress=progress)
            for table, count in counts.items():
                print(f"{table}: {count:,} rows")
            if args.csv_dir:
                print(f"CSV files in {csv_dir}")
            if args.duckdb:
                step = "load into DuckDB"
                load_duckdb(csv_dir, Path(args.duckdb), args.schema)
                print(f"loaded into DuckDB {args.duckdb}, schema {args.schema}")
            if args.postgres:
                step = "load into PostgreSQL"
                load_postgres(csv_dir, args.postgres, args.schema)
                print(f"loaded into PostgreSQL, schema {args.schema}")
    except _expected_errors() as error:
        print(f"error: could not {step}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    return 0


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean the environment is wrong (a path, a server), not a bug: no traceback."""
    errors: tuple[type[BaseException], ...] = (OSError,)
    with contextlib.suppress(ImportError):
        import duckdb

        errors += (duckdb.Error,)
    with contextlib.suppress(ImportError):
        import psycopg2

        errors += (psycopg2.Error,)
    return errors


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``generate`` subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="generate the demo data set and load it into DuckDB or PostgreSQL",
        description=(
            "Generate a deterministic B2B demo data set (accounts, contacts, events, "
            "conversions of Acme Cloud's leads, with some deliberately bad rows) as CSV, "
            "and load it into DuckDB and/or PostgreSQL. See docs/demo_data.md."
        ),
    )
    parser.add_argument(
        "--contacts",
        type=_positive_contacts,
        default=2000,
        metavar="N",
        help="how many contacts (default: %(default)s; about 52 events each)",
    )
    parser.add_argument(
        "--seed", type=_seed, default=42, metavar="S", help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--end-date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the data covers the year before 00:00 UTC of this day (default: today, UTC)",
    )
    parser.add_argument(
        "--csv-dir",
        metavar="DIR",
        help="keep the CSV files in DIR (default: a temporary directory, removed afterwards)",
    )
    parser.add_argument("--duckdb", metavar="PATH", help="load into this DuckDB file")
    parser.add_argument(
        "--postgres",
        metavar="CONNINFO",
        help="load into PostgreSQL, e.g. 'host=127.0.0.1 dbname=lead_scoring user=lead_scoring'",
    )
    parser.add_argument(
        "--schema",
        type=_schema_name,
        default="raw",
        help="schema of the raw tables (default: %(default)s)",
    )
    parser.set_defaults(handler=lambda args: _run(args, parser))
