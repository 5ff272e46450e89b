"""An explicit rule with negative points lowers the fit points, the fit score and the total.

The test point tables (tests/python/scoring_config) get one explicit rule
with negative points, fit_no_phone (-8 when the contact has no phone), and a
cap group `fit` of 25 points for the two positive fit rules fit_vp (20) and
fit_size (10). A negative explicit rule takes no cap_group, like a negative
repeat or combination rule, and a cap group limits positive points only: the
-8 neither counts against the group's 25 points nor makes room in it.

Two hand-made contacts of the default score model (floor 0), as of
2026-06-05, without events:

- c_vp: a VP at a 500-person company, no phone: fit_vp 20 + fit_size 10
  capped to 5 (the group is full at 25) + fit_no_phone -8 = fit 17, total 17;
- c_low: a Manager at a 50-person company, no phone: fit_no_phone -8 = fit
  -8, raised to the floor 0 by an adjustment row of +8.

The whole project is built with every test, on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from leadscoring.contract import seed_file

from tests.python.warehouse import Warehouse, number, warehouses, write_raw_csvs

AS_OF = "2026-06-05 00:00:00"
NEGATIVE_RULE = ["fit_no_phone", "default", "phone", "is_missing", "", "", "", "-8", "",
                 "No phone number to call"]  # fmt: skip
FIT_CAP = ["default", "fit", "25", "Fit rules at most 25 points"]


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def contact(contact_id: str, seniority: str, account_id: str) -> tuple:
    # Created 16 days before the as-of moment: too recent for the inactivity rule.
    return (contact_id, f"{contact_id}@grow.io", "Cleo", "Martin", None, f"{seniority} Ops",
            seniority, "Operations", "Canada", "North America", "Direct", account_id,
            ts("2026-05-20 00:00"), ts("2026-05-20 00:00"))  # fmt: skip


def account(account_id: str, employees: int) -> tuple:
    return (account_id, "Grow Co", "grow.io", "Software", employees, 1_000_000, "Canada",
            ts("2025-01-01 00:00"), ts("2025-01-01 00:00"))  # fmt: skip


RAW = {
    "accounts": [account("acc_big", 500), account("acc_small", 50)],
    "contacts": [contact("c_vp", "VP", "acc_big"), contact("c_low", "Manager", "acc_small")],
}


def add_rows(seed: Path, rows: list[list[str]], **cells: dict[str, str]) -> None:
    """Append rows to a seed, and set cells of existing rows: {first cell: {column: value}}."""
    with seed.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    for row in table[1:]:
        for column, value in cells.get(row[0], {}).items():
            row[header.index(column)] = value
    with seed.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([*table, *rows])


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"negative_explicit_{request.param}")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp / "build", conninfo, "pytest_negative_explicit"):
        seeds = built.project / "seeds"
        add_rows(seeds / seed_file("explicit_rules"), [NEGATIVE_RULE],
                 fit_vp={"cap_group": "fit"}, fit_size={"cap_group": "fit"})  # fmt: skip
        add_rows(seeds / seed_file("point_caps"), [FIT_CAP])
        built.load(write_raw_csvs(tmp / "raw", RAW))
        statuses = built.dbt("build", variables={"lead_scoring__as_of": AS_OF})
        failed = {
            name: status for name, status in statuses.items() if status not in ("pass", "success")
        }
        assert failed == {}
        yield built


def test_the_fit_points_fit_score_and_total(warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select contact_id, fit_points, engagement_points, negative_points, adjustment_points, "
        "fit_score, engagement_score, total_score, fit_grade, score_matrix, score_band, "
        f"rules_fired from {warehouse.relation('', 'lead_scoring__scores')} "
        "where score_model = 'default' order by contact_id"
    )
    assert [tuple(number(v) for v in row) for row in rows] == [
        ("c_low", -8.0, 0.0, 0.0, 8.0, -8.0, 0.0, 0.0, "D", "D4", "cold", 1),
        ("c_vp", 17.0, 0.0, 0.0, 0.0, 17.0, 0.0, 17.0, "C", "C4", "cold", 3),
    ]
    # The contacts are in North America, without events: the default model only.
    models = warehouse.query(
        f"select distinct score_model from {warehouse.relation('', 'lead_scoring__scores')}"
    )
    assert models == [("default",)]


def test_the_details_explain_every_point(warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select contact_id, rule_id, category, rule_kind, score_dimension, cap_group, "
        "occurrences_matched, occurrences_counted, points_per_occurrence, base_points, "
        "decayed_points, capped_by, points "
        f"from {warehouse.relation('', 'lead_scoring__score_details')} order by contact_id, rule_id"
    )
    assert [tuple(number(v) for v in row) for row in rows] == [
        ("c_low", "fit_no_phone", "explicit", "attribute", "fit", None,
         1, 1, -8.0, -8.0, -8.0, None, -8.0),
        ("c_low", "score_floor", "adjustment", "adjustment", "total", None,
         1, 1, 8.0, 8.0, 8.0, None, 8.0),
        ("c_vp", "fit_no_phone", "explicit", "attribute", "fit", None,
         1, 1, -8.0, -8.0, -8.0, None, -8.0),
        # The group of 25 is full after fit_vp (20): fit_size keeps 5 of its 10,
        # whatever the negative rule takes away.
        ("c_vp", "fit_size", "explicit", "attribute", "fit", "fit",
         1, 1, 10.0, 10.0, 10.0, "cap_group", 5.0),
        ("c_vp", "fit_vp", "explicit", "attribute", "fit", "fit",
         1, 1, 20.0, 20.0, 20.0, None, 20.0),
    ]  # fmt: skip
