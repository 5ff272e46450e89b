"""The reports lead_scoring__sla_monthly, lead_scoring__bias_check and lead_scoring__bias_rules.

Ten hand-made contacts are scored by point tables of this module (one score
model, `default`, without decay, so that a score only moves when an event
happens): fit_vp (seniority VP) 20, eng_demo (demo requested) 30 and eng_open
(email opened) 10 per event, neg_unsub (unsubscribed) -30, and neg_country_nk
(country North Korea) -10, which fires for nobody. Bands: cold 0, warm 20,
hot 40, MQL 60, SQL 80 (ranks 1 to 5). Events happen at noon (or just after),
so the band at the end of their day includes them.

The project is built once as of 2026-07-01 00:00:00 with the history
backfilled from 2026-03-01 (days 2026-03-01 .. 2026-06-30 recorded, the end of
2026-02-28 as the baseline), with every test, on DuckDB and PostgreSQL.

Each contact's band changes (the day, from -> to) and its final total:

    c01 VP, Germany, created 03-02: 20 warm (entered 03-02), demo 03-05 -> 50
        hot, open 03-09 -> 60 MQL (NEW MQL in March, 7 days after creation),
        unsubscribe 04-10 -> 30 warm, demo 04-20 -> 60 MQL (a second crossing:
        not new). Converted on 03-20. Final 60 (MQL).
    c02 VP, Germany, created 03-10: two demos the same day -> 20 + 60 = 80:
        enters at SQL on 03-10 (NEW MQL and NEW SQL in March, 0 days). Final 80.
    c03 Manager, France, created 01-15: two demos in January -> 60, MQL before
        the history began; unsubscribe 03-15 -> 30 warm, demo 03-25 -> 60 MQL:
        not new (it was MQL before its first recorded crossing). Converted
        (02-01), which does not matter. Final 60.
    c04 Manager, France, created 03-01: 0 cold, three opens 03-20 -> 30 warm,
        demo 04-03 -> 60 MQL (NEW MQL in April, 33 days: 31 in March + 2).
        Converted on 05-01. Final 60.
    c05 Manager, Japan, created 03-20: demo 03-28 -> 30 warm, demo 04-15 -> 60
        MQL (NEW MQL in April, 26 days: 11 in March + 15), two opens 05-05 ->
        80 SQL (NEW SQL in May, not a new MQL). Final 80.
    c06 Individual Contributor, Japan, created 03-03: two opens 03-04 -> 20
        warm. Final 20.
    c07 Individual Contributor, no country, created 03-03: 0 cold. Final 0.
    c08 VP, Japan, created 03-12: demo that day -> 50, enters at hot; open
        03-14 -> 60 MQL (NEW MQL in March, 2 days); unsubscribe 05-20 -> 30
        warm. Final 30.
    c09 Manager, France, created 04-01: 0 cold. Final 0.
    c10 Director, Germany, created 02-01: three demos 02-05 -> 90 SQL before
        the history began; no band change. Final 90.

Targets (seed sla_targets): March 4 MQLs and 2 SQLs, April 2 and 1, June 2
MQLs and no SQL target.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from leadscoring.contract import seed_file

from tests.python.warehouse import (
    SCORING_CONFIG,
    DbtFailed,
    Warehouse,
    duckdb_warehouse,
    number,
    warehouses,
    write_raw_csvs,
)

AS_OF = "2026-07-01 00:00:00"
BUILD_VARS = {"lead_scoring__as_of": AS_OF, "lead_scoring__history_backfill_from": "2026-03-01"}
REPORTS = ("path:models/reports", "lead_scoring__assert_no_rule_scores_a_sensitive_attribute")

# The point tables of this module; the other seeds are those of tests/python/scoring_config.
SEEDS: dict[str, list[list[str]]] = {
    "score_models": [["default", "One model without decay", "", "", "", ""]],
    "score_model_segments": [],
    "explicit_rules": [["fit_vp", "default", "seniority", "equals", "vp", "", "", "20", "", "VP"]],
    "implicit_rules": [
        ["eng_demo", "default", "demo_requested", "", "", "30", "", "", "", "", "", "Demo"],
        ["eng_open", "default", "email_opened", "", "", "10", "", "", "", "", "", "Open"],
    ],
    "negative_rules": [
        ["neg_unsub", "default", "event", "", "", "", "", "", "email_unsubscribed", "", "",
         "-30", "1", "", "", "", "", "Unsubscribed"],
        ["neg_country_nk", "default", "attribute", "country", "equals", "North Korea", "", "",
         "", "", "", "-10", "", "", "", "", "", "Scores a country"],
    ],
    "repeat_rules": [],
    "combination_rules": [],
    "combination_rule_steps": [],
    "point_caps": [],
    "score_bands": [
        ["default", "cold", "0", "Cold"],
        ["default", "warm", "20", "Warm"],
        ["default", "hot", "40", "Hot"],
        ["default", "MQL", "60", "MQL"],
        ["default", "SQL", "80", "SQL"],
    ],
    "fit_grades": [["default", "D", "0", "D"], ["default", "A", "20", "A"]],
    "engagement_levels": [["default", "2", "0", "2"], ["default", "1", "40", "1"]],
    "sla_targets": [
        ["default", "2026-03-01", "4", "2", "Plan"],
        ["default", "2026-04-01", "2", "1", "Plan"],
        ["default", "2026-06-01", "2", "", "Plan, no SQL target"],
    ],
}  # fmt: skip
SLA_TARGETS_HEADER = ["score_model", "month", "target_mqls", "target_sqls", "description"]


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def contact(contact_id: str, seniority: str, country: str | None, created: str) -> tuple:
    return (contact_id, f"{contact_id}@example.org", "Ana", "Silva", None, f"{seniority} Ops",
            seniority, "Operations", country, None, "Direct", None,
            ts(created), ts(created))  # fmt: skip


def events(contact_id: str, event_type: str, *moments: str) -> list[tuple]:
    return [
        (f"{contact_id}_{event_type}_{i}", contact_id, event_type, ts(at), None, None, None, None)
        for i, at in enumerate(moments)
    ]


RAW = {
    "contacts": [
        contact("c01", "VP", "Germany", "2026-03-02 09:00"),
        contact("c02", "VP", "Germany", "2026-03-10 10:00"),
        contact("c03", "Manager", "France", "2026-01-15 09:00"),
        contact("c04", "Manager", "France", "2026-03-01 08:00"),
        contact("c05", "Manager", "Japan", "2026-03-20 09:00"),
        contact("c06", "Individual Contributor", "Japan", "2026-03-03 09:00"),
        contact("c07", "Individual Contributor", None, "2026-03-03 09:00"),
        contact("c08", "VP", "Japan", "2026-03-12 09:00"),
        contact("c09", "Manager", "France", "2026-04-01 09:00"),
        contact("c10", "Director", "Germany", "2026-02-01 09:00"),
    ],
    "events": [
        *events("c01", "demo_requested", "2026-03-05 12:00", "2026-04-20 12:00"),
        *events("c01", "email_opened", "2026-03-09 12:00"),
        *events("c01", "email_unsubscribed", "2026-04-10 12:00"),
        *events("c02", "demo_requested", "2026-03-10 14:00", "2026-03-10 15:00"),
        *events("c03", "demo_requested", "2026-01-20 12:00", "2026-01-20 13:00",
                "2026-03-25 12:00"),
        *events("c03", "email_unsubscribed", "2026-03-15 12:00"),
        *events("c04", "email_opened", "2026-03-20 12:00", "2026-03-20 13:00",
                "2026-03-20 14:00"),
        *events("c04", "demo_requested", "2026-04-03 12:00"),
        *events("c05", "demo_requested", "2026-03-28 12:00", "2026-04-15 12:00"),
        *events("c05", "email_opened", "2026-05-05 12:00", "2026-05-05 13:00"),
        *events("c06", "email_opened", "2026-03-04 12:00", "2026-03-04 13:00"),
        *events("c08", "demo_requested", "2026-03-12 13:00"),
        *events("c08", "email_opened", "2026-03-14 12:00"),
        *events("c08", "email_unsubscribed", "2026-05-20 12:00"),
        *events("c10", "demo_requested", "2026-02-05 12:00", "2026-02-05 13:00",
                "2026-02-05 14:00"),
    ],
    "conversions": [
        ("cv01", "c01", ts("2026-03-20 10:00"), "opportunity_created", None),
        ("cv03", "c03", ts("2026-02-01 10:00"), "opportunity_created", None),
        ("cv04", "c04", ts("2026-05-01 10:00"), "won", 1000),
    ],
}  # fmt: skip


def write_seeds(seeds: Path) -> None:
    """Replace the seeds SEEDS names (keeping each header; sla_targets gets its own)."""
    for name, rows in SEEDS.items():
        path = seeds / seed_file(name)
        if name == "sla_targets":
            header = SLA_TARGETS_HEADER
        else:
            with (SCORING_CONFIG / seed_file(name)).open(newline="", encoding="utf-8") as handle:
                header = next(csv.reader(handle))
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"sla_bias_{request.param}")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp / "build", conninfo, "pytest_sla_bias"):
        write_seeds(built.project / "seeds")
        built.load(write_raw_csvs(tmp / "raw", RAW))
        statuses = built.dbt("build", variables=BUILD_VARS)
        failed = {
            name: status for name, status in statuses.items() if status not in ("pass", "success")
        }
        assert failed == {}
        yield built


def rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    return [tuple(number(v) for v in row) for row in warehouse.query(sql)]


def test_the_band_changes_are_those_worked_out(warehouse: Warehouse) -> None:
    """The scenario itself: c01 crosses into MQL twice, c03 leaves MQL before it crosses."""
    transitions = rows(
        warehouse,
        "select contact_id, transitioned_on, from_band, to_band "
        f"from {warehouse.relation('', 'lead_scoring__score_transitions')} "
        "where contact_id in ('c01', 'c03') order by contact_id, transitioned_on",
    )
    assert transitions == [
        ("c01", date(2026, 3, 2), None, "warm"),
        ("c01", date(2026, 3, 5), "warm", "hot"),
        ("c01", date(2026, 3, 9), "hot", "MQL"),
        ("c01", date(2026, 4, 10), "MQL", "warm"),
        ("c01", date(2026, 4, 20), "warm", "MQL"),
        ("c03", date(2026, 3, 15), "MQL", "warm"),
        ("c03", date(2026, 3, 25), "warm", "MQL"),
    ]


def test_sla_monthly(warehouse: Warehouse) -> None:
    report = rows(
        warehouse,
        "select score_model, month, mqls, sqls, target_mqls, target_sqls, mql_attainment, "
        "sql_attainment, median_days_to_mql, mqls_converted, share_of_mqls_converted "
        f"from {warehouse.relation('', 'lead_scoring__sla_monthly')} order by score_model, month",
    )
    assert report == [
        # March: new MQLs c01 (7 days), c02 (0), c08 (2): 3 of a target of 4 = 0.75;
        # median of 0, 2, 7 = 2; c01 converted: 1 of 3. New SQL c02: 1 of 2 = 0.5.
        ("default", date(2026, 3, 1), 3, 1, 4, 2, 0.75, 0.5, 2.0, 1, 1 / 3),
        # April: new MQLs c04 (33 days) and c05 (26): 2 of 2 = 1.0; median (26 + 33) / 2
        # = 29.5; c04 converted: 1 of 2. No new SQL: 0 of 1. c01's and c03's
        # crossings of this month are not new.
        ("default", date(2026, 4, 1), 2, 0, 2, 1, 1.0, 0.0, 29.5, 1, 0.5),
        # May: c05 becomes SQL (it was MQL already); no target.
        ("default", date(2026, 5, 1), 0, 1, None, None, None, None, None, 0, None),
        # June: a target and nothing else: 0 of 2.
        ("default", date(2026, 6, 1), 0, 0, 2, None, 0.0, None, None, 0, None),
    ]


BIAS_COLUMNS = (
    "attribute, attribute_value, is_sensitive, contacts, avg_total_score, median_total_score, "
    "mql_contacts, mql_rate, overall_mql_rate, mql_rate_ratio, max_ratio, is_flagged"
)


def bias_check(warehouse: Warehouse) -> list[tuple]:
    # Sorted here: '(missing)' sorts first by bytes (DuckDB) and among the m's in a
    # language collation (PostgreSQL).
    return sorted(
        rows(
            warehouse,
            f"select {BIAS_COLUMNS} from {warehouse.relation('', 'lead_scoring__bias_check')} "
            "where score_model = 'default'",
        )
    )


def test_bias_check_flags_groups_beyond_the_ratio(warehouse: Warehouse) -> None:
    # Final totals: c01 60, c02 80, c03 60, c04 60, c05 80, c06 20, c07 0, c08 30,
    # c09 0, c10 90. In the MQL band (60) or above: c01 c02 c03 c04 c05 c10 = 6 of
    # 10, overall rate 0.6. Ratio = (mql / contacts) / 0.6; flagged above 1.25 or
    # below 1 / 1.25 = 0.8.
    assert bias_check(warehouse) == [
        # c07 has no country: 0 of 1, ratio 0.
        ("country", "(missing)", False, 1, 0.0, 0.0, 0, 0.0, 0.6, 0.0, 1.25, True),
        # france: c03 60, c04 60, c09 0: avg 40, median 60, 2 of 3; ratio 20 / 18.
        ("country", "france", False, 3, 40.0, 60.0, 2, 2 / 3, 0.6, 20 / 18, 1.25, False),
        # germany: c01 60, c02 80, c10 90: avg 230 / 3, median 80, 3 of 3; ratio 30 / 18.
        ("country", "germany", False, 3, 230 / 3, 80.0, 3, 1.0, 0.6, 30 / 18, 1.25, True),
        # japan: c05 80, c06 20, c08 30: avg 130 / 3, median 30, 1 of 3; ratio 10 / 18.
        ("country", "japan", False, 3, 130 / 3, 30.0, 1, 1 / 3, 0.6, 10 / 18, 1.25, True),
        # director: c10 90, 1 of 1; ratio 10 / 6.
        ("seniority", "director", False, 1, 90.0, 90.0, 1, 1.0, 0.6, 10 / 6, 1.25, True),
        # individual contributor: c06 20, c07 0: avg 10, median (0 + 20) / 2 = 10, 0 of 2.
        ("seniority", "individual contributor", False, 2, 10.0, 10.0, 0, 0.0, 0.6, 0.0, 1.25,
         True),
        # manager: c03 60, c04 60, c05 80, c09 0: avg 50, median (60 + 60) / 2, 3 of 4 =
        # 0.75; ratio 30 / 24 = 1.25 exactly: at the limit, not above it, not flagged.
        ("seniority", "manager", False, 4, 50.0, 60.0, 3, 0.75, 0.6, 1.25, 1.25, False),
        # vp: c01 60, c02 80, c08 30: avg 170 / 3, median 60, 2 of 3; ratio 20 / 18.
        ("seniority", "vp", False, 3, 170 / 3, 60.0, 2, 2 / 3, 0.6, 20 / 18, 1.25, False),
    ]  # fmt: skip


def test_no_sensitive_attribute_no_bias_rules(warehouse: Warehouse) -> None:
    assert (
        warehouse.query(f"select * from {warehouse.relation('', 'lead_scoring__bias_rules')}") == []
    )


def test_a_sensitive_attribute_lists_its_rules_and_warns(warehouse: Warehouse) -> None:
    statuses = warehouse.dbt(
        "build",
        "--select",
        *REPORTS,
        variables={
            **BUILD_VARS,
            "lead_scoring__sensitive_attributes": ["country"],
            "lead_scoring__bias_max_ratio": 2,
        },
    )
    # A warning, not an error: the build succeeds and says what to review.
    assert statuses["lead_scoring__assert_no_rule_scores_a_sensitive_attribute"] == "warn"
    assert rows(
        warehouse,
        "select rule_id, score_model, attribute, points, point_table, category, operator, "
        f"rule_value from {warehouse.relation('', 'lead_scoring__bias_rules')}",
    ) == [
        ("neg_country_nk", "default", "country", -10.0, "negative_rules", "negative", "equals",
         "North Korea"),
    ]  # fmt: skip
    # country is now sensitive; with a ratio of 2 only groups above 1.2 or below
    # 0.3 are flagged: germany (1.0) and japan (1/3) are not any more, the groups
    # without MQLs still are.
    flags = {
        (attribute, value): (sensitive, ratio, flagged)
        for attribute, value, sensitive, *_, ratio, flagged in bias_check(warehouse)
    }
    assert flags == {
        ("country", "france"): (True, 2.0, False),
        ("country", "germany"): (True, 2.0, False),
        ("country", "japan"): (True, 2.0, False),
        ("country", "(missing)"): (True, 2.0, True),
        ("seniority", "director"): (False, 2.0, False),
        ("seniority", "individual contributor"): (False, 2.0, True),
        ("seniority", "manager"): (False, 2.0, False),
        ("seniority", "vp"): (False, 2.0, False),
    }
    # Back to the defaults for the other tests of the module.
    warehouse.dbt("build", "--select", *REPORTS, variables=BUILD_VARS)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"lead_scoring__bias_attributes": ["country", "shoe_size"]},
            "var lead_scoring__bias_attributes names 'shoe_size', which is not an attribute "
            "rules can name. Fix: list attributes of var lead_scoring__attributes",
        ),
        (
            # A name is never SQL: it is refused before it could reach the model.
            {"lead_scoring__sensitive_attributes": ["country') or ('1' = '1"]},
            "var lead_scoring__sensitive_attributes names 'country') or ('1' = '1', which is "
            "not an attribute rules can name.",
        ),
        (
            {"lead_scoring__bias_attributes": "country"},
            "var lead_scoring__bias_attributes must be a list of attribute names",
        ),
        (
            {"lead_scoring__bias_max_ratio": 0.8},
            "var lead_scoring__bias_max_ratio is '0.8'. Fix: give a number greater than 1",
        ),
    ],
)
def test_a_wrong_var_stops_the_build_with_the_fix(
    tmp_path: Path, variables: dict, message: str
) -> None:
    warehouse = duckdb_warehouse(tmp_path)
    with pytest.raises(DbtFailed) as failure:
        warehouse.dbt(
            "compile",
            "--select",
            "lead_scoring__bias_check lead_scoring__bias_rules",
            variables=variables,
        )
    assert message in str(failure.value)
