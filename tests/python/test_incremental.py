"""Incremental builds give exactly what a full refresh gives on the same data.

A generated data set (the demo point tables) is delivered in batches, as a
warehouse receives it: a first build, then three daily builds that each
bring the day's events plus events that arrive late (up to two days, inside
var lead_scoring__lookback_days = 3), a copy of an already staged event, an
exact copy of an event far older than the lookback (found by counting), a
second build on the last day (same as-of) that brings late events of two
contacts and loses one event of a third, so that only those three contacts
are scored again, at the moments from their change on
(int_lead_scoring__contacts_to_rescore), and one build with no new data,
which changes nothing. After the last build, the
scores, their details, lead_scoring__score_history and lead_scoring__score_transitions must
equal those of a full build of the same data that backfills the same days,
on DuckDB and on PostgreSQL.

One contact arrives late too: its events came two builds before it, older
than the lookback. They are quarantined as 'unknown contact_id' until the
contact arrives, then staged. The days before that build cannot know it (they
are no longer restated): the only documented difference from a full refresh.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from leadscoring import demo_data

from tests.python.warehouse import Warehouse, number, warehouses, write_raw_csvs

CONTACTS = 150
SEED = 5
END_DATE = date(2026, 6, 29)
FIRST_AS_OF = "2026-06-26"
DAILY_AS_OF = ["2026-06-27", "2026-06-28", "2026-06-29"]
AS_OF = [FIRST_AS_OF, *DAILY_AS_OF]
FIRST_RECORDED_DAY = "2026-06-22"  # the day before the first as-of, minus 3 lookback days
LATE_CONTACT_BUILD = 2  # the contact arrives with the second daily build
FIRST_DAY_OF_LATE_CONTACT = "2026-06-24"  # the first day that build restates
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")

SCORES = (
    "contact_id, score_model, fit_points, engagement_points, negative_points, adjustment_points, "
    "fit_score, engagement_score, total_score, score_band, score_band_rank, fit_grade, "
    "engagement_level, score_matrix, rules_fired, email, job_title, company_name"
)
DETAILS = (
    "contact_id, score_model, rule_id, category, rule_kind, cap_group, occurrences_matched, "
    "occurrences_counted, base_points, decayed_points, capped_by, points, "
    "cast(last_occurred_at as varchar)"
)
HISTORY = (
    "contact_id, score_model, cast(history_date as varchar), is_scored, total_score, fit_score, "
    "engagement_score, score_band, fit_grade, engagement_level, score_matrix, "
    "previous_total_score, previous_score_band"
)
TRANSITIONS = (
    "contact_id, score_model, cast(transitioned_on as varchar), from_band, to_band, direction, "
    "previous_total_score, total_score"
)


def _read(path: Path) -> list[tuple]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [tuple(None if v == "" else v for v in row) for row in reader]


def _arrival(row: tuple) -> int:
    """The build (0 .. 3) whose delivery first holds a generated event."""
    at = row[3] or ""
    if not at[:4].isdigit() or at >= END_DATE.isoformat():
        return 0  # malformed and future-dated rows: bad from the start
    normal = next(number_ for number_, as_of in enumerate(AS_OF) if at < as_of)
    # Events of 24-27 June whose id ends in 7 arrive one build late.
    is_late = (row[0] or "").endswith("7") and "2026-06-24" <= at < "2026-06-28"
    return normal + 1 if is_late else normal


LATE_CONTACT = ("late_contact", "late@acme-late.io", "Lena", "Tardy", None, "VP Data", "VP",
                "Data", "France", "Europe", "Webinar", None, "2026-06-01 09:00:00",
                "2026-06-01 09:00:00")  # fmt: skip
# Older than the lookback when their contact arrives.
LATE_CONTACT_EVENTS = [
    ("late_e1", "late_contact", "page_view", "2026-06-20 10:00:00",
     "https://www.acmecloud.io/pricing", None, None, None),
    ("late_e2", "late_contact", "webinar_attended", "2026-06-21 10:00:00", None, None, None, None),
]  # fmt: skip


OLD_COPY_BUILD = 3  # the last daily build


def old_copy(events: list[tuple]) -> tuple:
    """An exact copy of an event dated 10 June, re-delivered by the last daily
    build: far older than the lookback, so only counting finds it."""
    return next(r for r in events if r[0] and (r[3] or "").startswith("2026-06-10"))


# The same-day build: the last as-of again, with new late events of two
# contacts and one event of a third no longer delivered.
SAME_DAY_BUILD = len(AS_OF)
BUILD_AS_OF = [*AS_OF, AS_OF[-1]]


def same_day_changes(events: list[tuple]) -> tuple[list[tuple], tuple, set[str]]:
    """New events, the event removed, and the three contacts they belong to."""
    good = [r for r in events if r[0] and r[1] and (r[3] or "")[:4].isdigit()]
    contacts = sorted({r[1] for r in good})
    first, second = contacts[0], contacts[1]
    removed = next(
        r
        for r in sorted(good)
        if r[1] not in (first, second) and "2026-06-27" <= r[3] < "2026-06-28"
    )
    added = [
        ("same_day_1", first, "page_view", "2026-06-28 10:00:00",
         "https://www.acmecloud.io/pricing", None, None, None),
        ("same_day_2", first, "page_view", "2026-06-28 11:00:00",
         "https://www.acmecloud.io/pricing", None, None, None),
        ("same_day_3", second, "webinar_attended", "2026-06-27 15:00:00", None, None, None, None),
    ]  # fmt: skip
    return added, removed, {first, second, removed[1]}


def same_day_earliest_changes(events: list[tuple]) -> dict[str, str]:
    """The time of each same-day change's earliest event, by contact."""
    added, removed, _ = same_day_changes(events)
    earliest: dict[str, str] = {removed[1]: removed[3]}
    for row in added:
        earliest[row[1]] = min(earliest.get(row[1], row[3]), row[3])
    return earliest


def deliveries(tmp: Path) -> list[dict[str, list[tuple]]]:
    """The raw tables as delivered before each build (cumulative), oldest first."""
    out = tmp / "generated"
    demo_data.write_demo_csvs(out, contacts=CONTACTS, seed=SEED, end_date=END_DATE)
    accounts = _read(out / "accounts.csv")
    contacts = _read(out / "contacts.csv")
    events = _read(out / "events.csv")
    # A second copy of a staged event, dated inside the window: a duplicate.
    original = next(r for r in events if r[0] and (r[3] or "").startswith("2026-06-1"))
    copy = (original[0], original[1], original[2], "2026-06-27 12:00:00", None, None, None, None)
    batches = []
    for build in range(len(AS_OF)):
        delivered = [row for row in events if _arrival(row) <= build] + LATE_CONTACT_EVENTS
        if build >= LATE_CONTACT_BUILD:
            delivered.append(copy)
        if build >= OLD_COPY_BUILD:
            delivered.append(old_copy(events))
        batch_contacts = contacts + ([LATE_CONTACT] if build >= LATE_CONTACT_BUILD else [])
        batches.append({"accounts": accounts, "contacts": batch_contacts, "events": delivered})
    added, removed, _ = same_day_changes(events)
    last = batches[-1]
    same_day = [row for row in last["events"] if row != removed] + added
    batches.append({**last, "events": same_day})
    return batches


def rows(warehouse: Warehouse, columns: str, model: str) -> list[tuple]:
    """Every row of a mart, sorted, with numbers as floats."""
    result = warehouse.query(f"select {columns} from {warehouse.relation('', model)}")
    return sorted(
        (tuple(number(v) for v in row) for row in result), key=lambda r: tuple(map(str, r))
    )


def full_build(tmp: Path, engine: str, conninfo, raw: dict, as_of: str, backfill: str | None):
    """A fresh warehouse with the raw data, built in full; its marts."""
    variables = {"lead_scoring__as_of": as_of}
    if backfill:
        variables["lead_scoring__history_backfill_from"] = backfill
    for fresh in warehouses(engine, tmp, conninfo, "pytest_full"):
        fresh.load(write_raw_csvs(tmp / "raw", raw))
        fresh.dbt("build", *NO_TESTS, variables=variables)
        return marts(fresh)
    raise AssertionError("no warehouse")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def marts(warehouse: Warehouse) -> dict[str, list[tuple]]:
    return {
        "scores": rows(warehouse, SCORES, "lead_scoring__scores"),
        "details": rows(warehouse, DETAILS, "lead_scoring__score_details"),
        "history": rows(warehouse, HISTORY, "lead_scoring__score_history"),
        "transitions": rows(warehouse, TRANSITIONS, "lead_scoring__score_transitions"),
    }


def test_incremental_builds_equal_a_full_refresh(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    batches = deliveries(tmp_path)
    generated_events = _read(tmp_path / "generated" / "events.csv")
    for warehouse in warehouses(engine, tmp_path / "incremental", conninfo, "pytest_incremental"):
        for build, as_of in enumerate(BUILD_AS_OF):
            warehouse.load(write_raw_csvs(tmp_path / f"raw_{build}", batches[build]))
            warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": as_of})
            # Unique by construction, never scanned by a data test: every
            # build, re-delivered copies included, stages an event id once.
            repeated = warehouse.query(
                f"select event_id from {warehouse.relation('staging', 'stg_lead_scoring__events')} "
                "group by event_id having count(*) > 1"
            )
            assert repeated == [], f"build {build}: event ids staged twice"
            if build == LATE_CONTACT_BUILD:
                # The late contact has arrived: its older events are staged.
                staged = warehouse.query(
                    "select count(*) "
                    f"from {warehouse.relation('staging', 'stg_lead_scoring__events')} "
                    "where contact_id = 'late_contact'"
                )
                assert staged == [(2,)], "the late contact's older events are staged"
            if build == OLD_COPY_BUILD:
                # The copy of an old event is staged, as a duplicate: nothing lost.
                event_id = old_copy(batches[build]["events"])[0]
                table = warehouse.relation("staging", "stg_lead_scoring__events_rejected")
                rejected = warehouse.query(
                    f"select rejection_reason from {table} where event_id = '{event_id}'"
                )
                assert rejected == [("duplicate event_id: the first row of this event is kept",)]
            if build == SAME_DAY_BUILD:
                # Same moments, three contacts' events changed: only they are scored
                # again, and only at the moments at or after their earliest change.
                changed = warehouse.query(
                    "select contact_id, cast(as_of as varchar) from "
                    f"{warehouse.relation('intermediate', 'int_lead_scoring__contacts_to_rescore')}"
                    " where is_changed"
                )
                moments = warehouse.query(
                    "select cast(as_of as varchar) from "
                    f"{warehouse.relation('intermediate', 'int_lead_scoring__scoring_moments')}"
                )
                earliest = same_day_earliest_changes(generated_events)
                expected = {
                    (contact, moment)
                    for contact, changed_at in earliest.items()
                    for (moment,) in moments
                    if moment >= changed_at
                }
                assert {(c, m) for c, m in changed} == expected
                # Each contact keeps its rows of the moments before its change.
                assert len(expected) < len(earliest) * len(moments)
        last = marts(warehouse)

        # Once more with no new data, running every data test: nothing changes.
        statuses = warehouse.dbt("build", variables={"lead_scoring__as_of": AS_OF[-1]})
        assert set(statuses.values()) <= {"pass", "success"}
        assert marts(warehouse) == last

        full = full_build(
            tmp_path / "full_end", engine, conninfo, batches[-1], AS_OF[-1], FIRST_RECORDED_DAY
        )
        assert last["scores"] == full["scores"]
        assert last["details"] == full["details"]

        def known_then(row: tuple) -> bool:
            return not (row[0] == "late_contact" and row[2] < FIRST_DAY_OF_LATE_CONTACT)

        assert [r for r in last["history"] if not known_then(r)] == []
        assert last["history"] == [r for r in full["history"] if known_then(r)]
        assert last["transitions"] == [r for r in full["transitions"] if known_then(r)]
        assert len(last["history"]) > 100
        assert len(last["transitions"]) > 5
