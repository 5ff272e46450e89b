"""Scoring as of a past moment sees only what was known then.

A contact is a Manager at a 50-person company until 2026-06-10, then a VP
with a phone at a 500-person company; events happen before and after
2026-06-05. The project is built twice as the data changes (its snapshots
record both versions), then scored as of 2026-06-05 00:00:00: that score
must ignore the later events AND the later attribute changes. It is checked
against figures worked out by hand with the test point tables
(tests/python/scoring_config, default model: half-life 30 days), and against
an independent build that only ever saw the data of 2026-06-05.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.python.warehouse import (
    DbtFailed,
    Warehouse,
    duckdb_warehouse,
    number,
    warehouses,
    write_raw_csvs,
)

SITE = "https://www.acmecloud.io"
PAST = "2026-06-05 00:00:00"
LATER = "2026-07-01 00:00:00"
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def account(employees: int, updated: str) -> tuple:
    return ("acc_grow", "Grow Co", "grow.io", "Software", employees, 1_000_000, "Canada",
            ts("2025-01-01 00:00"), ts(updated))  # fmt: skip


def contact(
    contact_id: str, seniority: str, phone: str | None, created: str, updated: str
) -> tuple:
    return (contact_id, f"{contact_id}@grow.io", "Cleo", "Martin", phone, f"{seniority} Ops",
            seniority, "Operations", "Canada", "North America", "Direct", "acc_grow",
            ts(created), ts(updated))  # fmt: skip


def event(
    event_id: str, contact_id: str, event_type: str, at: str, path: str | None = None
) -> tuple:
    url = f"{SITE}{path}" if path else None
    return (event_id, contact_id, event_type, ts(at), url, None, None, None)


# What was known on 2026-06-05: version 1 of the contact and its account, and
# the events up to that moment.
KNOWN_THEN = {
    "accounts": [account(50, "2026-05-01 00:00")],
    "contacts": [contact("c_change", "Manager", None, "2026-04-01 00:00", "2026-05-01 00:00")],
    "events": [
        # 30 days before 2026-06-05: eng_pricing 10 x 0.5^(30/30) = 5.00
        event("e1", "c_change", "page_view", "2026-05-06 00:00:00", "/pricing"),
        # exactly at the as-of moment: counts, eng_open 1 x 0.5^0 = 1.00
        event("e2", "c_change", "email_opened", "2026-06-05 00:00:00"),
    ],
}

# What is known later: version 2 of both (updated 2026-06-10), more events,
# and a contact created after 2026-06-05.
KNOWN_LATER = {
    "accounts": [account(500, "2026-06-10 00:00")],
    "contacts": [
        contact("c_change", "VP", "+1 416 555 0100", "2026-04-01 00:00", "2026-06-10 00:00"),
        contact("c_late", "VP", None, "2026-06-20 00:00", "2026-06-20 00:00"),
    ],
    "events": [
        *KNOWN_THEN["events"],
        # one second after the as-of moment: must not count (eng_demo 30)
        event("e3", "c_change", "demo_requested", "2026-06-05 00:00:01"),
        event("e4", "c_change", "page_view", "2026-06-15 00:00:00", "/pricing"),
        event("e5", "c_late", "email_opened", "2026-06-21 00:00:00"),
    ],
}

SCORE_COLUMNS = (
    "contact_id, score_model, email, job_title, company_name, fit_points, engagement_points, "
    "negative_points, adjustment_points, fit_score, engagement_score, total_score, score_band, "
    "fit_grade, engagement_level, score_matrix, rules_fired, cast(as_of as varchar)"
)
DETAIL_COLUMNS = "contact_id, score_model, rule_id, base_points, decayed_points, points"


def scores(warehouse: Warehouse) -> list[tuple]:
    rows = warehouse.query(
        f"select {SCORE_COLUMNS} from {warehouse.relation('', 'lead_scoring__scores')} "
        "order by 1, 2"
    )
    return [tuple(number(v) for v in row) for row in rows]


def details(warehouse: Warehouse) -> list[tuple]:
    rows = warehouse.query(
        f"select {DETAIL_COLUMNS} from {warehouse.relation('', 'lead_scoring__score_details')} "
        "order by 1, 2, 3"
    )
    return [tuple(number(v) for v in row) for row in rows]


@dataclass
class Built:
    """The warehouse after the two builds, and what lead_scoring__scores said after the second."""

    warehouse: Warehouse
    engine: str
    today: list[tuple]


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    """The project built on the data known then, then again on the data known later."""
    tmp = tmp_path_factory.mktemp(f"as_of_{request.param}")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for warehouse in warehouses(request.param, tmp / "later", conninfo, "pytest_as_of"):
        warehouse.load(write_raw_csvs(tmp / "then", KNOWN_THEN))
        warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": "2026-06-06"})
        warehouse.load(write_raw_csvs(tmp / "now", KNOWN_LATER))
        warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": LATER})
        today = warehouse.query(
            "select fit_points, fit_grade, job_title "
            f"from {warehouse.relation('', 'lead_scoring__scores')} "
            "where contact_id = 'c_change' and score_model = 'default'"
        )
        yield Built(warehouse, request.param, [tuple(number(v) for v in row) for row in today])


def test_the_snapshots_keep_both_versions(built: Built) -> None:
    history_built = built.warehouse
    contacts = history_built.query(
        "select seniority, cast(dbt_valid_from as varchar), cast(dbt_valid_to as varchar) "
        f"from {history_built.relation('snapshots', 'lead_scoring__contacts_snapshot')} "
        "where contact_id = 'c_change' order by dbt_valid_from"
    )
    assert [(s, f[:19], t[:19] if t else None) for s, f, t in contacts] == [
        ("Manager", "2026-05-01 00:00:00", "2026-06-10 00:00:00"),
        ("VP", "2026-06-10 00:00:00", None),
    ]
    accounts = history_built.query(
        "select employee_count "
        f"from {history_built.relation('snapshots', 'lead_scoring__accounts_snapshot')} "
        "order by dbt_valid_from"
    )
    assert accounts == [(50,), (500,)]


def test_today_sees_the_new_version(built: Built) -> None:
    # fit_vp 20 + fit_size 10 (500 in 100..999) + fit_phone 5 = 35 -> grade A (>= 30)
    assert built.today == [(35.0, "A", "VP Ops")]


def test_a_past_moment_ignores_later_events_and_attribute_changes(
    built: Built, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    history_built, engine = built.warehouse, built.engine
    history_built.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": PAST})
    past = scores(history_built)
    # As a Manager at a 50-person company without a phone, no fit rule fires;
    # the pricing view 30 days before (5.00) and the open at the moment itself
    # (1.00) count, the demo request one second later and everything after do
    # not; c_late did not exist yet. Total 6 -> cold, grade D, level 4.
    assert past == [
        ("c_change", "default", "c_change@grow.io", "Manager Ops", "Grow Co", 0.0, 6.0, 0.0,
         0.0, 0.0, 6.0, 6.0, "cold", "D", "4", "D4", 2, PAST),
    ]  # fmt: skip
    assert details(history_built) == [
        ("c_change", "default", "eng_open", 1.0, 1.0, 1.0),
        ("c_change", "default", "eng_pricing", 10.0, 5.0, 5.0),
    ]

    # An independent build that only ever saw the data of that day agrees on
    # every column of the scores and the details.
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for then in warehouses(engine, tmp_path / "then_only", conninfo, "pytest_as_of_then"):
        then.load(write_raw_csvs(tmp_path / "then_csv", KNOWN_THEN))
        then.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": PAST})
        assert scores(then) == past
        assert details(then) == details(history_built)


def test_without_history_the_current_attributes_are_used(built: Built) -> None:
    """lead_scoring__attribute_history: none is the documented leak: today's attributes."""
    history_built = built.warehouse
    history_built.dbt(
        "build",
        *NO_TESTS,
        variables={"lead_scoring__as_of": PAST, "lead_scoring__attribute_history": "none"},
    )
    rows = history_built.query(
        "select fit_points, engagement_points "
        f"from {history_built.relation('', 'lead_scoring__scores')} "
        "where contact_id = 'c_change'"
    )
    # VP, phone and 500 employees (today) score 35; the events still stop at the moment.
    assert [tuple(number(v) for v in row) for row in rows] == [(35.0, 6.0)]


def test_an_impossible_as_of_is_a_clear_error(tmp_path: Path) -> None:
    """A date that does not exist stops at compile time with a message, not a traceback."""
    warehouse = duckdb_warehouse(tmp_path)
    for value in ["2026-02-30", "2026-13-01", "2026-06-30 25:00:00"]:
        with pytest.raises(DbtFailed) as failure:
            warehouse.dbt(
                "compile",
                "--select",
                "int_lead_scoring__scoring_moments",
                variables={"lead_scoring__as_of": value},
            )
        assert f"var lead_scoring__as_of is '{value}', which is not a real date" in str(
            failure.value
        )
    # 29 February exists in leap years.
    warehouse.dbt(
        "compile",
        "--select",
        "int_lead_scoring__scoring_moments",
        variables={"lead_scoring__as_of": "2028-02-29"},
    )
