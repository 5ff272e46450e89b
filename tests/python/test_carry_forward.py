"""A build at a new as-of moment carries rules forward instead of computing them.

int_lead_scoring__engagement_rules_fired keeps each row's unrounded `decayed_sum`. On a
build at a later as-of moment, the event rules of a contact with no new
event since the last moment stored, and no occurrence leaving a rule's
timeframe in between, are not computed again: the stored row is carried to
the new moment, times 0.5^(days / half-life). test_incremental proves that
the result equals a full refresh; this test proves that the rows really are
carried, by planting a known `decayed_sum` in the stored rows and reading
what the next build made of it:

- a quiet contact (no event on the new day): every event rule's points at
  the two new moments (the day end, a day later, and the as-of moment at
  noon, a day and a half later) are 100 x 0.5^(days / half-life), rounded,
  from the planted 100;
- a contact with an event on the new day, and a quiet contact whose webinar
  leaves the 60-day timeframe of the emea score model's webinar rule on the
  new day: computed again, the planted value is gone;
- repeat and combination rules without a timeframe: an occurrence planted
  at the last moment is copied to the new ones for the quiet contact, and
  gone for the contact with a new event (computed again).

It starts from a table written before the column existed (dropped after the
first build): the next build adds it (a pre-hook), computes everything,
and only the build after that carries.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from leadscoring import demo_data

from tests.python.warehouse import warehouses, write_raw_csvs

CONTACTS = 60
SEED = 11
END_DATE = date(2026, 6, 29)
# The last build is at noon: two new moments, the day end and the as-of moment.
AS_OF = ["2026-06-26 00:00:00", "2026-06-27 00:00:00", "2026-06-28 12:00:00"]
NEW_MOMENTS = {"2026-06-28 00:00:00": 1.0, "2026-06-28 12:00:00": 1.5}  # days after AS_OF[1]
NEW_DAY = ("2026-06-27 00:00:00", "2026-06-28 12:00:00")  # (carried from, to]
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
PLANTED = 100.0
PLANTED_AT = "2026-06-01 01:02:03"
# Occurrence tables, and a rule of each without a timeframe (tests/python/scoring_config).
OCCURRENCES = [
    ("int_lead_scoring__repeat_rule_occurrences", "rep_pricing"),
    ("int_lead_scoring__combination_rule_occurrences", "combo_first_days"),
]


def _read(path: Path) -> list[tuple]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [tuple(None if v == "" else v for v in row) for row in reader]


def raw_data(tmp: Path) -> tuple[dict[str, list[tuple]], str, str, str]:
    """The generated tables, plus a webinar that leaves its timeframe on the
    new day; the quiet, busy and leaving contacts."""
    out = tmp / "generated"
    demo_data.write_demo_csvs(out, contacts=CONTACTS, seed=SEED, end_date=END_DATE)
    tables = {name: _read(out / f"{name}.csv") for name in ("accounts", "contacts", "events")}
    events = tables["events"]
    # Contacts by number of events, most first (so that rules fire for them).
    counts = Counter(r[1] for r in events if r[0] and r[1])
    by_events = sorted(counts, key=lambda c: (-counts[c], c))
    on_new_day = {r[1] for r in events if r[3] and NEW_DAY[0] < r[3] <= NEW_DAY[1]}
    # Events near 28 April may leave a 60-day timeframe on the new day.
    near_exit = {r[1] for r in events if r[3] and "2026-04-26" <= r[3] < "2026-05-01"}
    quiet = [c for c in by_events if c not in on_new_day and c not in near_exit]
    busy = [c for c in by_events if c in on_new_day and c not in near_exit]
    leaving = quiet[1]
    # 60 days before 28 June is 29 April: a webinar on 28 April at noon is
    # inside the timeframe on 27 June and outside it on 28 June.
    events.append(
        ("leave_1", leaving, "webinar_attended", "2026-04-28 12:00:00", None, None, None, None)
    )
    return tables, quiet[0], busy[0], leaving


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def test_event_rules_are_carried_forward(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    tables, quiet, busy, leaving = raw_data(tmp_path)
    contacts = (quiet, busy, leaving)
    for warehouse in warehouses(engine, tmp_path / "w", conninfo, "pytest_carry"):
        fired = warehouse.relation("intermediate", "int_lead_scoring__engagement_rules_fired")
        rules = warehouse.relation("intermediate", "int_lead_scoring__scoring_rules_unioned")
        warehouse.load(write_raw_csvs(tmp_path / "raw", tables))
        warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF[0]})

        # As a version without the column left it.
        warehouse.execute(f"alter table {fired} drop column decayed_sum")
        warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF[1]})
        nulls = warehouse.query(
            f"select cast(as_of as varchar), count(*) - count(decayed_sum) from {fired} "
            "group by as_of order by as_of"
        )
        # Added, empty on the rows kept from before, filled on the new moment.
        assert [moment for moment, missing in nulls if missing] == [m for m, _ in nulls[:-1]]
        assert nulls[-1] == (AS_OF[1], 0)

        event_rows = (
            f"from {fired} as fired inner join {rules} as rules on fired.rule_id = rules.rule_id "
            "where rules.rule_kind = 'event' and fired.contact_id in ('{}', '{}', '{}')"
        ).format(*contacts)
        before = warehouse.query(
            f"select fired.contact_id, count(*) {event_rows} and fired.as_of = '{AS_OF[1]}' "
            "group by fired.contact_id"
        )
        assert {contact for contact, _ in before} == set(contacts)
        warehouse.execute(
            f"update {fired} set decayed_sum = {PLANTED} where as_of = '{AS_OF[1]}' "
            "and contact_id in ('{}', '{}', '{}')".format(*contacts)
        )
        # An occurrence no event gives, of a rule without a timeframe. No
        # combination fires in this small data set, and a moment a table
        # holds no row of counts as new (every contact is computed there,
        # and nothing is carried): the combination table gets a row at each
        # moment, as a table at scale has.
        for table, rule in OCCURRENCES:
            relation = warehouse.relation("intermediate", table)
            moments = warehouse.query(f"select distinct cast(as_of as varchar) from {fired}")
            for (moment,) in moments:
                for contact in (quiet, busy):
                    warehouse.execute(
                        f"insert into {relation} (contact_id, rule_id, as_of, occurred_at) "
                        f"values ('{contact}', '{rule}', '{moment}', '{PLANTED_AT}')"
                    )
        warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF[2]})

        for moment, days in NEW_MOMENTS.items():
            # Copied to each new moment for the quiet contact only.
            for table, rule in OCCURRENCES:
                copied = warehouse.query(
                    f"select contact_id, rule_id from {warehouse.relation('intermediate', table)} "
                    f"where as_of = '{moment}' and occurred_at = '{PLANTED_AT}'"
                )
                assert copied == [(quiet, rule)], (table, moment)

            after = warehouse.query(
                "select fired.contact_id, fired.rule_id, rules.half_life_days, "
                f"fired.decayed_points {event_rows} and fired.as_of = '{moment}'"
            )

            def planted_after(half_life: object, days: float = days) -> float:
                factor = 1.0 if half_life is None else 0.5 ** (days / float(half_life))
                return round(PLANTED * factor, 2)

            carried = [(rule, float(points)) for c, rule, _, points in after if c == quiet]
            expected = [(rule, planted_after(h)) for c, rule, h, _ in after if c == quiet]
            assert carried and carried == expected, moment
            assert dict(before)[quiet] == len(carried)
            for other in (busy, leaving):
                points = [(h, float(p)) for c, _, h, p in after if c == other]
                assert points, f"{other}: no event rule at {moment}"
                assert not any(p == planted_after(h) for h, p in points), (
                    f"{other}: carried to {moment}, should be computed again"
                )
