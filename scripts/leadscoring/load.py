"""``leadscoring load``: a CSV or Parquet file into a raw table, for a first trial on your data.

A CRM export goes into the raw schema where the dbt project reads it, with
its column names as they are (trimmed of surrounding spaces and of a byte
order mark): the project maps them onto the roles it reads with vars
(``lead_scoring__<source>_columns``, ``lead_scoring__extra_contact_attributes``),
and the command prints a ready-to-paste hint of that mapping.

CSV
    Every column is loaded as text (staging types and checks the values and
    quarantines what it cannot read); an empty cell, quoted or not, is NULL
    on both engines. The file is streamed: it is read and inserted in batches
    of BATCH_ROWS rows, so memory does not grow with the number of rows. A
    row that cannot be read (the wrong number of fields, an unclosed double
    quote, a NUL character) is not dropped: it goes to the table
    ``<table>__load_rejected`` with its line number, the reason and its raw
    text. Blank lines are skipped and counted.
Parquet
    Columns keep their types. DuckDB reads the file (no other library is
    needed); PostgreSQL gets it through DuckDB in batches, each DuckDB type
    mapped onto a PostgreSQL one (nested types become jsonb).

A load is one transaction: it either loads the whole file or changes nothing.
Values go through parameters (DuckDB) or COPY (PostgreSQL); column and table
names are quoted identifiers, never values pasted into SQL.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import json
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadscoring import demo_data

# --------------------------------------------------------------------------- what the project reads

# The columns (roles) of each raw source, as models/docs.md lists them.
ROLES: dict[str, tuple[str, ...]] = {
    "contacts": (
        "contact_id",
        "email",
        "first_name",
        "last_name",
        "phone",
        "job_title",
        "seniority",
        "department",
        "country",
        "region",
        "lead_source",
        "account_id",
        "created_at",
        "updated_at",
    ),
    "accounts": (
        "account_id",
        "account_name",
        "domain",
        "industry",
        "employee_count",
        "annual_revenue",
        "country",
        "created_at",
        "updated_at",
    ),
    "events": (
        "event_id",
        "contact_id",
        "event_type",
        "occurred_at",
        "page_url",
        "campaign",
        "channel",
        "properties",
    ),
    "conversions": ("conversion_id", "contact_id", "converted_at", "outcome", "amount"),
}

_CREATED = ("created", "created date", "create date", "creation date", "date created", "created on")
_UPDATED = (
    "updated",
    "updated date",
    "last updated",
    "modified",
    "modified at",
    "last modified",
    "last modified date",
    "date modified",
)
# Other names a column of a role often has in an export, most specific first.
# Names are compared ignoring case, spaces, underscores and punctuation, and a
# column named like the role itself always wins over a synonym.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "contacts": {
        "contact_id": ("lead id", "prospect id", "person id", "lead number", "id"),
        "email": ("e-mail", "email address", "e-mail address", "mail"),
        "first_name": ("first", "firstname", "given name", "forename"),
        "last_name": ("last", "lastname", "surname", "family name"),
        "phone": ("phone number", "telephone", "mobile", "mobile phone"),
        "job_title": ("title", "job", "position"),
        "seniority": ("seniority level", "job level", "level"),
        "department": ("dept", "job function", "function"),
        "country": ("country name",),
        "region": ("geo", "territory"),
        "lead_source": ("source", "original source", "lead origin"),
        "account_id": ("company id", "organization id", "organisation id", "org id", "account"),
        "created_at": _CREATED,
        "updated_at": _UPDATED,
    },
    "accounts": {
        "account_id": ("company id", "organization id", "organisation id", "org id", "id"),
        "account_name": (
            "name",
            "company",
            "company name",
            "account",
            "organization",
            "organization name",
            "organisation",
        ),
        "domain": ("website", "web site", "company domain", "domain name", "url"),
        "industry": ("sector", "vertical"),
        "employee_count": (
            "employees",
            "number of employees",
            "no of employees",
            "headcount",
            "company size",
        ),
        "annual_revenue": ("revenue", "annual revenue"),
        "country": ("country name",),
        "created_at": _CREATED,
        "updated_at": _UPDATED,
    },
    "events": {
        "event_id": ("activity id", "id"),
        "contact_id": ("lead id", "prospect id", "person id"),
        "event_type": ("type", "activity type", "event", "event name", "activity", "action"),
        "occurred_at": (
            "timestamp",
            "occurred",
            "event time",
            "event date",
            "activity date",
            "date",
            "time",
        ),
        "page_url": ("url", "page", "page path"),
        "campaign": ("campaign name", "utm campaign"),
        "channel": ("medium", "utm medium"),
        "properties": ("attributes", "payload", "metadata"),
    },
    "conversions": {
        "conversion_id": ("opportunity id", "deal id", "id"),
        "contact_id": ("lead id", "prospect id", "person id"),
        "converted_at": ("converted", "conversion date", "close date", "closed at", "date"),
        "outcome": ("status", "stage", "result"),
        "amount": ("value", "deal amount", "opportunity amount", "revenue"),
    },
}

# Attribute names rules can already test (var lead_scoring__attributes): an
# extra attribute must not take one of them.
BUILT_IN_ATTRIBUTES = frozenset(
    [
        *("email", "email_domain", "email_domain_kind", "is_email_valid", "has_placeholder_name"),
        *("first_name", "last_name", "phone", "job_title", "seniority", "department"),
        *("country", "region", "lead_source", "company_name", "company_domain", "industry"),
        *("company_country", "employee_count", "annual_revenue"),
        *("contact_id", "account_id", "created_at", "updated_at"),
    ]
)

# --------------------------------------------------------------------------- settings

BATCH_ROWS = 5000
MAX_CELL_CHARS = 10 * 1024 * 1024
POSTGRES_MAX_NAME_BYTES = 63
REJECTED_SUFFIX = "__load_rejected"
REJECTED_COLUMNS = ("source_file", "line_number", "reason", "raw_line")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".parquet": "parquet"}
DELIMITER_CANDIDATES = (",", ";", "\t", "|")
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
SNIFF_LINES = 200
SNIFF_CHARS = 64 * 1024
IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ATTRIBUTE_RE = re.compile(r"[a-z][a-z0-9_]*")
# The shape of a number the project's is_number test accepts (macros/tests/is_number.sql).
NUMBER_RE = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
NAME_EDGES_RE = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")
NUMBER_TYPES_RE = re.compile(
    r"(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))"
)
# DuckDB type -> PostgreSQL type (as PostgreSQL's format_type spells it).
POSTGRES_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "UTINYINT": "smallint",
    "INTEGER": "integer",
    "USMALLINT": "integer",
    "BIGINT": "bigint",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric",
    "HUGEINT": "numeric",
    "UHUGEINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time without time zone",
    "TIME WITH TIME ZONE": "time with time zone",
    "TIMESTAMP": "timestamp without time zone",
    "TIMESTAMP_S": "timestamp without time zone",
    "TIMESTAMP_MS": "timestamp without time zone",
    "TIMESTAMP_NS": "timestamp without time zone",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "JSON": "jsonb",
}


class LoadError(Exception):
    """A problem the user can fix (the input, an option, the target): the message says how."""


# --------------------------------------------------------------------------- small helpers


def quote_identifier(name: str) -> str:
    """A name as a quoted SQL identifier (the same rule on DuckDB and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def clean_name(name: str) -> str:
    """A header name without surrounding whitespace and byte order marks."""
    return NAME_EDGES_RE.sub("", name)


def _positions(numbers: Sequence[int]) -> str:
    texts = [str(n) for n in numbers]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _delimiter_label(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _one_line(text: object) -> str:
    """A message on one line, without the SQL excerpt DuckDB appends to its errors."""
    return " ".join(str(text).split("\nLINE ")[0].split())


def _yaml_string(text: str) -> str:
    """A double-quoted scalar: JSON's string syntax is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def check_column_names(names: Sequence[str], where: str) -> None:
    """Refuse empty and duplicate names (compared ignoring case, as DuckDB does)."""
    problems = []
    empty = [position for position, name in enumerate(names, 1) if not name]
    if empty:
        which = "column" if len(empty) == 1 else "columns"
        problems.append(
            f"{which} {_positions(empty)} {'has' if len(empty) == 1 else 'have'} no name"
        )
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(names, 1):
        if name:
            seen.setdefault(name.lower(), []).append(position)
    example = f"name column {empty[0]}" if empty else ""
    for positions in seen.values():
        if len(positions) > 1:
            spellings = list(dict.fromkeys(_yaml_string(names[p - 1]) for p in positions))
            same = spellings[0] if len(spellings) == 1 else f"({' and '.join(spellings)})"
            problems.append(f"columns {_positions(positions)} have the same name {same}")
            if not example:
                renamed = _yaml_string(f"{names[positions[1] - 1]} 2")
                example = f"rename column {positions[1]} to {renamed}"
    if problems:
        raise LoadError(
            f"{where}: {'; '.join(problems)} (columns are counted from 1, left to right; names are "
            "compared ignoring case and surrounding spaces). Fix: give every column a name of its "
            f"own in the header line, e.g. {example}."
        )


# --------------------------------------------------------------------------- reading CSV


@dataclass(frozen=True)
class Record:
    """One CSV record: its first physical line, its fields (None if unreadable), its text."""

    line: int
    fields: list[str] | None
    raw: str
    reason: str | None = None


@dataclass
class CsvFile:
    """A CSV file ready to stream: how it is read, and its header."""

    path: Path
    codec: str
    encoding_label: str
    delimiter: str
    delimiter_detected: bool
    header: list[str]

    def read_as(self) -> str:
        how = "detected" if self.delimiter_detected else "given"
        return (
            f"CSV, delimiter {_delimiter_label(self.delimiter)} ({how}), "
            f"encoding {self.encoding_label}"
        )


class _Lines:
    """The file's physical lines as the csv reader takes them, kept until the record is done."""

    def __init__(self, handle: io.TextIOBase) -> None:
        self._handle = handle
        self._taken: list[str] = []
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self._taken.append(line)
        self.count += 1
        return line

    def take(self) -> str:
        text = "".join(self._taken)
        self._taken.clear()
        if text.endswith("\r\n"):
            return text[:-2]
        return text[:-1] if text.endswith(("\n", "\r")) else text


def _open_text(path: Path, codec: str) -> io.TextIOWrapper:
    # newline="": line breaks inside quoted cells reach the csv module as they are.
    return open(path, encoding=codec, newline="")


def _csv_error_reason(message: str, first: int, last: int, delimiter: str) -> str:
    if "expected after" in message:
        return (
            "a double-quoted cell is followed by other text before the next "
            f"{_delimiter_label(delimiter)}: put the whole cell in double quotes and double every "
            'double quote inside it (e.g. "5"" screen")'
        )
    if "unexpected end of data" in message:
        return (
            f"a double quote opens a cell that is never closed: lines {first} to {last} "
            "(the end of the file) were read as this one row"
        )
    if "field larger than field limit" in message:
        return (
            f"a cell is longer than {MAX_CELL_CHARS:,} characters (a double quote that is never "
            "closed?)"
        )
    if "NUL" in message:
        return _NUL_REASON
    return f"not readable as CSV: {message}"


_NUL_REASON = (
    "a cell holds a NUL character (byte 0), which a text column cannot hold "
    "(it is shown as U+FFFD in raw_line)"
)


def read_records(path: Path, codec: str, delimiter: str) -> Generator[Record, None, None]:
    """Every record of the file, the header first; blank lines give records of no fields."""
    previous_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        with _open_text(path, codec) as handle:
            lines = _Lines(handle)
            reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=True)
            while True:
                first = lines.count + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    reason = _csv_error_reason(str(error), first, lines.count, delimiter)
                    yield Record(first, None, lines.take(), reason)
                    continue
                yield Record(first, fields, lines.take())
    finally:
        csv.field_size_limit(previous_limit)


def resolve_encoding(path: Path, given: str | None) -> tuple[str, str]:
    """The codec to read the file with, and how to name it: a byte order mark is tolerated."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    utf8_bom = head.startswith(codecs.BOM_UTF8)
    if given is None:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", "utf-16 (from its byte order mark)"
        given = "utf-8"
    try:
        name = codecs.lookup(given).name
    except LookupError:
        raise LoadError(
            f"unknown encoding {given!r}. Fix: give a Python codec name, e.g. --encoding utf-8, "
            "--encoding cp1252 (Windows, Excel), --encoding latin-1 or --encoding utf-16."
        ) from None
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8-sig", "utf-8 with a byte order mark" if utf8_bom else "utf-8"
    if utf8_bom:
        raise LoadError(
            f"{path} starts with a UTF-8 byte order mark, but --encoding says {given}. Fix: "
            "leave out --encoding (the file is UTF-8)."
        )
    return name, name


def _decode_problem(path: Path, codec: str) -> LoadError:
    """Where the file stops being text of the encoding: read again, line by line."""
    label = "utf-8" if codec == "utf-8-sig" else codec
    decoder = codecs.getincrementaldecoder(codec)()
    line = 1
    with open(path, "rb") as handle:
        for chunk in handle:
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                bad = error.object[error.start : error.end].hex(" ")
                return LoadError(
                    f"{path}, line {line}: bytes {bad} are not {label} text. Fix: pass the "
                    "file's encoding, e.g. --encoding cp1252 (Windows, Excel) or --encoding "
                    "latin-1, or save the file as UTF-8."
                )
            line += text.count("\n")
    return LoadError(f"{path} is not {label} text. Fix: pass the file's encoding with --encoding.")


def parse_delimiter(text: str) -> str:
    delimiter = DELIMITER_NAMES.get(text.lower(), text)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise LoadError(
            f"--delimiter {text!r} is not a delimiter: one character, not a double quote nor a "
            "line break. Fix: e.g. --delimiter ';', --delimiter tab or --delimiter '|'."
        )
    return delimiter


def sniff_delimiter(path: Path, codec: str) -> str:
    """The candidate that splits the header widest and the most first rows like the header."""
    sample: list[str] = []
    size = 0
    truncated = False
    with _open_text(path, codec) as handle:
        for line in handle:
            sample.append(line)
            size += len(line)
            if len(sample) >= SNIFF_LINES or size >= SNIFF_CHARS:
                truncated = True
                break
    best, best_key = ",", (False, -1, 0)
    for candidate in DELIMITER_CANDIDATES:
        try:
            records = [r for r in csv.reader(sample, delimiter=candidate, quotechar='"') if r]
        except csv.Error:
            continue
        if truncated and len(records) > 1:
            records = records[:-1]  # possibly cut in the middle
        width = len(records[0]) if records else 0
        same = sum(1 for record in records[1:] if len(record) == width)
        key = (width > 1, same, width)
        if key > best_key:
            best, best_key = candidate, key
    return best


def _read_header(path: Path, records: Iterator[Record]) -> list[str]:
    """The first record as column names, trimmed and checked."""
    first = next(records, None)
    if first is None:
        raise LoadError(
            f"{path} is empty. Fix: export the file again with a header line naming the columns."
        )
    if first.fields is None:
        raise LoadError(f"{path}, line 1 (the header): {first.reason}.")
    if not first.fields:
        raise LoadError(
            f"{path}, line 1 is blank. Fix: the first line must be the header naming the columns; "
            "remove the blank lines before it."
        )
    header = [clean_name(name) for name in first.fields]
    check_column_names(header, f"{path}, line {first.line} (the header)")
    return header


def open_csv(
    path: Path, file_format: str, delimiter: str | None, encoding: str | None
) -> tuple[CsvFile, Generator[Record, None, None]]:
    """Read the header (checked) and return the file with an iterator over the rows after it."""
    codec, label = resolve_encoding(path, encoding)
    try:
        if delimiter is not None:
            chosen, detected = parse_delimiter(delimiter), False
        elif file_format == "tsv":
            chosen, detected = "\t", False
        else:
            chosen, detected = sniff_delimiter(path, codec), True
        records = read_records(path, codec, chosen)
        try:
            header = _read_header(path, records)
        except BaseException:
            records.close()
            raise
    except UnicodeDecodeError:
        raise _decode_problem(path, codec) from None
    return CsvFile(path, codec, label, chosen, detected, header), records


# --------------------------------------------------------------------------- targets


class Target:
    """A warehouse connection with what the loader needs; subclasses differ in SQL dialect."""

    engine = ""
    text_type = ""

    def __init__(self) -> None:
        self.where = ""

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...

    def execute(self, statement: str) -> None:
        raise NotImplementedError

    def scalar(self, statement: str) -> Any:
        raise NotImplementedError

    def relation(self, schema: str, table: str) -> tuple[str | None, list[tuple[str, str]]]:
        """('table' or 'view' or None, [(column, type)]) of an existing relation."""
        raise NotImplementedError

    def insert_rows(
        self, target: str, names: Sequence[str], types: Sequence[str], rows: list[list[Any]]
    ) -> None:
        raise NotImplementedError

    def drop_table(self, target: str, label: str) -> None:
        self.execute(f"drop table {target}")


def _duckdb_connect(database: str, threads: int | None = None) -> Any:
    """A DuckDB connection that prints no progress bar (on a long read it would, to stdout)."""
    import duckdb

    con = duckdb.connect(database, config={"threads": threads} if threads else {})
    con.execute("set enable_progress_bar = false")
    return con


class DuckDBTarget(Target):
    engine = "DuckDB"
    text_type = "VARCHAR"

    def __init__(self, database: Path) -> None:
        super().__init__()
        database.parent.mkdir(parents=True, exist_ok=True)
        self.con = _duckdb_connect(str(database))
        self.where = f"DuckDB file {database}"

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self) -> None:
        self.con.execute("commit")

    def rollback(self) -> None:
        with contextlib.suppress(Exception):
            self.con.execute("rollback")

    def close(self) -> None:
        self.con.close()

    def execute(self, statement: str, parameters: list | None = None) -> None:
        self.con.execute(statement, parameters)

    def scalar(self, statement: str, parameters: list | None = None) -> Any:
        return self.con.execute(statement, parameters).fetchone()[0]

    def relation(self, schema: str, table: str) -> tuple[str | None, list[tuple[str, str]]]:
        where = (
            "table_catalog = current_database() and lower(table_schema) = lower($1) "
            "and lower(table_name) = lower($2)"
        )
        kinds = self.con.execute(
            f"select table_type from information_schema.tables where {where}", [schema, table]
        ).fetchall()
        if not kinds:
            return None, []
        columns = self.con.execute(
            f"select column_name, data_type from information_schema.columns where {where} "
            "order by ordinal_position",
            [schema, table],
        ).fetchall()
        return ("view" if kinds[0][0] == "VIEW" else "table"), [(c, t) for c, t in columns]

    def insert_rows(
        self, target: str, names: Sequence[str], types: Sequence[str], rows: list[list[Any]]
    ) -> None:
        # One statement per batch: each column is one list parameter, unnested
        # side by side (the values never enter the SQL text).
        columns = ", ".join(quote_identifier(name) for name in names)
        unnest = ", ".join(f"unnest(${i}::{t}[])" for i, t in enumerate(types, 1))
        lists = [list(column) for column in zip(*rows, strict=True)]
        self.con.execute(f"insert into {target} ({columns}) select {unnest}", lists)


class PostgresTarget(Target):
    engine = "PostgreSQL"
    text_type = "text"

    def __init__(self, conninfo: str | None) -> None:
        import psycopg2

        super().__init__()
        if conninfo:
            self.con = psycopg2.connect(conninfo)
        else:
            self.con = psycopg2.connect(**postgres_environment())
        self.con.set_client_encoding("UTF8")
        info = self.con.info
        self.where = f"PostgreSQL database {info.dbname} on {info.host}:{info.port}"
        self.cur = self.con.cursor()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        with contextlib.suppress(Exception):
            self.con.rollback()

    def close(self) -> None:
        self.con.close()

    def execute(self, statement: str) -> None:
        # No parameters: psycopg2 then leaves a '%' in a quoted name alone.
        self.cur.execute(statement)

    def scalar(self, statement: str) -> Any:
        self.cur.execute(statement)
        return self.cur.fetchone()[0]

    def relation(self, schema: str, table: str) -> tuple[str | None, list[tuple[str, str]]]:
        self.cur.execute(
            "select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = %s and c.relname = %s",
            (schema, table),
        )
        found = self.cur.fetchone()
        if found is None:
            return None, []
        self.cur.execute(
            "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
            "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped "
            "order by a.attnum",
            (schema, table),
        )
        kind = "table" if found[0] in ("r", "p") else "view"
        return kind, [(c, t) for c, t in self.cur.fetchall()]

    def insert_rows(
        self, target: str, names: Sequence[str], types: Sequence[str], rows: list[list[Any]]
    ) -> None:
        columns = ", ".join(quote_identifier(name) for name in names)
        data = io.StringIO()
        for row in rows:
            data.write(",".join(_copy_cell(value) for value in row))
            data.write("\n")
        data.seek(0)
        self.cur.copy_expert(f"copy {target} ({columns}) from stdin with (format csv)", data)

    def drop_table(self, target: str, label: str) -> None:
        import psycopg2.errors

        try:
            self.execute(f"drop table {target}")
        except psycopg2.errors.DependentObjectsStillExist as error:
            raise LoadError(
                f"{label} cannot be replaced: other objects depend on it (views a dbt build made, "
                f"for instance: {_one_line(error.diag.message_detail or '')}), and the file's "
                "columns differ from the table's, so it cannot be emptied and refilled either. "
                f"Fix: drop it with its views (drop table {label} cascade) and load again, then "
                "run dbt build; or load into another --table."
            ) from None


def _copy_cell(value: Any) -> str:
    """A value for COPY ... (format csv): NULL unquoted, any text quoted (so '\\.' stays data)."""
    if value is None:
        return ""
    return '"' + str(value).replace('"', '""') + '"'


def postgres_environment() -> dict[str, str]:
    """The connection of profiles.yml's postgres target: LEAD_SCORING_PG_* and their defaults."""
    return {
        "host": os.environ.get("LEAD_SCORING_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("LEAD_SCORING_PG_PORT", "5432"),
        "user": os.environ.get("LEAD_SCORING_PG_USER", "lead_scoring"),
        "password": os.environ.get("LEAD_SCORING_PG_PASSWORD", "lead_scoring"),
        "dbname": os.environ.get("LEAD_SCORING_PG_DATABASE", "lead_scoring"),
    }


# --------------------------------------------------------------------------- loading


@dataclass
class LoadSummary:
    """What a load did, for the report the command prints."""

    file: Path
    file_format: str
    read_as: str
    where: str
    schema: str
    table: str
    columns: list[tuple[str, str]]
    action: str = ""
    kinds: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    blank_lines: int = 0

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def rejected_relation(self) -> str:
        return f"{self.schema}.{self.table}{REJECTED_SUFFIX}"


def _relation_sql(schema: str, table: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"


def _prepare_table(
    target: Target,
    schema: str,
    table: str,
    columns: Sequence[tuple[str, str]],
    mode: str,
    create: Callable[[], None] | None = None,
) -> tuple[str, bool]:
    """Make a table ready for the rows; return what was done and whether ``create`` filled it.

    ``columns`` are (name, type in the engine's spelling). ``create``, when
    given, creates and fills the table in one statement (Parquet on DuckDB);
    otherwise the table is created empty from ``columns``. ``mode`` is
    create (refuse an existing table), replace or append.
    """
    relation = _relation_sql(schema, table)
    label = f"{schema}.{table}"
    kind, existing = target.relation(schema, table)
    if kind == "view":
        raise LoadError(
            f"{label} in {target.where} is not a table (a view, for instance). Fix: load into "
            "another --table, or drop it first."
        )

    def make() -> bool:
        if create is not None:
            create()
            return True
        ddl = ", ".join(f"{quote_identifier(name)} {type_}" for name, type_ in columns)
        target.execute(f"create table {relation} ({ddl})")
        return False

    if kind is None:
        return "new table", make()
    if mode == "create":
        rows = target.scalar(f"select count(*) from {relation}")
        raise LoadError(
            f"{label} already exists in {target.where} ({_plural(rows, 'row')}). Fix: --replace "
            "to replace it with this file, or --append to add this file's rows to it."
        )
    if mode == "append":
        names = [name for name, _ in columns]
        have = [name for name, _ in existing]
        if sorted(names) != sorted(have):
            missing = ", ".join(_yaml_string(n) for n in names if n not in have) or "none"
            extra = ", ".join(_yaml_string(n) for n in have if n not in names) or "none"
            raise LoadError(
                f"cannot append to {label}: its columns differ from the file's (in the file, not "
                f"in the table: {missing}; in the table, not in the file: {extra}). Fix: --replace "
                "to load the file as the table, or load into another --table."
            )
        return "appended", False
    if [(n, t.lower()) for n, t in existing] == [(n, t.lower()) for n, t in columns]:
        # Emptied, not dropped: views built on the table (dbt's staging) keep working.
        target.execute(f"truncate table {relation}")
        return "replaced", False
    target.drop_table(relation, label)
    return "replaced", make()


def _prepare_rejected(target: Target, schema: str, table: str, mode: str) -> None:
    """The table of the rows that could not be loaded, beside the loaded table."""
    text = target.text_type
    columns = [
        ("source_file", text),
        ("line_number", "bigint"),
        ("reason", text),
        ("raw_line", text),
    ]
    _prepare_table(target, schema, table + REJECTED_SUFFIX, columns, mode)


def _width_reason(count: int, width: int) -> str:
    if count < width:
        return (
            f"{_plural(count, 'field')} where the header has {width}: cells are missing, or a "
            "line break is inside a cell that is not in double quotes"
        )
    return (
        f"{_plural(count, 'field')} where the header has {width}: a delimiter is inside a cell "
        "that is not in double quotes, or cells were added"
    )


def _load_csv(
    csv_file: CsvFile, records: Iterator[Record], target: Target, summary: LoadSummary
) -> None:
    """Stream the rows after the header, in batches: each one loaded or rejected."""
    names = csv_file.header
    width = len(names)
    relation = _relation_sql(summary.schema, summary.table)
    rejected_relation = _relation_sql(summary.schema, summary.table + REJECTED_SUFFIX)
    source_file = str(csv_file.path.resolve())
    text_types = [target.text_type] * width
    rejected_types = [target.text_type, "bigint", target.text_type, target.text_type]
    numeric = [True] * width  # every value so far is a number
    filled = [False] * width  # some value so far is not empty
    rows: list[list[str | None]] = []
    rejected: list[list[Any]] = []

    def flush() -> None:
        if rows:
            target.insert_rows(relation, names, text_types, rows)
            summary.rows_loaded += len(rows)
            rows.clear()
        if rejected:
            target.insert_rows(rejected_relation, REJECTED_COLUMNS, rejected_types, rejected)
            summary.rows_rejected += len(rejected)
            rejected.clear()

    try:
        for record in records:
            fields = record.fields
            if fields is not None and not fields:
                summary.blank_lines += 1
                continue
            summary.rows_read += 1
            reason = record.reason
            if fields is not None and reason is None:
                if len(fields) != width:
                    reason = _width_reason(len(fields), width)
                elif any("\x00" in value for value in fields):
                    reason = _NUL_REASON
            if fields is None or reason is not None:
                raw = record.raw.replace("\x00", "\ufffd")
                rejected.append([source_file, record.line, reason, raw])
            else:
                row: list[str | None] = []
                for position, value in enumerate(fields):
                    if value == "":
                        row.append(None)
                        continue
                    row.append(value)
                    filled[position] = True
                    if numeric[position] and not NUMBER_RE.fullmatch(value.strip()):
                        numeric[position] = False
                rows.append(row)
            if len(rows) >= BATCH_ROWS or len(rejected) >= BATCH_ROWS:
                flush()
    except UnicodeDecodeError:
        raise _decode_problem(csv_file.path, csv_file.codec) from None
    flush()
    summary.kinds = {
        name: "number" if is_number and has_value else "text"
        for name, is_number, has_value in zip(names, numeric, filled, strict=True)
    }


@dataclass(frozen=True)
class ParquetColumn:
    """A column of a Parquet file: its name there, the name loaded (trimmed), its DuckDB type."""

    source: str
    name: str
    duckdb_type: str


def describe_parquet(path: Path) -> tuple[list[ParquetColumn], int]:
    """The columns of a Parquet file (names checked) and its number of rows, read by DuckDB."""
    import duckdb

    with _duckdb_connect(":memory:") as con:
        try:
            described = con.execute(
                "describe select * from read_parquet($1)", [str(path)]
            ).fetchall()
            rows = con.execute("select count(*) from read_parquet($1)", [str(path)]).fetchone()[0]
        except duckdb.Error as error:
            raise LoadError(
                f"{path} cannot be read as Parquet: {_one_line(error)}. Fix: check the file, or "
                "pass --format csv if it is a CSV file."
            ) from None
    columns = [ParquetColumn(name, clean_name(name), str(kind)) for name, kind, *_ in described]
    check_column_names([c.name for c in columns], f"{path} (the Parquet columns)")
    return columns, rows


def _postgres_column(column: ParquetColumn) -> tuple[str, str]:
    """The PostgreSQL type of a Parquet column, and the DuckDB expression giving its COPY text."""
    source = quote_identifier(column.source)
    as_text = f"cast({source} as varchar)"
    kind = column.duckdb_type.upper()
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION")):
        return "jsonb", f"cast(to_json({source}) as varchar)"
    if kind == "BLOB":
        return "bytea", f"'\\x' || hex({source})"
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", kind)
    if decimal:
        return f"numeric({decimal.group(1)},{decimal.group(2)})", as_text
    return POSTGRES_TYPES.get(kind, "text"), as_text


def _load_parquet(
    path: Path, columns: list[ParquetColumn], target: Target, summary: LoadSummary, mode: str
) -> None:
    relation = _relation_sql(summary.schema, summary.table)
    names = [c.name for c in columns]
    summary.kinds = {
        c.name: "number" if NUMBER_TYPES_RE.fullmatch(c.duckdb_type.upper()) else "text"
        for c in columns
    }
    if isinstance(target, DuckDBTarget):
        renamed = ", ".join(
            f"{quote_identifier(c.source)} as {quote_identifier(c.name)}" for c in columns
        )
        select = f"select {renamed} from read_parquet($1)"
        parameters = [str(path)]
        summary.columns = [(c.name, c.duckdb_type) for c in columns]
        summary.action, filled = _prepare_table(
            target,
            summary.schema,
            summary.table,
            summary.columns,
            mode,
            create=lambda: target.con.execute(f"create table {relation} as {select}", parameters),
        )
        if not filled:
            quoted = ", ".join(quote_identifier(name) for name in names)
            target.con.execute(f"insert into {relation} ({quoted}) {select}", parameters)
        summary.rows_loaded = summary.rows_read
        return

    mapped = [_postgres_column(c) for c in columns]
    summary.columns = [(c.name, pg_type) for c, (pg_type, _) in zip(columns, mapped, strict=True)]
    summary.action, _ = _prepare_table(target, summary.schema, summary.table, summary.columns, mode)
    types = [pg_type for pg_type, _ in mapped]
    select = ", ".join(expression for _, expression in mapped)
    # One thread: DuckDB reads ahead little more than the batch PostgreSQL takes.
    with _duckdb_connect(":memory:", threads=1) as reader:
        result = reader.execute(f"select {select} from read_parquet($1)", [str(path)])
        while True:
            batch = result.fetchmany(BATCH_ROWS)
            if not batch:
                break
            target.insert_rows(relation, names, types, [list(row) for row in batch])
            summary.rows_loaded += len(batch)


def file_format_of(path: Path, given: str | None) -> str:
    """csv, tsv or parquet: --format, else the file's extension."""
    if given is not None:
        return given
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise LoadError(
            f"cannot tell the format of {path} from its extension "
            f"({path.suffix or 'none'}; known: .csv, .tsv, .txt, .parquet). Fix: pass "
            "--format csv, --format tsv or --format parquet."
        )
    return found


def _check_identifier(text: str, option: str) -> None:
    if not IDENTIFIER_RE.fullmatch(text):
        raise LoadError(
            f"{option} {text!r} is not a plain name. Fix: use letters, digits and underscores, "
            f"not starting with a digit (e.g. {option} contacts)."
        )


def connect(duckdb_path: Path | None, postgres: str | None) -> Target:
    """The target of the load: PostgreSQL when ``postgres`` is given ('' = environment)."""
    if postgres is not None:
        import psycopg2

        try:
            return PostgresTarget(postgres)
        except psycopg2.Error as error:
            raise LoadError(
                f"could not connect to PostgreSQL: {_one_line(error)}. Fix: start the server "
                "(make postgres) or correct --postgres (or the LEAD_SCORING_PG_* variables)."
            ) from None
    import duckdb

    database = Path(duckdb_path or "lead_scoring.duckdb")
    try:
        return DuckDBTarget(database)
    except (duckdb.Error, OSError) as error:
        raise LoadError(
            f"could not open the DuckDB file {database}: {_one_line(error)}. Fix: close the "
            "program that has it open (a dbt run, a notebook), or pass another --duckdb."
        ) from None


def load_file(
    path: Path,
    table: str,
    *,
    schema: str = "raw",
    duckdb_path: Path | None = None,
    postgres: str | None = None,
    mode: str = "create",
    file_format: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> LoadSummary:
    """Load one file into schema.table (and schema.<table>__load_rejected), in one transaction.

    ``mode``: create (an existing table is refused), replace or append.
    ``postgres``: a libpq connection string, '' for the LEAD_SCORING_PG_*
    variables, None for DuckDB (``duckdb_path``, default lead_scoring.duckdb).
    """
    _check_identifier(table, "--table")
    _check_identifier(schema, "--schema")
    path = Path(path)
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise LoadError(f"{path} {what}. Fix: give the path of a CSV or Parquet file.")
    kind = file_format_of(path, file_format)
    records: Generator[Record, None, None] | None = None
    if kind == "parquet":
        if delimiter is not None or encoding is not None:
            raise LoadError(
                f"--delimiter and --encoding apply to CSV files, and {path} is read as Parquet. "
                "Fix: leave them out, or pass --format csv if the file is CSV."
            )
        parquet_columns, parquet_rows = describe_parquet(path)
        names = [c.name for c in parquet_columns]
        read_as = "Parquet"
    else:
        csv_file, records = open_csv(path, kind, delimiter, encoding)
        names = csv_file.header
        read_as = csv_file.read_as()
    try:
        target = connect(duckdb_path, postgres)
        try:
            summary = LoadSummary(path, kind, read_as, target.where, schema, table, [])
            if isinstance(target, PostgresTarget):
                _check_postgres_names(table, schema, names)
            target.begin()
            target.execute(f"create schema if not exists {quote_identifier(schema)}")
            if records is not None:
                summary.columns = [(name, target.text_type) for name in names]
                summary.action, _ = _prepare_table(target, schema, table, summary.columns, mode)
                _prepare_rejected(target, schema, table, mode)
                _load_csv(csv_file, records, target, summary)
            else:
                summary.rows_read = parquet_rows
                _load_parquet(path, parquet_columns, target, summary, mode)
                _prepare_rejected(target, schema, table, mode)
            target.commit()
        except BaseException:
            target.rollback()
            raise
        finally:
            target.close()
    finally:
        if records is not None:
            records.close()
    return summary


def _check_postgres_names(table: str, schema: str, names: Sequence[str]) -> None:
    """PostgreSQL cuts longer names to 63 bytes: refuse rather than load under another name."""
    limit = POSTGRES_MAX_NAME_BYTES
    if len(schema) > limit:
        raise LoadError(f"--schema is longer than {limit} characters. Fix: a shorter name.")
    if len(table) + len(REJECTED_SUFFIX) > limit:
        raise LoadError(
            f"--table {table} is {len(table)} characters; with '{REJECTED_SUFFIX}' (the table of "
            f"rejected rows) it passes PostgreSQL's {limit}. Fix: a --table of at most "
            f"{limit - len(REJECTED_SUFFIX)} characters."
        )
    for position, name in enumerate(names, 1):
        size = len(name.encode("utf-8"))
        if size > limit:
            raise LoadError(
                f"column {position}, {_yaml_string(name)}, has a name of {size} bytes; PostgreSQL "
                f"keeps {limit}. Fix: shorten it in the file."
            )


# --------------------------------------------------------------------------- the report


def _ascii(text: str) -> str:
    """The text without accents (and without the characters that have no ASCII form)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _normalized(name: str) -> str:
    """A name compared ignoring case, accents, spaces, underscores and punctuation."""
    return "".join(ch for ch in _ascii(name).lower() if ch.isalnum())


def match_roles(table: str, columns: Sequence[str]) -> dict[str, str]:
    """role -> file column, for the roles of a known table that a column looks like.

    First the columns named like a role (ignoring case, spaces, underscores,
    punctuation), then the synonyms of each role in order; a column serves one
    role at most.
    """
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(_normalized(column), column)
    found: dict[str, str] = {}
    used: set[str] = set()
    for role in ROLES[table]:
        column = by_name.get(_normalized(role))
        if column is not None and column not in used:
            found[role] = column
            used.add(column)
    for role in ROLES[table]:
        if role in found:
            continue
        for synonym in SYNONYMS[table].get(role, ()):
            column = by_name.get(_normalized(synonym))
            if column is not None and column not in used:
                found[role] = column
                used.add(column)
                break
    return {role: found[role] for role in ROLES[table] if role in found}


def attribute_name(column: str, taken: set[str]) -> str:
    """A snake_case attribute name for a column, not one of ``taken`` (which it joins)."""
    base = re.sub(r"[^a-z0-9]+", "_", _ascii(column).lower()).strip("_") or "attribute"
    if not base[0].isalpha():
        base = "attribute_" + base
    if base in BUILT_IN_ATTRIBUTES:
        base = "contact_" + base
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name


def mapping_hint(
    table: str, schema: str, columns: Sequence[str], kinds: dict[str, str]
) -> list[str]:
    """The vars that point the project at the loaded table, as YAML to paste."""
    if table not in ROLES:
        known = ", ".join(ROLES)
        return [
            f"No mapping hint: {table} is not one of the tables the project reads ({known}).",
            "To read it as one of them, set var lead_scoring__<source>_identifier: "
            f"{table} (and lead_scoring__<source>_schema: {schema}).",
        ]
    matched = match_roles(table, columns)
    lines = [
        "Mapping hint: check it, then paste it under `vars:` in dbt_project.yml, in place of the "
        "vars of the same name (or pass it with dbt --vars):",
    ]
    if schema != "raw":
        lines.append(f"  lead_scoring__{table}_schema: {schema}")
    if matched:
        lines.append(f"  lead_scoring__{table}_columns:")
        lines += [f"    {role}: {_yaml_string(column)}" for role, column in matched.items()]
    else:
        lines.append(f"  lead_scoring__{table}_columns: {{}}")
    missing = [role for role in ROLES[table] if role not in matched]
    if missing:
        lines += _comment(
            "roles no column looks like (map those the file has under another name): "
            + ", ".join(missing)
        )
    others = [column for column in columns if column not in matched.values()]
    if not others:
        return lines
    if table != "contacts":
        listed = ", ".join(_yaml_string(column) for column in others)
        return lines + _comment(f"file columns no role reads: {listed}")
    lines += _comment(
        "the other columns, as attributes rules and segments can test: keep those you need "
        "(kinds guessed from the values)"
    )
    lines.append("  lead_scoring__extra_contact_attributes:")
    taken: set[str] = set()
    for column in others:
        name = attribute_name(column, taken)
        kind = kinds.get(column, "text")
        lines.append(f"    {name}: {{kind: {kind}, column: {_yaml_string(column)}}}")
    return lines


def _comment(text: str) -> list[str]:
    """A YAML comment wrapped at 100 characters."""
    return textwrap.wrap(text, 100, initial_indent="  # ", subsequent_indent="  #   ")


def format_summary(summary: LoadSummary) -> str:
    """What the command prints after a load."""
    lines = [
        f"Loaded {summary.file} into {summary.relation} ({summary.action}) in {summary.where}.",
        f"Read as {summary.read_as}.",
        f"Rows read: {summary.rows_read:,}; loaded: {summary.rows_loaded:,}; "
        f"rejected: {summary.rows_rejected:,}.",
    ]
    rejected = summary.rejected_relation
    if summary.rows_rejected:
        lines.append(
            f"Rejected rows (line number, reason, raw text) are in {rejected}: "
            f"select line_number, reason, raw_line from {rejected} order by line_number"
        )
    if summary.blank_lines:
        lines.append(f"Blank lines skipped: {summary.blank_lines:,}.")
    if summary.file_format == "parquet":
        lines.append(f"Columns loaded ({len(summary.columns)}, with the file's types):")
        lines += [f"  {_yaml_string(name)} {type_}" for name, type_ in summary.columns]
    else:
        lines.append(f"Columns loaded ({len(summary.columns)}, as text; an empty cell is NULL):")
        lines += [f"  {_yaml_string(name)}" for name, _ in summary.columns]
    lines.append("")
    names = [name for name, _ in summary.columns]
    lines += mapping_hint(summary.table, summary.schema, names, summary.kinds)
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI

DESCRIPTION = """\
Load a CSV or Parquet file (a CRM export, say) into a table of the raw schema,
where the dbt project reads it: a first trial of the project on your data.

The file's column names are kept as they are (trimmed of surrounding spaces and
of a byte order mark), so "Lead Id" stays "Lead Id": the project maps columns
onto the roles it reads with vars, and the command prints a ready-to-paste hint
of that mapping for the tables it knows (contacts, accounts, events,
conversions), with the other columns of a contacts file as candidate extra
contact attributes.

CSV: every column is loaded as text (staging types and checks the values); an
empty cell, quoted or not, is NULL. The delimiter is detected among , ; tab |
(or --delimiter); cells may be in double quotes, holding the delimiter, line
breaks and doubled double quotes. The file is read and inserted in batches, so
a large file needs little memory. A row with the wrong number of fields (or an
unclosed double quote, or a NUL character) is not dropped: it goes to the table
<table>__load_rejected (source_file, line_number, reason, raw_line; lines are
counted from 1, the header being line 1) and is counted. Blank lines are skipped
and counted. Empty or duplicate column names (compared ignoring case) are an
error naming their positions.

Parquet: columns keep their types (on PostgreSQL, each DuckDB type becomes the
matching PostgreSQL type; lists, structs and maps become jsonb).

An existing table is refused unless --replace or --append says what to do with
it; <table>__load_rejected follows the same choice. A load is one transaction:
the whole file or nothing.
"""

EPILOG = """\
examples:
  leadscoring load crm_export.csv --table contacts
  leadscoring load crm_export.csv --table contacts --replace --delimiter ';'
  leadscoring load accounts.parquet --table accounts --postgres 'host=127.0.0.1 dbname=lead_scoring'
  leadscoring load activity.tsv --table events --postgres --schema crm

exit status: 0 when the file is loaded (rejected rows included), 1 on an error
(the message, on stderr, says how to fix it), 2 on a usage error.
"""


def _run(args: argparse.Namespace) -> int:
    file, postgres = args.file, args.postgres
    if file is None:
        if postgres and "=" not in postgres and "://" not in postgres:
            print(
                f"error: no FILE given ({postgres!r} was read as the --postgres connection "
                "string). Fix: put the file first: leadscoring load FILE --table NAME --postgres",
                file=sys.stderr,
            )
        else:
            print("error: no FILE given. Fix: leadscoring load FILE --table NAME", file=sys.stderr)
        return 1
    mode = "replace" if args.replace else "append" if args.append else "create"
    errors = demo_data._expected_errors()
    try:
        summary = load_file(
            Path(file),
            args.table,
            schema=args.schema,
            duckdb_path=Path(args.duckdb) if args.duckdb else None,
            postgres=postgres,
            mode=mode,
            file_format=args.format,
            delimiter=args.delimiter,
            encoding=args.encoding,
        )
    except LoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except errors as error:
        print(
            f"error: could not load {file} into {args.schema}.{args.table}: {_one_line(error)}",
            file=sys.stderr,
        )
        return 1
    print(format_summary(summary))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``load`` subcommand."""
    parser = subparsers.add_parser(
        "load",
        usage=(
            "%(prog)s FILE --table NAME [--schema SCHEMA] [--duckdb PATH | --postgres [CONNINFO]] "
            "[--replace | --append] [--format {csv,tsv,parquet}] [--delimiter CHAR] "
            "[--encoding NAME]"
        ),
        help="load a CSV or Parquet file into a raw table (a first trial on your data)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="the file: .csv, .tsv, .txt or .parquet"
    )
    parser.add_argument(
        "--table",
        required=True,
        metavar="NAME",
        help="the table to load: contacts, accounts, events, conversions (the tables the "
        "project reads, with a mapping hint) or any other name (letters, digits, underscores)",
    )
    parser.add_argument(
        "--schema",
        default="raw",
        help="schema of the table (default: %(default)s; created if missing)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--duckdb",
        metavar="PATH",
        help="load into this DuckDB file (the default: lead_scoring.duckdb, created if missing)",
    )
    where.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="CONNINFO",
        help="load into PostgreSQL: a libpq connection string such as 'host=127.0.0.1 "
        "dbname=lead_scoring user=lead_scoring', or, without a value, the server of the "
        "LEAD_SCORING_PG_HOST, _PORT, _USER, _PASSWORD and _DATABASE variables (as dbt's "
        "postgres target, same defaults)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing table (and its rejected rows); a table with the same columns "
        "is emptied and refilled, so views built on it keep working",
    )
    mode.add_argument(
        "--append",
        action="store_true",
        help="add the rows to an existing table with the same columns (rejected rows too)",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "tsv", "parquet"),
        help="the file's format (default: from its extension; .txt is CSV, .tsv is tab-separated)",
    )
    parser.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="CSV delimiter: one character, or tab, comma, semicolon, pipe (default: detected "
        "among , ; tab | from the first lines; tab for .tsv)",
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="CSV encoding, e.g. cp1252 or latin-1 (default: utf-8, with or without a byte "
        "order mark; utf-16 when the file starts with its byte order mark)",
    )
    parser.set_defaults(handler=_run)
