"""The project's own generic data tests catch what they promise, on every engine.

unique_combination_of_columns guards the keys of the largest tables (contact x
rule x moment). On DuckDB it finds repeated keys by their hash first, then
counts the full keys of those rows only; these tests build a small project,
then add a duplicated key and a near-duplicate (the same key but one column)
to int_lead_scoring__rule_points_capped, and check that exactly the duplicated key is
reported, with its number of rows, on DuckDB (the hashed variant) and
PostgreSQL (the plain one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.python.test_as_of import KNOWN_THEN, NO_TESTS
from tests.python.warehouse import DbtFailed, Warehouse, number, warehouses, write_raw_csvs

AS_OF = "2026-06-06 00:00:00"
UNIQUE_TEST = "test_name:unique_combination_of_columns"


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"data_tests_{request.param}")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp / "build", conninfo, "pytest_data_tests"):
        built.load(write_raw_csvs(tmp / "raw", KNOWN_THEN))
        built.dbt("build", "--select", "+int_lead_scoring__rule_points_capped", *NO_TESTS,
                  variables={"lead_scoring__as_of": AS_OF})  # fmt: skip
        yield built


def failing_rows(warehouse: Warehouse, selection: str) -> list[tuple]:
    """Run the selected tests with --store-failures; return the rows the failing one stored."""
    with pytest.raises(DbtFailed):
        warehouse.dbt("test", "--select", selection, "--store-failures",
                      variables={"lead_scoring__as_of": AS_OF})  # fmt: skip
    results = json.loads((warehouse.tmp / "target" / "run_results.json").read_text())
    failed = [r for r in results["results"] if r["status"] == "fail"]
    assert len(failed) == 1, [(r["unique_id"], r["status"]) for r in results["results"]]
    rows = warehouse.query(
        f"select cast(as_of as varchar), contact_id, score_model, rule_id, occurrences "
        f"from {failed[0]['relation_name']} order by 1, 2, 3, 4"
    )
    return [tuple(number(v) for v in row) for row in rows]


def test_a_repeated_key_is_reported_once_with_its_rows(warehouse: Warehouse) -> None:
    selection = f"{UNIQUE_TEST},int_lead_scoring__rule_points_capped"
    # The clean build passes, with the engine's own variant of the test.
    statuses = warehouse.dbt("test", "--select", selection,
                             variables={"lead_scoring__as_of": AS_OF})  # fmt: skip
    # The project's hooks (on-run-start checks, on-run-end publication) run too.
    tests = {name: status for name, status in statuses.items() if "-on-run-" not in name}
    assert list(tests.values()) == ["pass"]
    assert set(statuses.values()) == {"pass", "success"}
    results = json.loads((warehouse.tmp / "target" / "run_results.json").read_text())
    [compiled] = [
        r["compiled_code"] for r in results["results"] if r["unique_id"].startswith("test.")
    ]
    assert ("hash(" in compiled) == (warehouse.target == "duckdb"), compiled

    capped = warehouse.relation("intermediate", "int_lead_scoring__rule_points_capped")
    schema, table = capped.split(".")
    columns = [
        name
        for (name,) in warehouse.query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' "
            "order by ordinal_position"
        )
    ]
    # The build holds eng_open and eng_pricing for c_change in the default model.
    fired = warehouse.query(
        f"select rule_id from {capped} where contact_id = 'c_change' "
        "and score_model = 'default' order by 1"
    )
    assert ("eng_open",) in fired and ("eng_pricing",) in fired, fired
    moments = warehouse.query(
        f"select cast(as_of as varchar) from {capped} where rule_id = 'eng_open' order by 1"
    )
    assert len(moments) == 2, moments  # the as-of moment and the day end before it
    # eng_open's rows twice; a copy of eng_pricing's rows that differs in
    # rule_id only (a near-duplicate, not a duplicate).
    warehouse.execute(f"insert into {capped} select * from {capped} where rule_id = 'eng_open'")
    near = ", ".join("'eng_pricing_near'" if c == "rule_id" else c for c in columns)
    warehouse.execute(
        f"insert into {capped} ({', '.join(columns)}) "
        f"select {near} from {capped} where rule_id = 'eng_pricing'"
    )
    rows = failing_rows(warehouse, selection)
    assert rows == [(at, "c_change", "default", "eng_open", 2.0) for (at,) in moments], rows
