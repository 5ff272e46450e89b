"""Tests of ``leadscoring load`` (scripts/leadscoring/load.py): a file into a raw table.

Every load test runs on DuckDB and on PostgreSQL (schema pytest_load, dropped
before and after each test), through the command line, and checks the exact
output and what the tables hold afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
from leadscoring import load
from leadscoring.cli import main

SCHEMA = "pytest_load"

# A CRM export as it comes: a byte order mark, spaces around a header name, a
# double quote in one, ';' as delimiter, CRLF line ends, quoted cells holding
# the delimiter, doubled double quotes and a line break, empty cells (quoted
# or not), a blank line, a short row, a long row and a row the csv module
# cannot read.
CRM_LINES = [
    '\ufeff Lead Id ;E-mail;First Name;Total Visits;"Notes ""int""";Score %',  # line 1
    'L1;a@x.io;Ann;3;"semi;colon";0.5',  # line 2
    'L2;;;;"line one\r\nline two";',  # lines 3-4
    "L3;c@x.io;Cy;5",  # line 5: 4 fields
    "",  # line 6: blank
    'L4;d@x.io;Di;7;"say ""hi""";2;extra',  # line 7: 7 fields
    'L5;e@x.io;"";;"";1',  # line 8
    'L6;"f@x.io"x;Fa;1;n;0',  # line 9: text after a closing double quote
    'L7;g@x.io;Gil;12;"a ""quoted""; cell";-1.5',  # line 10
]
CRM_COLUMNS = ["Lead Id", "E-mail", "First Name", "Total Visits", 'Notes "int"', "Score %"]
CRM_ROWS = [
    ("L1", "a@x.io", "Ann", "3", "semi;colon", "0.5"),
    ("L2", None, None, None, "line one\r\nline two", None),
    ("L5", "e@x.io", None, None, None, "1"),
    ("L7", "g@x.io", "Gil", "12", 'a "quoted"; cell', "-1.5"),
]
SHORT_REASON = (
    "4 fields where the header has 6: cells are missing, or a line break is inside a cell that "
    "is not in double quotes"
)
LONG_REASON = (
    "7 fields where the header has 6: a delimiter is inside a cell that is not in double "
    "quotes, or cells were added"
)
QUOTE_REASON = (
    "a double-quoted cell is followed by other text before the next ';': put the whole cell in "
    'double quotes and double every double quote inside it (e.g. "5"" screen")'
)
REJECTED_QUERY = (
    f"select source_file, line_number, reason, raw_line from {SCHEMA}.contacts__load_rejected "
    "order by line_number"
)
SCHEMA_QUERY = f"select schema_name from information_schema.schemata where schema_name = '{SCHEMA}'"
ROLES_NOT_FOUND = [
    "  # roles no column looks like (map those the file has under another name): last_name, phone,",
    "  #   job_title, seniority, department, country, region, lead_source, account_id, created_at,",
    "  #   updated_at",
]


@dataclass
class Engine:
    """Where a test loads: the command's target options, and a way to read the result."""

    name: str
    options: list[str]
    where: str
    text_type: str
    query: Callable[[str], list[tuple]]
    has_schema: Callable[[], bool]


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "duckdb":
        database = tmp_path / "warehouse.duckdb"

        def duckdb_query(sql: str) -> list[tuple]:
            with duckdb.connect(str(database), read_only=True) as con:
                return con.execute(sql).fetchall()

        def duckdb_has_schema() -> bool:
            return database.exists() and bool(duckdb_query(SCHEMA_QUERY))

        yield Engine(
            "duckdb",
            ["--duckdb", str(database)],
            f"DuckDB file {database}",
            "VARCHAR",
            duckdb_query,
            duckdb_has_schema,
        )
        return

    conninfo = request.getfixturevalue("pg_conninfo")

    def pg_query(sql: str) -> list[tuple]:
        con = psycopg2.connect(conninfo)
        try:
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        finally:
            con.close()

    def pg_execute(sql: str) -> None:
        con = psycopg2.connect(conninfo)
        try:
            with con, con.cursor() as cur:
                cur.execute(sql)
        finally:
            con.close()

    pg_execute(f"drop schema if exists {SCHEMA} cascade")
    con = psycopg2.connect(conninfo)
    where = f"PostgreSQL database {con.info.dbname} on {con.info.host}:{con.info.port}"
    con.close()
    yield Engine(
        "postgres",
        ["--postgres", conninfo],
        where,
        "text",
        pg_query,
        lambda: bool(pg_query(SCHEMA_QUERY)),
    )
    pg_execute(f"drop schema if exists {SCHEMA} cascade")


def run(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, str, str]:
    """Run the command; return its exit code, stdout and stderr."""
    code = main(["load", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def columns(engine: Engine, table: str) -> list[tuple[str, str]]:
    return engine.query(
        "select column_name, data_type from information_schema.columns "
        f"where table_schema = '{SCHEMA}' and table_name = '{table}' order by ordinal_position"
    )


def write_crm(tmp_path: Path) -> Path:
    path = tmp_path / "crm export.csv"
    path.write_bytes(("\r\n".join(CRM_LINES) + "\r\n").encode("utf-8"))
    return path


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("batch_rows", [5000, 2])
def test_csv_loads_text_and_keeps_bad_rows_with_reasons(
    engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    batch_rows: int,
) -> None:
    monkeypatch.setattr(load, "BATCH_ROWS", batch_rows)  # 2: many batches, rejects between
    path = write_crm(tmp_path)
    code, out, err = run(
        capsys, str(path), "--table", "contacts", "--schema", SCHEMA, *engine.options
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Loaded {path} into {SCHEMA}.contacts (new table) in {engine.where}.",
        "Read as CSV, delimiter ';' (detected), encoding utf-8 with a byte order mark.",
        "Rows read: 7; loaded: 4; rejected: 3.",
        f"Rejected rows (line number, reason, raw text) are in {SCHEMA}.contacts__load_rejected: "
        f"select line_number, reason, raw_line from {SCHEMA}.contacts__load_rejected order by "
        "line_number",
        "Blank lines skipped: 1.",
        "Columns loaded (6, as text; an empty cell is NULL):",
        '  "Lead Id"',
        '  "E-mail"',
        '  "First Name"',
        '  "Total Visits"',
        '  "Notes \\"int\\""',
        '  "Score %"',
        "",
        "Mapping hint: check it, then paste it under `vars:` in dbt_project.yml, in place of the "
        "vars of the same name (or pass it with dbt --vars):",
        f"  lead_scoring__contacts_schema: {SCHEMA}",
        "  lead_scoring__contacts_columns:",
        '    contact_id: "Lead Id"',
        '    email: "E-mail"',
        '    first_name: "First Name"',
        *ROLES_NOT_FOUND,
        "  # the other columns, as attributes rules and segments can test: keep those you need "
        "(kinds guessed",
        "  #   from the values)",
        "  lead_scoring__extra_contact_attributes:",
        '    total_visits: {kind: number, column: "Total Visits"}',
        '    notes_int: {kind: text, column: "Notes \\"int\\""}',
        '    score: {kind: number, column: "Score %"}',
    ]
    assert columns(engine, "contacts") == [(name, engine.text_type) for name in CRM_COLUMNS]
    assert engine.query(f'select * from {SCHEMA}.contacts order by "Lead Id"') == CRM_ROWS
    source = str(path.resolve())
    assert engine.query(REJECTED_QUERY) == [
        (source, 5, SHORT_REASON, "L3;c@x.io;Cy;5"),
        (source, 7, LONG_REASON, 'L4;d@x.io;Di;7;"say ""hi""";2;extra'),
        (source, 9, QUOTE_REASON, 'L6;"f@x.io"x;Fa;1;n;0'),
    ]


def test_existing_table_is_refused_replaced_or_appended(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("id,name\n1,Ann\n2,Bo\n3\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text("id,name\n9,Zed\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("id,email\n7,g@x.io\n", encoding="utf-8")
    target = ["--table", "people", "--schema", SCHEMA, *engine.options]
    rejected = f"select line_number, raw_line from {SCHEMA}.people__load_rejected order by 1"
    people = f"select * from {SCHEMA}.people order by id"

    code, out, err = run(capsys, str(first), *target)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Loaded {first} into {SCHEMA}.people (new table) in {engine.where}.",
        "Read as CSV, delimiter ',' (detected), encoding utf-8.",
        "Rows read: 3; loaded: 2; rejected: 1.",
        f"Rejected rows (line number, reason, raw text) are in {SCHEMA}.people__load_rejected: "
        f"select line_number, reason, raw_line from {SCHEMA}.people__load_rejected order by "
        "line_number",
        "Columns loaded (2, as text; an empty cell is NULL):",
        '  "id"',
        '  "name"',
        "",
        "No mapping hint: people is not one of the tables the project reads (contacts, accounts, "
        "events, conversions).",
        "To read it as one of them, set var lead_scoring__<source>_identifier: people (and "
        f"lead_scoring__<source>_schema: {SCHEMA}).",
    ]

    # Without --replace or --append: refused, nothing changed.
    assert run(capsys, str(second), *target) == (
        1,
        "",
        f"error: {SCHEMA}.people already exists in {engine.where} (2 rows). Fix: --replace to "
        "replace it with this file, or --append to add this file's rows to it.\n",
    )
    assert engine.query(people) == [("1", "Ann"), ("2", "Bo")]

    # --append: the rows and the rejected rows are added.
    code, out, err = run(capsys, str(first), *target, "--append")
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        f"Loaded {first} into {SCHEMA}.people (appended) in {engine.where}.",
        "Read as CSV, delimiter ',' (detected), encoding utf-8.",
        "Rows read: 3; loaded: 2; rejected: 1.",
    ]
    assert engine.query(people) == [("1", "Ann"), ("1", "Ann"), ("2", "Bo"), ("2", "Bo")]
    assert engine.query(rejected) == [(4, "3"), (4, "3")]

    # --append of a file with other columns: refused.
    assert run(capsys, str(other), *target, "--append") == (
        1,
        "",
        f"error: cannot append to {SCHEMA}.people: its columns differ from the file's (in the "
        'file, not in the table: "email"; in the table, not in the file: "name"). Fix: '
        "--replace to load the file as the table, or load into another --table.\n",
    )

    # --replace with the same columns: emptied and refilled, the rejected rows too.
    code, out, err = run(capsys, str(second), *target, "--replace")
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        f"Loaded {second} into {SCHEMA}.people (replaced) in {engine.where}.",
        "Read as CSV, delimiter ',' (detected), encoding utf-8.",
        "Rows read: 1; loaded: 1; rejected: 0.",
    ]
    assert engine.query(people) == [("9", "Zed")]
    assert engine.query(rejected) == []

    # --replace with other columns: the table is made again.
    assert run(capsys, str(other), *target, "--replace")[0] == 0
    assert columns(engine, "people") == [("id", engine.text_type), ("email", engine.text_type)]
    assert engine.query(people) == [("7", "g@x.io")]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Id;Email; email ;Name",
            'columns 2 and 3 have the same name ("Email" and "email") (columns are counted from 1, '
            "left to right; names are compared ignoring case and surrounding spaces). Fix: give "
            'every column a name of its own in the header line, e.g. rename column 3 to "email 2".',
        ),
        (
            "Id;;Name;  ;Id",
            'columns 2 and 4 have no name; columns 1 and 5 have the same name "Id" (columns are '
            "counted from 1, left to right; names are compared ignoring case and surrounding "
            "spaces). Fix: give every column a name of its own in the header line, e.g. name "
            "column 2.",
        ),
    ],
)
def test_duplicate_or_empty_header_names_are_an_error(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture, header: str, message: str
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(f"{header}\n1;2;3;4;5\n", encoding="utf-8")
    code, out, err = run(
        capsys, str(path), "--table", "contacts", "--schema", SCHEMA, *engine.options
    )
    assert (code, out) == (1, "")
    assert err == f"error: {path}, line 1 (the header): {message}\n"
    assert not engine.has_schema()  # stopped before anything was created


def test_a_load_that_fails_half_way_changes_nothing(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "BATCH_ROWS", 100)  # batches are inserted before the bad byte
    path = tmp_path / "latin.csv"
    # Far enough from the start that the byte is read (and decoded) after some batches.
    lines = [b"id,city", *(b"%d,Paris" % number for number in range(1, 3001)), b"3001,Orl\xe9ans"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    target = ["--table", "cities", "--schema", SCHEMA, *engine.options]
    assert run(capsys, str(path), *target) == (
        1,
        "",
        f"error: {path}, line 3002: bytes e9 are not utf-8 text. Fix: pass the file's encoding, "
        "e.g. --encoding cp1252 (Windows, Excel) or --encoding latin-1, or save the file as "
        "UTF-8.\n",
    )
    assert engine.query(
        "select count(*) from information_schema.tables where table_name like 'cities%'"
    ) == [(0,)]

    code, out, err = run(capsys, str(path), *target, "--encoding", "cp1252")
    assert (code, err) == (0, "")
    assert out.splitlines()[1:3] == [
        "Read as CSV, delimiter ',' (detected), encoding cp1252.",
        "Rows read: 3,001; loaded: 3,001; rejected: 0.",
    ]
    assert engine.query(
        f"select count(*), count(distinct id), min(city), max(city) from {SCHEMA}.cities"
    ) == [(3001, 3001, "Orléans", "Paris")]


# --------------------------------------------------------------------------- Parquet


def write_parquet(path: Path) -> Path:
    with duckdb.connect() as con:
        con.execute(
            "copy (select * from (values "
            "(1, 'Acme', 12.5::decimal(18,2), 1.5::double, date '2026-01-02', "
            "timestamp '2026-01-02 03:04:05', true, [1, 2], '\\x00\\xFF'::blob, ''), "
            "(2, null, null, null, null, null, null, null, null, null)) "
            't(" Account Id ", "Company", "Revenue", score, day, seen_at, active, tags, '
            f"payload, note)) to '{path}' (format parquet)"
        )
    return path


PARQUET_TYPES = {
    "duckdb": [
        "INTEGER",
        "VARCHAR",
        "DECIMAL(18,2)",
        "DOUBLE",
        "DATE",
        "TIMESTAMP",
        "BOOLEAN",
        "INTEGER[]",
        "BLOB",
        "VARCHAR",
    ],
    "postgres": [
        "integer",
        "text",
        "numeric(18,2)",
        "double precision",
        "date",
        "timestamp without time zone",
        "boolean",
        "jsonb",
        "bytea",
        "text",
    ],
}
PARQUET_NAMES = [
    "Account Id",
    "Company",
    "Revenue",
    "score",
    "day",
    "seen_at",
    "active",
    "tags",
    "payload",
    "note",
]


def test_parquet_round_trip_keeps_types(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = write_parquet(tmp_path / "accounts.parquet")
    target = ["--table", "accounts", "--schema", SCHEMA, *engine.options]
    code, out, err = run(capsys, str(path), *target)
    assert (code, err) == (0, "")
    types = PARQUET_TYPES[engine.name]
    assert out.splitlines() == [
        f"Loaded {path} into {SCHEMA}.accounts (new table) in {engine.where}.",
        "Read as Parquet.",
        "Rows read: 2; loaded: 2; rejected: 0.",
        "Columns loaded (10, with the file's types):",
        *(f'  "{name}" {type_}' for name, type_ in zip(PARQUET_NAMES, types, strict=True)),
        "",
        "Mapping hint: check it, then paste it under `vars:` in dbt_project.yml, in place of the "
        "vars of the same name (or pass it with dbt --vars):",
        f"  lead_scoring__accounts_schema: {SCHEMA}",
        "  lead_scoring__accounts_columns:",
        '    account_id: "Account Id"',
        '    account_name: "Company"',
        '    annual_revenue: "Revenue"',
        "  # roles no column looks like (map those the file has under another name): domain, "
        "industry,",
        "  #   employee_count, country, created_at, updated_at",
        '  # file columns no role reads: "score", "day", "seen_at", "active", "tags", "payload", '
        '"note"',
    ]
    expected = [
        (
            1,
            "Acme",
            Decimal("12.50"),
            1.5,
            date(2026, 1, 2),
            datetime(2026, 1, 2, 3, 4, 5),
            True,
            [1, 2],
            b"\x00\xff",
            "",  # Parquet values are kept as they are: an empty string stays one
        ),
        (2, None, None, None, None, None, None, None, None, None),
    ]
    query = f'select * from {SCHEMA}.accounts order by "Account Id"'

    def read_back() -> list[tuple]:
        return [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in engine.query(query)
        ]

    assert read_back() == expected
    if engine.name == "postgres":  # information_schema says 'numeric', not numeric(18,2)
        assert [name for name, _ in columns(engine, "accounts")] == PARQUET_NAMES
    else:
        assert columns(engine, "accounts") == list(zip(PARQUET_NAMES, types, strict=True))

    # Loaded again with --replace: the same columns, so emptied and refilled.
    assert run(capsys, str(path), *target, "--replace")[0] == 0
    assert read_back() == expected
    assert engine.query(f"select count(*) from {SCHEMA}.accounts__load_rejected") == [(0,)]


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_postgres_replace_keeps_views_or_says_why_it_cannot(
    tmp_path: Path, capsys: pytest.CaptureFixture, pg_conninfo: str
) -> None:
    con = psycopg2.connect(pg_conninfo)
    con.autocommit = True
    cur = con.cursor()
    cur.execute(f"drop schema if exists {SCHEMA} cascade")
    try:
        first = tmp_path / "first.csv"
        first.write_text("id,name\n1,Ann\n", encoding="utf-8")
        second = tmp_path / "second.csv"
        second.write_text("id,name\n2,Bo\n", encoding="utf-8")
        other = tmp_path / "other.csv"
        other.write_text("id,email\n3,c@x.io\n", encoding="utf-8")
        target = ["--table", "people", "--schema", SCHEMA, "--postgres", pg_conninfo]
        assert run(capsys, str(first), *target)[0] == 0
        cur.execute(f"create view {SCHEMA}.people_names as select name from {SCHEMA}.people")

        assert run(capsys, str(second), *target, "--replace")[0] == 0
        cur.execute(f"select * from {SCHEMA}.people_names")
        assert cur.fetchall() == [("Bo",)]

        assert run(capsys, str(other), *target, "--replace") == (
            1,
            "",
            f"error: {SCHEMA}.people cannot be replaced: other objects depend on it (views a dbt "
            f"build made, for instance: view {SCHEMA}.people_names depends on table "
            f"{SCHEMA}.people), and the file's columns differ from the table's, so it cannot be "
            f"emptied and refilled either. Fix: drop it with its views (drop table {SCHEMA}.people "
            "cascade) and load again, then run dbt build; or load into another --table.\n",
        )
        cur.execute(f"select * from {SCHEMA}.people")
        assert cur.fetchall() == [("2", "Bo")]
    finally:
        cur.execute(f"drop schema if exists {SCHEMA} cascade")
        con.close()


def test_postgres_without_a_conninfo_uses_the_profile_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HOST", "PORT", "USER", "PASSWORD", "DATABASE"):
        monkeypatch.delenv(f"LEAD_SCORING_PG_{name}", raising=False)
    assert load.postgres_environment() == {
        "host": "127.0.0.1",
        "port": "5432",
        "user": "lead_scoring",
        "password": "lead_scoring",
        "dbname": "lead_scoring",
    }
    monkeypatch.setenv("LEAD_SCORING_PG_HOST", "db.internal")
    monkeypatch.setenv("LEAD_SCORING_PG_DATABASE", "crm")
    assert load.postgres_environment() == {
        "host": "db.internal",
        "port": "5432",
        "user": "lead_scoring",
        "password": "lead_scoring",
        "dbname": "crm",
    }


# --------------------------------------------------------------------------- options and hints


def test_defaults_are_lead_scoring_duckdb_and_schema_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("events.tsv").write_text(
        "Activity Id\tLead Id\tActivity Type\tTimestamp\tUrl\tBrowser\n"
        "e1\tL1\tpage_view\t2026-01-02 03:04:05\t/pricing\tFirefox\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "events.tsv", "--table", "events")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Loaded events.tsv into raw.events (new table) in DuckDB file lead_scoring.duckdb.",
        "Read as CSV, delimiter tab (given), encoding utf-8.",
        "Rows read: 1; loaded: 1; rejected: 0.",
        "Columns loaded (6, as text; an empty cell is NULL):",
        '  "Activity Id"',
        '  "Lead Id"',
        '  "Activity Type"',
        '  "Timestamp"',
        '  "Url"',
        '  "Browser"',
        "",
        "Mapping hint: check it, then paste it under `vars:` in dbt_project.yml, in place of the "
        "vars of the same name (or pass it with dbt --vars):",
        "  lead_scoring__events_columns:",
        '    event_id: "Activity Id"',
        '    contact_id: "Lead Id"',
        '    event_type: "Activity Type"',
        '    occurred_at: "Timestamp"',
        '    page_url: "Url"',
        "  # roles no column looks like (map those the file has under another name): campaign, "
        "channel,",
        "  #   properties",
        '  # file columns no role reads: "Browser"',
    ]
    with duckdb.connect("lead_scoring.duckdb", read_only=True) as con:
        assert con.execute("select * from raw.events").fetchall() == [
            ("e1", "L1", "page_view", "2026-01-02 03:04:05", "/pricing", "Firefox")
        ]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('a,b,c\n1,"x;y",3\n', ","),
        ("a;b;c\n1;2,5;3\n4;5,5;6\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("only\n1\n", ","),
    ],
)
def test_the_delimiter_is_detected(tmp_path: Path, text: str, delimiter: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    assert load.sniff_delimiter(path, "utf-8-sig") == delimiter


def test_utf16_with_its_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "excel.txt"
    path.write_bytes("Lead Id\tEmail\nL1\tä@x.io\n".encode("utf-16"))
    database = tmp_path / "w.duckdb"
    code, out, err = run(capsys, str(path), "--table", "contacts", "--duckdb", str(database))
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[1]
        == "Read as CSV, delimiter tab (detected), encoding utf-16 (from its byte order mark)."
    )
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select * from raw.contacts").fetchall() == [("L1", "ä@x.io")]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["f.csv", "--table", "my table"],
            "--table 'my table' is not a plain name. Fix: use letters, digits and underscores, "
            "not starting with a digit (e.g. --table contacts).",
        ),
        (
            ["f.xlsx", "--table", "contacts"],
            "cannot tell the format of f.xlsx from its extension (.xlsx; known: .csv, .tsv, "
            ".txt, .parquet). Fix: pass --format csv, --format tsv or --format parquet.",
        ),
        (
            ["missing.csv", "--table", "contacts"],
            "missing.csv does not exist. Fix: give the path of a CSV or Parquet file.",
        ),
        (
            ["f.csv", "--table", "contacts", "--delimiter", ";;"],
            "--delimiter ';;' is not a delimiter: one character, not a double quote nor a line "
            "break. Fix: e.g. --delimiter ';', --delimiter tab or --delimiter '|'.",
        ),
        (
            ["f.csv", "--table", "contacts", "--encoding", "klingon"],
            "unknown encoding 'klingon'. Fix: give a Python codec name, e.g. --encoding utf-8, "
            "--encoding cp1252 (Windows, Excel), --encoding latin-1 or --encoding utf-16.",
        ),
        (
            ["f.csv", "--table", "contacts", "--format", "parquet"],
            "f.csv cannot be read as Parquet: Invalid Input Error: No magic bytes found at end "
            "of file 'f.csv'. Fix: check the file, or pass --format csv if it is a CSV file.",
        ),
        (
            ["f.xlsx", "--table", "contacts", "--format", "parquet", "--delimiter", ";"],
            "--delimiter and --encoding apply to CSV files, and f.xlsx is read as Parquet. Fix: "
            "leave them out, or pass --format csv if the file is CSV.",
        ),
        (
            ["empty.csv", "--table", "contacts"],
            "empty.csv is empty. Fix: export the file again with a header line naming the columns.",
        ),
        (
            ["--table", "contacts", "--postgres", "f.csv"],
            "no FILE given ('f.csv' was read as the --postgres connection string). Fix: put the "
            "file first: leadscoring load FILE --table NAME --postgres",
        ),
    ],
)
def test_bad_input_is_a_message_and_exit_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.csv").write_text("a,b\n" + "1,2\n" * 10, encoding="utf-8")
    Path("f.xlsx").write_text("a,b\n1,2\n", encoding="utf-8")
    Path("empty.csv").write_text("", encoding="utf-8")
    assert run(capsys, *arguments) == (1, "", f"error: {message}\n")
    assert not Path("lead_scoring.duckdb").exists()


def test_help_explains_every_option(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["load", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for expected in (
        "usage: leadscoring load FILE --table NAME [--schema SCHEMA] [--duckdb PATH | --postgres",
        "--duckdb PATH",
        "--postgres [CONNINFO]",
        "--replace",
        "--append",
        "--format {csv,tsv,parquet}",
        "--delimiter CHAR",
        "--encoding NAME",
        "an empty cell, quoted or not, is NULL",
        "<table>__load_rejected (source_file, line_number, reason, raw_line;",
        "exit status: 0 when the file is loaded (rejected rows included), 1 on an error",
    ):
        assert expected in text, expected


def test_roles_are_matched_by_name_then_by_synonym() -> None:
    assert load.match_roles(
        "contacts",
        ["Prospect ID", "Id", "EMAIL", "E-mail", "Job Title", "Title", "Lead Source", "Origin"],
    ) == {
        "contact_id": "Prospect ID",
        "email": "EMAIL",
        "job_title": "Job Title",
        "lead_source": "Lead Source",
    }
    assert load.match_roles("conversions", ["Opportunity Id", "Contact_ID", "Close Date"]) == {
        "conversion_id": "Opportunity Id",
        "contact_id": "Contact_ID",
        "converted_at": "Close Date",
    }


def test_extra_attribute_names_are_snake_case_and_unique() -> None:
    taken: set[str] = set()
    names = [
        load.attribute_name(column, taken)
        for column in ("Total Visits", "total-visits", "Città", "2nd Phone", "Industry", "%%")
    ]
    assert names == [
        "total_visits",
        "total_visits_2",
        "citta",
        "attribute_2nd_phone",
        "contact_industry",
        "attribute",
    ]
