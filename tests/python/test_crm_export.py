"""A CRM export, as a new user has it, scored with only vars and a point table.

The export is one CSV: ids and columns named otherwise ("Lead Id", "Email
Address"), spaces and parentheses in the names, Yes/No columns, a form's
default choice ("Select") and "n/a" meaning "not filled in", values padded
with tabs, carriage returns and non-breaking spaces, aggregated behaviour
columns (total visits, time on site), a converted flag and no dates of
conversion; no events table and no accounts table. It is loaded with
`leadscoring load`, mapped with vars, scored by one explicit rules table that
uses every kind of attribute (text, number by buckets and per unit, boolean,
date by age and by dates, negative points), on DuckDB and PostgreSQL. Every
expected figure below is worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from leadscoring.contract import seed_file

from tests.python.warehouse import Warehouse, number, warehouses

AS_OF = "2026-06-30"
HEADER = [
    "Lead Id", "Email Address", "Job Title", "Lead Source", "Country", "Total Visits",
    "Time On Site (min)", "Do Not Email", "First Contact Date", "Company Size", "Converted",
]  # fmt: skip
ROWS = [
    ["L-001", "ann@acme.com", "Marketing Manager\t", "Referral", "France", "5", "12.5", "No",
     "2026-05-01", "51-200", "Yes"],
    ["L-002", "bob@beta.io", "Engineer", "Select", "-", "n/a", "100", "Yes", "2026-02-15",
     "Select", "No"],
    [" L-003 ", "CAROL@GAMMA.COM\r", "VP\r", "Referral\u00a0", "Germany", "lots", "", "maybe",
     "2026-13-01", "", "Yes"],
    ["L-004", "dan@delta.com", "Sales Manager", "Web", "Spain", "12", "0", "no", "2026-06-30",
     "51-200", "yes"],
    ["L-005", "", "", "", "", "1", "3", "", "2026-03-31", "", ""],
]  # fmt: skip

VARS = {
    "lead_scoring__as_of": AS_OF,
    "lead_scoring__contacts_identifier": "crm_leads",
    "lead_scoring__accounts_identifier": None,
    "lead_scoring__events_identifier": None,
    "lead_scoring__conversions_identifier": "crm_leads",
    "lead_scoring__contacts_columns": {
        "contact_id": "Lead Id",
        "email": "Email Address",
        "job_title": "Job Title",
        "lead_source": "Lead Source",
        "country": "Country",
    },
    "lead_scoring__conversions_columns": {"contact_id": "Lead Id", "is_converted": "Converted"},
    "lead_scoring__extra_contact_attributes": {
        "total_visits": {"kind": "number", "column": "Total Visits"},
        "time_on_site": {"kind": "number", "column": "Time On Site (min)"},
        "do_not_email": {"kind": "boolean", "column": "Do Not Email"},
        "first_contact": {"kind": "date", "column": "First Contact Date"},
        "company_size": {"kind": "text", "column": "Company Size"},
    },
    # The form's default choice means "not filled in" too.
    "lead_scoring__missing_value_tokens": ["select", "n/a", "-"],
}

# The point tables: one explicit rules table, the bucket set it names, and
# one score model with bands and fit grades. Every other table is empty: no
# engagement rules and, since there is no engagement, no engagement levels.
SEEDS = {
    "score_models": [
        "score_model,description,min_total,max_total,half_life_days,timeframe_days",
        "default,CRM leads,0,,,",
    ],
    "score_bands": [
        "score_model,band,min_score,description",
        "default,cold,0,Cold", "default,warm,20,Warm", "default,MQL,40,MQL",
    ],
    "fit_grades": [
        "score_model,grade,min_points,description",
        "default,D,0,D", "default,C,10,C", "default,B,20,B", "default,A,30,A",
    ],
    "explicit_rules": [
        "rule_id,score_model,attribute,operator,value,min_value,max_value,points,cap_group,description",
        "r_manager,default,job_title,contains,manager,,,10,,Managers",
        "r_referral,default,lead_source,equals,referral,,,15,,Referred",
        "r_visits,default,total_visits,buckets,visits,,,,,Visits by bucket",
        "r_time,default,time_on_site,per_unit,,,40,0.5,,Half a point per minute on site up to 40",
        "r_do_not_email,default,do_not_email,equals,true,,,-20,,Cannot be emailed",
        "r_recent,default,first_contact,age_between,,0,90,5,,First contact in the last 90 days",
        "r_q1,default,first_contact,between,,2026-01-01,2026-03-31,3,,First contact in Q1 2026",
        "r_size,default,company_size,equals,51-200,,,8,,Mid-sized company",
        "r_no_country,default,country,is_missing,,,,-5,,No country given",
    ],
    "number_buckets": [
        "bucket_set,min_value,max_value,points,description",
        "visits,1,4,5,1 to 3 visits", "visits,4,11,10,4 to 10 visits",
        "visits,11,,15,11 visits or more",
    ],
}  # fmt: skip
EMPTY_SEEDS = [
    "combination_rule_steps", "combination_rules", "email_domains", "engagement_levels",
    "event_types", "implicit_rules", "negative_rules", "page_categories", "placeholder_names",
    "point_caps", "repeat_rules", "score_model_segments", "predictive_weights", "sla_targets",
]  # fmt: skip

# (contact_id, fit_points, adjustment_points, total_score, score_band, fit_grade)
EXPECTED_SCORES = [
    # manager 10 (tab trimmed) + referral 15 + 5 visits: bucket 4-11 = 10
    # + 12.5 minutes x 0.5 = 6.25 + first contact 60 days ago = 5 + 51-200 = 8
    ("L-001", 54.25, 0.0, 54.25, "MQL", "A"),
    # 100 minutes counted up to 40: 20; do not email -20; Q1 (15 Feb) 3;
    # country '-' is missing: -5; 'n/a' visits and 'Select' source and size
    # are missing. -2, raised to the floor 0 (adjustment +2).
    ("L-002", -2.0, 2.0, 0.0, "cold", "D"),
    # 'Referral' + no-break space is referral: 15. 'lots', 'maybe' and
    # '2026-13-01' cannot be read: no rule on them fires.
    ("L-003", 15.0, 0.0, 15.0, "cold", "C"),
    # manager 10 + 12 visits: bucket 11+ = 15 + first contact today (age 0) 5
    # + 51-200 = 8; 0 minutes on site give nothing; 'no' is false.
    ("L-004", 38.0, 0.0, 38.0, "warm", "A"),
    # 1 visit 5 + 3 minutes 1.5 + 31 March is in Q1 (inclusive) 3, but 91
    # days old (not recent); no country -5.
    ("L-005", 4.5, 0.0, 4.5, "cold", "D"),
]

EXPECTED_L002_DETAILS = [
    ("r_do_not_email", -20.0),
    ("r_no_country", -5.0),
    ("r_q1", 3.0),
    ("r_time", 20.0),
    ("score_floor", 2.0),
]

EXPECTED_ISSUES = [
    ("L-002", "total_visits", "n/a",
     "a missing-value token (var lead_scoring__missing_value_tokens): read as missing"),
    ("L-003", "do_not_email", "maybe",
     "not a yes/no value (true/false, yes/no, y/n, t/f, 1/0)"),
    ("L-003", "first_contact", "2026-13-01", "not a date (YYYY-MM-DD, optionally with a time)"),
    ("L-003", "total_visits", "lots", "not a number"),
]  # fmt: skip


def write_seeds(folder: Path) -> Path:
    """The point tables of this CRM project (header-only files for the unused ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    project_seeds = Path(__file__).resolve().parents[2] / "seeds"
    for table, lines in SEEDS.items():
        (folder / seed_file(table)).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for table in EMPTY_SEEDS:
        header = (project_seeds / seed_file(table)).read_text(encoding="utf-8").splitlines()[0]
        (folder / seed_file(table)).write_text(header + "\n", encoding="utf-8")
    return folder


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"crm_{request.param}")
    seeds = write_seeds(tmp / "seeds")

    def conninfo() -> str:
        return request.getfixturevalue("pg_conninfo")

    for warehouse in warehouses(request.param, tmp, conninfo, "pytest_crm", seeds=seeds):
        export = tmp / "crm export.csv"
        with open(export, "w", encoding="utf-8", newline="") as handle:
            # Quoted, as exports quote: the carriage return stays in its cell.
            writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writerow(HEADER)
            writer.writerows(ROWS)
        output = warehouse.load_file(export, "crm_leads")
        assert "Rows read: 5; loaded: 5; rejected: 0." in output, output
        warehouse.dbt("seed", variables=VARS)
        warehouse.dbt("build", variables=VARS)
        yield warehouse


def test_scores_by_hand(built: Warehouse) -> None:
    rows = built.query(
        "select contact_id, fit_points, adjustment_points, total_score, score_band, fit_grade, "
        "engagement_level, score_matrix "
        f"from {built.relation('', 'lead_scoring__scores')} order by contact_id"
    )
    assert [tuple(number(v) for v in row) for row in rows] == [
        (*expected, None, None) for expected in EXPECTED_SCORES
    ]


def test_every_point_is_explained(built: Warehouse) -> None:
    rows = built.query(
        f"select rule_id, points from {built.relation('', 'lead_scoring__score_details')} "
        "where contact_id = 'L-002' order by rule_id"
    )
    assert [(rule, number(points)) for rule, points in rows] == EXPECTED_L002_DETAILS


def test_unreadable_values_are_listed_and_the_contacts_kept(built: Warehouse) -> None:
    rows = built.query(
        "select record_id, attribute, raw_value, reason "
        f"from {built.relation('staging', 'stg_lead_scoring__attribute_issues')} "
        "order by record_id, attribute"
    )
    assert rows == EXPECTED_ISSUES
    staged = built.query(
        "select contact_id, email, job_title, lead_source, country, total_visits, do_not_email, "
        f"first_contact from {built.relation('staging', 'stg_lead_scoring__contacts')} "
        "order by contact_id"
    )
    assert [(row[0], row[1], row[2], row[3], row[4]) for row in staged] == [
        ("L-001", "ann@acme.com", "Marketing Manager", "Referral", "France"),
        ("L-002", "bob@beta.io", "Engineer", None, None),
        ("L-003", "carol@gamma.com", "VP", "Referral", "Germany"),
        ("L-004", "dan@delta.com", "Sales Manager", "Web", "Spain"),
        ("L-005", None, None, None, None),
    ]
    assert [(number(row[5]), row[6]) for row in staged] == [
        (5.0, False), (None, True), (None, None), (12.0, False), (1.0, None),
    ]  # fmt: skip


def test_a_converted_flag_without_dates_gives_conversions(built: Warehouse) -> None:
    staged = built.query(
        "select conversion_id, contact_id, outcome, converted_at "
        f"from {built.relation('staging', 'stg_lead_scoring__conversions')} order by conversion_id"
    )
    assert staged == [
        ("L-001", "L-001", "won", None),
        ("L-003", "L-003", "won", None),
        ("L-004", "L-004", "won", None),
    ]
    rejected = built.query(
        "select conversion_id, rejection_reason "
        f"from {built.relation('staging', 'stg_lead_scoring__conversions_rejected')} "
        "order by conversion_id"
    )
    assert rejected == [
        ("L-002", "not a conversion: is_converted is false or empty"),
        ("L-005", "not a conversion: is_converted is false or empty"),
    ]


def test_absent_sources_are_empty(built: Warehouse) -> None:
    for model in [
        "stg_lead_scoring__events",
        "stg_lead_scoring__events_rejected",
        "stg_lead_scoring__accounts",
        "stg_lead_scoring__accounts_rejected",
    ]:
        assert built.query(f"select count(*) from {built.relation('staging', model)}") == [(0,)]


def validate(built: Warehouse, variables: dict) -> subprocess.CompletedProcess:
    """`leadscoring validate --sources` on the built project, with the vars given."""
    return subprocess.run(
        [sys.executable, "-m", "leadscoring", "validate", "--project-dir", str(built.project),
         "--vars", json.dumps({**variables, "lead_scoring__source_schema": built.raw_schema}),
         "--sources", "--target", built.target],
        capture_output=True, text=True, check=False, env={**os.environ, **built.env},
    )  # fmt: skip


def test_validate_reads_the_vars_and_checks_the_sources(built: Warehouse) -> None:
    result = validate(built, VARS)
    assert result.returncode == 0, result.stderr
    raw = built.raw_schema
    assert result.stdout.splitlines() == [
        "Point tables OK: 9 rules in 5 rule files, 3 bands, 4 fit grades, 0 engagement levels, "
        "1 score models.",
        f"source contacts: {raw}.crm_leads OK; roles absent (empty): first_name, last_name, "
        "phone, seniority, department, region, account_id, created_at, updated_at",
        "source accounts: absent (lead_scoring__accounts_identifier is null)",
        "source events: absent (lead_scoring__events_identifier is null)",
        f"source conversions: {raw}.crm_leads OK; roles absent (empty): conversion_id, "
        "converted_at, outcome, amount",
    ]


def test_validate_names_a_mapped_column_that_is_not_there(built: Warehouse) -> None:
    broken = {**VARS, "lead_scoring__contacts_columns": {"contact_id": "Lead ID number"}}
    result = validate(built, broken)
    assert result.returncode == 1
    assert (
        f"Source table {built.raw_schema}.crm_leads has no column 'Lead ID number' for "
        "contact_id (var lead_scoring__contacts_columns.contact_id)"
    ) in result.stderr, result.stderr
    assert "The sources are not ready for a build" in result.stderr


# Under 63 bytes: PostgreSQL's longest identifier.
HOSTILE_HEADER = 'n"); drop table victim; create table injected_by_header (v'


def test_a_source_column_name_is_data(built: Warehouse, tmp_path: Path) -> None:
    """A header cell holding a double quote and SQL is one column name, never SQL."""
    raw = built.raw_schema
    built.execute(f"create table {raw}.victim as select 1 as v")
    path = tmp_path / "hostile.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["contact_id", HOSTILE_HEADER])
        writer.writerow(["h1", "kept as data"])
    built.load_file(path, "hostile")
    variables = {
        **VARS,
        "lead_scoring__contacts_identifier": "hostile",
        "lead_scoring__contacts_columns": {},
        "lead_scoring__extra_contact_attributes": {
            "note": {"kind": "text", "column": HOSTILE_HEADER}
        },
    }
    built.dbt("run", "--select", "base_lead_scoring__contacts_mapped", variables=variables)
    assert built.query(
        "select contact_id, note "
        f"from {built.relation('staging', 'base_lead_scoring__contacts_mapped')}"
    ) == [("h1", "kept as data")]
    assert built.query(f"select v from {raw}.victim") == [(1,)]
    assert built.query(
        "select count(*) from information_schema.tables where table_name = 'injected_by_header'"
    ) == [(0,)]
    # Back to the CRM export for the other tests of the module.
    built.dbt("run", "--select", "base_lead_scoring__contacts_mapped", variables=VARS)
