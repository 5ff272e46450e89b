"""A point table's header line is data: no header cell ever runs as SQL.

dbt creates a seed's table from the CSV's header cells. A copy of the test
point tables (tests/python/scoring_config) is seeded, a victim table `x` with
two rows is planted where an unqualified name lands (DuckDB: the schema
main; PostgreSQL: the schema of the connection's search path, one of this
test), and a point table gets one more column whose header cell is SQL:

    z varchar); drop table x; create table injected_by_header (v

Three cases: that header in lead_scoring__explicit_rules.csv, whose rows get an
empty cell; that header in lead_scoring__point_caps.csv emptied down to its
header (on PostgreSQL the injection needs no row: with rows, the insert after
the `create table` fails and dbt rolls both back); and the same with double
quotes in lead_scoring__point_caps.csv (`z" varchar); ... ("v`), which quoting
alone, without doubling the quotes, would let through. Before, every column of
every seed is text, as the column_types of seeds/_seeds.yml say, under its
quoted name. After `dbt seed --full-refresh`:

- every relation (schema, name, type) is as before, exactly; every column
  too, but for the one the header added to the seed, named by the header
  cell as it was written;
- x still holds its two rows, and no relation named injected_by_header exists;
- `leadscoring validate` reports the header cell, with the file, line 1 and
  the fix;
- the seed test has_only_declared_columns fails for that seed only, naming
  the column; it passes for every other seed.

DuckDB's database is this test's own file: every relation in it is compared.
The PostgreSQL server is shared with other builds, so the comparison covers
the schemas of this test (its builds, its raw data and its search path);
that no injected_by_header exists is checked in the whole database.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from leadscoring.contract import seed_file, seed_name
from leadscoring.validate import validate_point_tables

from tests.python.warehouse import DbtFailed, Warehouse, warehouses, write_raw_csvs

HEADER = "z varchar); drop table x; create table injected_by_header (v"
QUOTED_HEADER = 'z" varchar); drop table x; create table injected_by_header ("v'
EXPLICIT_COLUMNS = (
    "rule_id,score_model,attribute,operator,value,min_value,max_value,points,cap_group,description"
)
CAPS_COLUMNS = "score_model,cap_group,max_points,description"
# (point table, its columns, the header cell added, whether the rows are kept)
CASES = {
    "sql_with_rows": ("explicit_rules", EXPLICIT_COLUMNS, HEADER, True),
    "sql_without_rows": ("point_caps", CAPS_COLUMNS, HEADER, False),
    "sql_in_quotes": ("point_caps", CAPS_COLUMNS, QUOTED_HEADER, False),
}
PG_NAME = "pytest_seed_headers"
PG_SEARCH_PATH = f"{PG_NAME}_victim"


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    """The test point tables seeded, and the victim table x planted."""
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp_path / "build", conninfo, PG_NAME):
        # Empty raw tables: dbt checks the sources are there before it runs tests.
        built.load(write_raw_csvs(tmp_path / "raw", {}))
        if built.target == "duckdb":
            built.dbt("seed")
            built.execute("create table main.x (v integer); insert into main.x values (1), (2)")
            yield built
            return
        # Unqualified names of dbt's connection land in a schema of this test.
        profiles = built.project / "profiles.yml"
        text = profiles.read_text(encoding="utf-8")
        schema_line = "      schema: \"{{ env_var('LEAD_SCORING_PG_SCHEMA', 'lead_scoring') }}\"\n"
        assert schema_line in text
        profiles.write_text(
            text.replace(schema_line, f"{schema_line}      search_path: {PG_SEARCH_PATH}\n"),
            encoding="utf-8",
        )
        built.execute(f'drop schema if exists "{PG_SEARCH_PATH}" cascade')
        built.execute(f'create schema "{PG_SEARCH_PATH}"')
        try:
            built.dbt("seed")
            built.execute(
                f'create table "{PG_SEARCH_PATH}".x (v integer); '
                f'insert into "{PG_SEARCH_PATH}".x values (1), (2)'
            )
            yield built
        finally:
            built.execute(f'drop schema if exists "{PG_SEARCH_PATH}" cascade')


def relations(warehouse: Warehouse) -> list[tuple]:
    """Every relation (schema, name, type) the comparison covers, in order."""
    if warehouse.target == "duckdb":
        return warehouse.query(
            "select schema_name, table_name, 'table' from duckdb_tables() where not internal "
            "union all select schema_name, view_name, 'view' from duckdb_views() "
            "where not internal "
            "union all select schema_name, sequence_name, 'sequence' from duckdb_sequences() "
            "union all select schema_name, index_name, 'index' from duckdb_indexes() "
            "order by 1, 2, 3"
        )
    return warehouse.query(
        "select namespace.nspname, class.relname, class.relkind "
        "from pg_class as class "
        "inner join pg_namespace as namespace on class.relnamespace = namespace.oid "
        f"where namespace.nspname like '{PG_NAME}%' order by 1, 2, 3"
    )


def columns(warehouse: Warehouse) -> set[tuple]:
    """Every column (schema, relation, column) the comparison covers."""
    where = "" if warehouse.target == "duckdb" else f"where table_schema like '{PG_NAME}%'"
    return set(
        warehouse.query(
            f"select table_schema, table_name, column_name from information_schema.columns {where}"
        )
    )


def anywhere(warehouse: Warehouse, name: str) -> list[tuple]:
    """The relations of that name in the whole database."""
    if warehouse.target == "duckdb":
        return warehouse.query(
            f"select schema_name from duckdb_tables() where table_name = '{name}' "
            f"union all select schema_name from duckdb_views() where view_name = '{name}'"
        )
    return warehouse.query(
        f"select relnamespace::regnamespace::text from pg_class where relname = '{name}'"
    )


def victim_rows(warehouse: Warehouse) -> list[tuple]:
    schema = "main" if warehouse.target == "duckdb" else PG_SEARCH_PATH
    return warehouse.query(f'select v from "{schema}".x order by v')


def add_column(seed: Path, header: str, keep_rows: bool) -> None:
    """Append a column to the seed: the header cell, and an empty cell in every row kept."""
    with seed.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows = [[*rows[0], header], *([*row, ""] for row in rows[1:] if keep_rows)]
    with seed.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(("table", "expected", "header", "keep_rows"), CASES.values(), ids=CASES)
def test_a_header_cell_is_a_column_name_not_sql(
    warehouse: Warehouse, table: str, expected: str, header: str, keep_rows: bool
) -> None:
    seed, file_name = seed_name(table), seed_file(table)
    config_schema = warehouse.relation("scoring_config", seed).split(".")[0]
    before, columns_before = relations(warehouse), columns(warehouse)
    assert (config_schema, seed, "table" if warehouse.target == "duckdb" else "r") in before
    assert victim_rows(warehouse) == [(1,), (2,)]
    # Quoted column names still get their column_types (seeds/_seeds.yml): varchar, loaded as
    # the adapter's dbt.type_string() (macros/utils/seed_columns.sql): text on PostgreSQL.
    text = "VARCHAR" if warehouse.target == "duckdb" else "text"
    assert warehouse.query(
        "select distinct data_type from information_schema.columns "
        f"where table_schema = '{config_schema}'"
    ) == [(text,)]

    add_column(warehouse.project / "seeds" / file_name, header, keep_rows)
    statuses = warehouse.dbt("seed", "--full-refresh")
    assert set(statuses.values()) == {"success"}

    assert relations(warehouse) == before
    assert columns(warehouse) - columns_before == {(config_schema, seed, header)}
    assert columns_before - columns(warehouse) == set()
    assert victim_rows(warehouse) == [(1,), (2,)]
    assert anywhere(warehouse, "injected_by_header") == []

    # leadscoring validate names the cell, its file and line, and the fix.
    position = expected.count(",") + 2
    problems, _ = validate_point_tables(warehouse.project)
    assert [str(problem) for problem in problems] == [
        f"seeds/{file_name}, line 1: the header cell '{header}' (column {position}) is not a "
        f"column of {file_name}. Fix: remove the column: its header cell and the cell at "
        f"position {position} of every row. {file_name} has the columns {expected}."
    ]

    # dbt's test fails for that seed only, and names the column.
    with pytest.raises(DbtFailed):
        warehouse.dbt("test", "--select", "test_name:has_only_declared_columns", "--store-failures")
    results = json.loads((warehouse.tmp / "target" / "run_results.json").read_text())
    outcome = {
        r["unique_id"].split(".")[2]: (r["status"], r["failures"])
        for r in results["results"]
        if r["unique_id"].startswith("test.")
    }
    seeds = sorted(path.stem for path in (warehouse.project / "seeds").glob("*.csv"))
    assert outcome == {
        # the package's test (lead_scoring.has_only_declared_columns) on each seed
        f"lead_scoring_has_only_declared_columns_{name}_": ("fail", 1)
        if name == seed
        else ("pass", 0)
        for name in seeds
    }
    failed = next(r for r in results["results"] if r["status"] == "fail")
    message = (
        "the seed has a column that seeds/_seeds.yml does not declare for it: remove the column "
        "from the header (line 1) and from every row of the CSV, or correct its name to one of: "
        + expected.replace(",", ", ")
    )
    assert warehouse.query(
        f"select column_name, failure_message from {failed['relation_name']}"
    ) == [(header, message)]
