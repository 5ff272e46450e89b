"""``leadscoring export``: scored leads to CSV, Parquet or JSON Lines.

The rows are read from the published mart through the user's dbt profile
(:mod:`leadscoring.warehouse`: any adapter dbt has, DuckDB and PostgreSQL with
their own streaming clients), in batches, and written as they arrive: memory
stays flat whatever the number of rows. The file is written beside its final
name and renamed at the end, so a failed export never leaves a half file under
that name.

Selections (all of them query parameters, never SQL text):

- ``--score-model NAME``: that score model's rows;
- ``--band NAME``: that band and above (hotter): a band's rank is its place in
  ``lead_scoring__score_bands.csv`` by ``min_score`` (1 = the lowest), per score
  model, and a row is kept when its ``score_band_rank`` is at least the rank of
  the band named (case-insensitively) for its score model;
- ``--changed-since TIMESTAMP``: contacts (and score models) whose recorded
  state changed after that moment, by ``lead_scoring__score_history`` (see
  :data:`CHANGED_SINCE_HELP`).

The README ("Exporting the scores") describes the formats and the benchmark.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from leadscoring.warehouse import (
    Column,
    Connection,
    DbtSettings,
    Relation,
    WarehouseError,
    add_dbt_arguments,
    connect,
    locate_models,
    settings_from_args,
)

PREFIX = "lead_scoring__"
#: The marts an export may read, by their short name.
MARTS = (
    "scores",
    "score_details",
    "scores_wide",
    "score_history",
    "score_transitions",
    "score_predictions",
    "sla_monthly",
    "bias_check",
    "bias_rules",
)
DEFAULT_MART = PREFIX + "scores"
FORMATS = ("csv", "parquet", "jsonl")
EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
              ".ndjson": "jsonl"}  # fmt: skip
# The models the selections read besides the mart itself.
SCORES = PREFIX + "scores"
HISTORY = PREFIX + "score_history"
THRESHOLDS = "int_lead_scoring__score_thresholds_ranked"
DEFAULT_BATCH_ROWS = 20_000
# DuckDB keeps every block a query reads in its buffer pool until the memory limit
# (the profile's: 4GB here) forces it out, so a scan of a large mart grows the
# process by the mart's size. An export of a mart, or of a score model of it, reads
# each block once: a small limit keeps its memory flat (measured: a scan of 1M and
# of 10M rows peaks at 177 and 181 MiB with 32MB, 192 and 275 MiB with 128MB).
# A selection by band or change joins other models, and a join needs working
# memory (a semi-join over 10M rows runs out at 32MB and not at 128MB): those get
# the larger limit.
EXPORT_DUCKDB_MEMORY_LIMIT = "32MB"
SELECTION_DUCKDB_MEMORY_LIMIT = "128MB"
# A history row is a change when one of these differs from its previous_ twin (or the
# score model began or stopped applying): the columns lead_scoring__score_history compares.
STATE_COLUMNS = ("total_score", "fit_score", "engagement_score", "score_band", "fit_grade",
                 "engagement_level")  # fmt: skip

CHANGED_SINCE_HELP = (
    "only contacts whose score changed after this moment (UTC; 'YYYY-MM-DD' or "
    "'YYYY-MM-DD HH:MM[:SS]', or ISO 8601 with an offset): those (with their score model) "
    "with a row in lead_scoring__score_history for a day that ends (its as_of, 00:00 UTC of "
    "the next day) after the moment, a row that is a change: the total, fit or engagement "
    "score, band, grade or level differs from the day before, or the score model began or "
    "stopped applying (the starting rows of the first day the history records, equal to the "
    "day before, are not changes). Changes are known by day: a change on the day holding the "
    "moment counts, so the time of the last export misses nothing (that day may come again); "
    "changes of the current, incomplete day come with the next build after it ends"
)


class ExportError(Exception):
    """A problem the user can fix (a band, a column, a timestamp); printed plainly."""


# --------------------------------------------------------------------------- selection


@dataclass
class Selection:
    """Which rows and columns of the mart to export."""

    score_model: str | None = None
    band: str | None = None
    changed_since: datetime | None = None
    columns: list[str] | None = None


def parse_timestamp(text: str) -> datetime:
    """A --changed-since value as a naive UTC datetime (an offset is converted to UTC)."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ExportError(
            f"--changed-since {text!r} is not a timestamp. Fix: write it as YYYY-MM-DD or "
            "'YYYY-MM-DD HH:MM:SS' (UTC), or with an offset such as 2026-06-30T09:00:00+02:00"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def mart_model(name: str) -> str:
    """The model name of a mart given as `scores` or `lead_scoring__scores`."""
    short = name.removeprefix(PREFIX)
    if short not in MARTS:
        raise ExportError(
            f"--mart {name!r} is not an exportable mart. Fix: use one of "
            + ", ".join(MARTS)
            + f" (with or without the prefix {PREFIX})"
        )
    return PREFIX + short


def _pick_columns(wanted: Sequence[str], available: Sequence[str], mart: str) -> list[str]:
    picked = []
    by_lower = {name.lower(): name for name in available}
    for name in wanted:
        if name in available:
            picked.append(name)
        elif name.lower() in by_lower:
            picked.append(by_lower[name.lower()])
        else:
            raise ExportError(
                f"--columns: {mart} has no column {name!r}. Fix: use some of "
                + ", ".join(available)
            )
    return picked


@dataclass
class Query:
    """The export's SQL, its parameters, and the columns it returns."""

    sql: str
    params: list[Any]
    columns: list[str]


class Planner:
    """Turns a mart and a selection into SQL for one connection (names quoted, values bound)."""

    def __init__(self, con: Connection, relations: dict[str, Relation], mart: str):
        self.con = con
        self.relations = relations
        self.mart = mart

    def table(self, model: str) -> str:
        return self.con.relation(self.relations[model])

    def columns_of(self, model: str) -> list[str]:
        """A relation's columns; a clear error when it is not in the warehouse."""
        relation = self.relations[model]
        try:
            columns, batches = self.con.stream(f"select * from {self.table(model)} where 1 = 0")
            for _ in batches:
                pass
        except WarehouseError:
            raise
        except Exception as error:  # the driver's "does not exist", whatever the driver
            with contextlib.suppress(Exception):
                self.con.rollback()
            name = ".".join(
                p for p in (relation.database, relation.schema, relation.identifier) if p
            )
            raise ExportError(
                f"{model} is not in the warehouse yet ({name}: {_first_line(error)}). Fix: run "
                "`dbt build` with this target first (a complete build publishes the marts)"
            ) from error
        return columns

    def bands(self) -> list[tuple[str, str, int]]:
        """Every (score model, band, rank) defined, from the thresholds model."""
        self.columns_of(THRESHOLDS)
        return [
            (str(model), str(band), int(rank))
            for model, band, rank in self.con.query(
                "select score_model, threshold_name, threshold_rank "
                f"from {self.table(THRESHOLDS)} where threshold_kind = ? "
                "order by score_model, threshold_rank",
                ["band"],
            )
        ]

    def plan(self, selection: Selection) -> Query:
        """The query of the export, after checking the selection against the warehouse."""
        q = self.con.quote
        available = self.columns_of(self.mart)
        columns = (
            _pick_columns(selection.columns, available, self.mart)
            if selection.columns
            else list(available)
        )
        has = set(available).__contains__
        where: list[str] = []
        params: list[Any] = []

        if selection.score_model is not None:
            if not has("score_model"):
                raise ExportError(
                    f"--score-model: {self.mart} has no score_model column. Fix: export "
                    f"{SCORES} (or a mart with score_model), or use --columns to pick a score "
                    "model's columns"
                )
            where.append(f"m.{q('score_model')} = ?")
            params.append(selection.score_model)

        if selection.band is not None:
            sql, band_params = self._band(selection.band, has)
            where.append(sql)
            params += band_params

        if selection.changed_since is not None:
            if not has("contact_id"):
                raise ExportError(
                    f"--changed-since: {self.mart} has no contact_id column. Fix: export a "
                    "mart of contacts (scores, score_details, scores_wide, ...)"
                )
            self.columns_of(HISTORY)
            same_model = (
                f" and h.{q('score_model')} = m.{q('score_model')}" if has("score_model") else ""
            )
            unchanged = " and ".join(
                [f"h.{q('is_scored')}"]
                + [
                    f"h.{q(name)} is not distinct from h.{q('previous_' + name)}"
                    for name in STATE_COLUMNS
                ]
            )
            where.append(
                f"exists (select 1 from {self.table(HISTORY)} as h "
                f"where h.{q('contact_id')} = m.{q('contact_id')}{same_model} "
                f"and h.{q('as_of')} > ? and not coalesce({unchanged}, false))"
            )
            params.append(selection.changed_since)

        select = ", ".join(f"m.{q(name)}" for name in columns)
        sql = f"select {select} from {self.table(self.mart)} as m"
        if where:
            sql += " where " + " and ".join(where)
        return Query(sql, params, columns)

    def _band(self, band: str, has: Callable[[str], bool]) -> tuple[str, list[Any]]:
        q = self.con.quote
        bands = self.bands()
        if not any(name.lower() == band.lower() for _, name, _ in bands):
            names = list(dict.fromkeys(name for _, name, _ in bands))
            raise ExportError(
                f"--band {band!r} is not a band of any score model. Fix: use one of "
                + ", ".join(names)
                + " (lowest to highest; the band and the hotter ones are exported)"
            )
        ranks = (
            f"(select b.{q('threshold_rank')} from {self.table(THRESHOLDS)} as b "
            f"where b.{q('threshold_kind')} = ? and b.{q('score_model')} = {{model}} "
            f"and lower(b.{q('threshold_name')}) = lower(?))"
        )
        if has("score_band_rank") and has("score_model"):
            rank = ranks.format(model=f"m.{q('score_model')}")
            return f"m.{q('score_band_rank')} >= {rank}", ["band", band]
        if not has("contact_id"):
            raise ExportError(
                f"--band: {self.mart} has neither score_band_rank nor contact_id. Fix: export "
                f"{SCORES} or a mart of contacts"
            )
        # Other marts of contacts: by the contact's current band in lead_scoring__scores.
        self.columns_of(SCORES)
        same_model = (
            f" and s.{q('score_model')} = m.{q('score_model')}" if has("score_model") else ""
        )
        rank = ranks.format(model=f"s.{q('score_model')}")
        return (
            f"exists (select 1 from {self.table(SCORES)} as s "
            f"where s.{q('contact_id')} = m.{q('contact_id')}{same_model} "
            f"and s.{q('score_band_rank')} >= {rank})",
            ["band", band],
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# --------------------------------------------------------------------------- writers


def csv_value(value: Any) -> Any:
    """A value as CSV text: None empty, decimals in plain notation, times in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")  # 0E-6 would be str()'s rendering of 0.000000
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time_of_day):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def json_value(value: Any) -> str:
    """A value as JSON text: decimals as exact numbers, dates and times as ISO strings."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else "null"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, datetime | date | time_of_day):
        return '"' + value.isoformat() + '"'
    if isinstance(value, bytes):
        return json.dumps(value.hex())
    return json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)


class CsvWriter:
    """CSV with a header row (RFC 4180 quoting, \\n line ends)."""

    binary = False

    def __init__(self, handle: IO[str], columns: list[Column]):
        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow([column.name for column in columns])

    def write(self, rows: list[tuple]) -> None:
        self.writer.writerows([[csv_value(value) for value in row] for row in rows])

    def close(self) -> None:
        pass


class JsonLinesWriter:
    """One JSON object per row, keys in column order."""

    binary = False

    def __init__(self, handle: IO[str], columns: list[Column]):
        self.handle = handle
        self.keys = [json.dumps(column.name, ensure_ascii=False) + ": " for column in columns]

    def write(self, rows: list[tuple]) -> None:
        keys = self.keys
        self.handle.write(
            "".join(
                "{" + ", ".join(k + json_value(v) for k, v in zip(keys, row, strict=True)) + "}\n"
                for row in rows
            )
        )

    def close(self) -> None:
        pass


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:  # pragma: no cover - pyarrow is a dependency of the package
        raise ExportError(
            "--format parquet needs pyarrow. Fix: pip install pyarrow (or use csv or jsonl)"
        ) from None
    return pyarrow


def arrow_type(column: Column, values: Iterable[Any]) -> Any:
    """The Arrow type of a column: from the warehouse's type, else from its first value.

    A column whose type the driver does not give and whose first batch holds
    only None is written as text (every later value as its text).
    """
    pa = _pyarrow()
    name = column.type_name
    if name == "DECIMAL" and column.precision and column.scale is not None:
        if column.precision <= 38:
            return pa.decimal128(column.precision, column.scale)
        return pa.decimal256(min(column.precision, 76), column.scale)
    simple = {
        "VARCHAR": pa.string(), "TEXT": pa.string(), "BOOLEAN": pa.bool_(),
        "TINYINT": pa.int8(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(),
        "BIGINT": pa.int64(), "FLOAT": pa.float32(), "DOUBLE": pa.float64(),
        "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
        "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
    }  # fmt: skip
    if name in simple:
        return simple[name]
    sample = [value for value in values if value is not None]
    if not sample:
        return pa.string()
    first = sample[0]
    if isinstance(first, bool):
        return pa.bool_()
    if isinstance(first, int):
        return pa.int64()
    if isinstance(first, float):
        return pa.float64()
    if isinstance(first, Decimal):
        # An unconstrained numeric: the largest scale of the first batch (a later value
        # with more decimals is an error, never rounded).
        scale = max(max(-d.as_tuple().exponent, 0) for d in sample if d.is_finite())
        return pa.decimal128(38, min(scale, 37))
    if isinstance(first, datetime):
        return pa.timestamp("us", tz="UTC") if first.tzinfo else pa.timestamp("us")
    if isinstance(first, date):
        return pa.date32()
    if isinstance(first, bytes):
        return pa.binary()
    return pa.string()


class ParquetWriter:
    """Parquet through pyarrow: one row group per batch, the schema fixed by the first batch."""

    binary = True

    def __init__(self, handle: IO[bytes], columns: list[Column]):
        self.handle = handle
        self.columns = columns
        self.writer: Any = None
        self.schema: Any = None

    def _open(self, rows: list[tuple]) -> None:
        pa = _pyarrow()
        fields = [
            pa.field(column.name, arrow_type(column, (row[i] for row in rows)))
            for i, column in enumerate(self.columns)
        ]
        self.schema = pa.schema(fields)
        self.writer = pa.parquet.ParquetWriter(self.handle, self.schema, compression="zstd")

    def write(self, rows: list[tuple]) -> None:
        pa = _pyarrow()
        if self.writer is None:
            self._open(rows)
        arrays = []
        for i, arrow_field in enumerate(self.schema):
            values = [row[i] for row in rows]
            if pa.types.is_string(arrow_field.type):
                values = [v if v is None or isinstance(v, str) else str(v) for v in values]
            try:
                arrays.append(pa.array(values, type=arrow_field.type))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
                raise ExportError(
                    f"column {arrow_field.name}: a value does not fit its Parquet type "
                    f"{arrow_field.type} ({_first_line(error)}). Fix: cast the column in the "
                    "warehouse, or export it as csv or jsonl"
                ) from error
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def close(self) -> None:
        if self.writer is None:  # no rows: an empty file with the schema the warehouse gives
            self._open([])
        self.writer.close()


WRITERS = {"csv": CsvWriter, "jsonl": JsonLinesWriter, "parquet": ParquetWriter}


# --------------------------------------------------------------------------- progress


class Progress:
    """A one-line progress bar on stderr: rows done of the total, share, rate."""

    def __init__(self, total: int | None, stream: IO[str], every_s: float = 0.2):
        self.total = total
        self.stream = stream
        self.every_s = every_s
        self.started = time.perf_counter()
        self.shown = 0.0
        self.done = 0

    def update(self, rows: int) -> None:
        """Count rows written; redraw at most every `every_s` seconds."""
        self.done += rows
        now = time.perf_counter()
        if now - self.shown >= self.every_s:
            self.shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-9)
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            line = (
                f"[{bar:<30}] {self.done:,} / {self.total:,} rows ({share:4.0%}) {rate:,.0f} rows/s"
            )
        else:
            line = f"{self.done:,} rows {rate:,.0f} rows/s"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        self._draw(time.perf_counter())
        self.stream.write("\n")
        self.stream.flush()


# --------------------------------------------------------------------------- export


@dataclass
class ExportResult:
    """What an export wrote."""

    rows: int
    path: str
    seconds: float
    columns: list[str] = field(default_factory=list)


def format_of(out: str, given: str | None) -> str:
    """The format: --format, else from the output file's extension."""
    if given:
        return given
    if out == "-":
        raise ExportError("--out - (stdout) needs --format csv or --format jsonl")
    suffix = Path(out).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ExportError(
            f"cannot tell the format of {out} from its extension. Fix: give --format "
            f"{'|'.join(FORMATS)}, or name the file .csv, .parquet or .jsonl"
        )
    return EXTENSIONS[suffix]


@contextlib.contextmanager
def _output(out: str, binary: bool) -> Iterator[IO[Any]]:
    """The file to write: a temporary file beside `out`, renamed to it on success."""
    if out == "-":
        if binary:
            raise ExportError("Parquet cannot be written to stdout. Fix: give --out FILE")
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(out)
    if not target.parent.is_dir():
        raise ExportError(f"the folder {target.parent} does not exist. Fix: create it first")
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp's 0600 is not what a new file gets
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def run_export(
    settings: DbtSettings,
    out: str,
    *,
    mart: str = DEFAULT_MART,
    file_format: str | None = None,
    selection: Selection | None = None,
    progress: bool = False,
    generic: bool = False,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    progress_stream: IO[str] | None = None,
) -> ExportResult:
    """Export a mart (a selection of it) to `out`; return the rows written."""
    selection = selection or Selection()
    file_format = format_of(out, file_format)
    model = mart_model(mart)
    started = time.perf_counter()
    needed = [model]
    if selection.band is not None:
        needed += [THRESHOLDS, SCORES]
    if selection.changed_since is not None:
        needed.append(HISTORY)
    relations = locate_models(settings, list(dict.fromkeys(needed)))
    joins = selection.band is not None or selection.changed_since is not None
    limit = SELECTION_DUCKDB_MEMORY_LIMIT if joins else EXPORT_DUCKDB_MEMORY_LIMIT
    duckdb_settings = {"memory_limit": limit}
    with connect(settings, read_only=True, generic=generic, duckdb_settings=duckdb_settings) as con:
        query = Planner(con, relations, model).plan(selection)
        bar = None
        if progress:
            total = con.query(f"select count(*) from ({query.sql}) as selected", query.params)
            bar = Progress(int(total[0][0]), progress_stream or sys.stderr)
        writer_class = WRITERS[file_format]
        rows = 0
        with _output(out, writer_class.binary) as handle:
            columns, batches = con.stream_columns(query.sql, query.params, batch_rows)
            writer = writer_class(handle, columns)
            for batch in batches:
                writer.write(batch)
                rows += len(batch)
                if bar:
                    bar.update(len(batch))
            writer.close()
        if bar:
            bar.close()
    return ExportResult(rows, out, time.perf_counter() - started, query.columns)


# --------------------------------------------------------------------------- command line


def _columns_argument(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give column names separated by commas")
    return names


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the export subcommand."""
    parser = subparsers.add_parser(
        "export",
        help="write scored leads (all, or a selection) to CSV, Parquet or JSON Lines",
        description=(
            "Write a published mart (default lead_scoring__scores), or a selection of its rows, "
            "to a CSV, Parquet or JSON Lines file, from the warehouse of a dbt target (read "
            "through your dbt profile). Rows stream in batches: memory stays flat whatever "
            "the number of rows. The file is written beside its name and renamed at the end: "
            "a failed export leaves no half file. Rows come in the warehouse's order. CSV: a "
            "header row, empty for null, decimals exactly as the warehouse holds them "
            "(71.500000), timestamps 'YYYY-MM-DD HH:MM:SS' (UTC), booleans true/false. JSON "
            "Lines: one object per row, decimals as exact JSON numbers, dates and timestamps "
            "as ISO 8601 strings. Parquet: the warehouse's column types (decimal(28,6), "
            "timestamp ...), one row group per batch, zstd."
        ),
    )
    add_dbt_arguments(parser)
    parser.add_argument(
        "--mart", default=DEFAULT_MART,
        help=f"the mart to export: {', '.join(MARTS)} (with or without the prefix {PREFIX}; "
        "default: scores). Where a host project renamed it, the export finds it (dbt ls)",
    )  # fmt: skip
    parser.add_argument(
        "--out", required=True, metavar="PATH",
        help="the file to write (replaced if it exists); - writes csv or jsonl to stdout",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default=None, dest="file_format",
        help="csv, parquet or jsonl (default: from --out's extension: .csv, .parquet or .pq, "
        ".jsonl or .ndjson)",
    )  # fmt: skip
    parser.add_argument(
        "--score-model", default=None, metavar="NAME",
        help="only this score model's rows (the mart's score_model column)",
    )  # fmt: skip
    parser.add_argument(
        "--band", default=None, metavar="NAME",
        help="only this band and the hotter ones (case-insensitive; e.g. MQL: MQL and SQL): "
        "a band's rank is its place by min_score in lead_scoring__score_bands.csv, per score "
        "model; rows with score_band_rank at or above it are kept (marts without "
        "score_band_rank: contacts whose current band in lead_scoring__scores is)",
    )  # fmt: skip
    parser.add_argument(
        "--changed-since", default=None, metavar="TIMESTAMP", help=CHANGED_SINCE_HELP
    )
    parser.add_argument("--columns", type=_columns_argument, default=None, metavar="A,B,C",
                        help="only these columns, in this order (default: all)")  # fmt: skip
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", action="store_true", default=None,
        help="show the progress bar on stderr (default: only when stderr is a terminal); it "
        "counts the selected rows first",
    )  # fmt: skip
    progress.add_argument("--no-progress", action="store_false", dest="progress",
                          help="never show the progress bar")  # fmt: skip
    parser.add_argument(
        "--batch-rows", type=int, default=DEFAULT_BATCH_ROWS, metavar="N",
        help="rows fetched and written at a time (default: %(default)s)",
    )  # fmt: skip
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    try:
        selection = Selection(
            score_model=args.score_model,
            band=args.band,
            changed_since=parse_timestamp(args.changed_since) if args.changed_since else None,
            columns=args.columns,
        )
        if args.batch_rows < 1:
            raise ExportError("--batch-rows must be at least 1")
        settings = settings_from_args(args)
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        result = run_export(
            settings,
            args.out,
            mart=args.mart,
            file_format=args.file_format,
            selection=selection,
            progress=progress,
            batch_rows=args.batch_rows,
        )
    except (ExportError, WarehouseError) as error:
        print(f"export: {error}", file=sys.stderr)
        return 2
    where = "stdout" if result.path == "-" else result.path
    print(f"export: {result.rows:,} rows written to {where} in {result.seconds:.1f} s",
          file=sys.stderr)  # fmt: skip
    return 0


__all__ = ["ExportError", "Selection", "parse_timestamp", "register", "run_export"]
