"""Input that used to be staged or scored wrongly, on DuckDB and PostgreSQL.

- values padded with tabs, carriage returns, line feeds and no-break spaces
  (spreadsheet exports) are trimmed of them, so a 'VP' rule fires;
- a stale copy of a contact whose updated_at lies in the future (2099) never
  wins over the current row, nor does a row updated after the as-of moment;
- a contact created in the future (a typo year) is quarantined with a reason;
- an event id, or a conversion id, delivered twice whose first copy cannot be
  used (unknown contact, unknown event type) keeps its good copy, in a full
  build and in an incremental build where the good copy arrives later;
- a missing source table, a missing column and a malformed as-of moment stop
  the build at once with a message naming the var, and the fix.

The raw tables are text, loaded from CSV files with `leadscoring load`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.python.warehouse import DbtFailed, Warehouse, number, warehouses

AS_OF = "2026-04-01"
COLUMNS = {
    "contacts": [
        "contact_id", "email", "first_name", "last_name", "phone", "job_title", "seniority",
        "department", "country", "region", "lead_source", "account_id", "created_at", "updated_at",
    ],
    "accounts": [
        "account_id", "account_name", "domain", "industry", "employee_count", "annual_revenue",
        "country", "created_at", "updated_at",
    ],
    "events": [
        "event_id", "contact_id", "event_type", "occurred_at", "page_url", "campaign", "channel",
        "properties",
    ],
    "conversions": ["conversion_id", "contact_id", "converted_at", "outcome", "amount"],
}  # fmt: skip
CONTACT = {"created_at": "2026-01-01", "updated_at": "2026-01-02"}
RAW = {
    "contacts": [
        {**CONTACT, "contact_id": "c_ok", "email": "ok@example.com"},
        # Tab, carriage return, line feed and no-break space around the values.
        {**CONTACT, "contact_id": "\tc_pad\u00a0", "email": "PAD@Example.com\r\n",
         "seniority": "\tVP\r", "job_title": "\u00a0Head of Data \u2003", "country": "Germany\n"},
        # The current row, and a stale copy dated 2099 (a typo year).
        {**CONTACT, "contact_id": "c_stale", "seniority": "vp", "updated_at": "2026-03-01"},
        {**CONTACT, "contact_id": "c_stale", "seniority": "intern", "updated_at": "2099-01-01"},
        {**CONTACT, "contact_id": "c_future", "created_at": "2099-05-05", "updated_at": ""},
        # Two versions in the raw table: the second is after the as-of moment (2026-04-01).
        {**CONTACT, "contact_id": "c_versions", "seniority": "intern", "updated_at": "2026-03-15"},
        {**CONTACT, "contact_id": "c_versions", "seniority": "vp", "updated_at": "2026-05-01"},
    ],
    "accounts": [],
    "events": [
        # The first copy (by time) points to an unknown contact, the second is good.
        {"event_id": "e_dup", "contact_id": "c_ghost", "event_type": "page_view",
         "occurred_at": "2026-03-01 10:00:00"},
        {"event_id": "e_dup", "contact_id": "c_ok", "event_type": "page_view",
         "occurred_at": "2026-03-01 11:00:00"},
        # The first copy has an event type nobody knows.
        {"event_id": "e_dup_type", "contact_id": "c_ok", "event_type": "made_up",
         "occurred_at": "2026-03-02 10:00:00"},
        {"event_id": "e_dup_type", "contact_id": "c_ok", "event_type": "email_clicked",
         "occurred_at": "2026-03-02 11:00:00"},
        {"event_id": "e_ok", "contact_id": "c_ok", "event_type": "page_view",
         "occurred_at": "2026-03-25 09:00:00"},
        # Two copies, neither usable for now: no contact, and a contact that arrives later.
        {"event_id": "e_two_bad", "contact_id": "", "event_type": "page_view",
         "occurred_at": "2026-01-05 09:00:00"},
        {"event_id": "e_two_bad", "contact_id": "c_new", "event_type": "page_view",
         "occurred_at": "2026-01-05 10:00:00"},
        # Only an unusable copy for now; its good copy arrives after the first build.
        {"event_id": "e_late", "contact_id": "c_ghost", "event_type": "page_view",
         "occurred_at": "2026-01-10 09:00:00"},
    ],
    "conversions": [
        {"conversion_id": "v_dup", "contact_id": "c_ghost", "converted_at": "2026-03-01",
         "outcome": "won"},
        {"conversion_id": "v_dup", "contact_id": "c_ok", "converted_at": "2026-03-02",
         "outcome": "won"},
    ],
}  # fmt: skip
LATE_COPY = {
    "event_id": "e_late",
    "contact_id": "c_ok",
    "event_type": "page_view",
    "occurred_at": "2026-03-30 09:00:00",
}
VARS = {"lead_scoring__as_of": AS_OF}
DUPLICATE_EVENT = "duplicate event_id: the first row of this event is kept"


def load_raw(warehouse: Warehouse, tmp: Path, rows: dict[str, list[dict]]) -> None:
    """Write each raw table as a quoted CSV and load it (as text) with `leadscoring load`."""
    tmp.mkdir(parents=True, exist_ok=True)
    for table, columns in COLUMNS.items():
        path = tmp / f"{table}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writerow(columns)
            for row in rows[table]:
                writer.writerow([row.get(column, "") for column in columns])
        output = warehouse.load_file(path, table, "--replace")
        assert f"loaded: {len(rows[table])}; rejected: 0." in output, output


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"edge_{request.param}")

    def conninfo() -> str:
        return request.getfixturevalue("pg_conninfo")

    for warehouse in warehouses(request.param, tmp / "w", conninfo, "pytest_edge"):
        load_raw(warehouse, tmp / "raw", RAW)
        warehouse.dbt("build", variables=VARS)
        yield warehouse


def staged(warehouse: Warehouse, model: str, columns: str, key: str) -> list[tuple]:
    return warehouse.query(
        f"select {columns} from {warehouse.relation('staging', model)} order by {key}, 2"
    )


def test_every_whitespace_character_is_trimmed(built: Warehouse) -> None:
    rows = built.query(
        "select contact_id, email, seniority, job_title, country "
        f"from {built.relation('staging', 'stg_lead_scoring__contacts')} where contact_id = 'c_pad'"
    )
    assert rows == [("c_pad", "pad@example.com", "VP", "Head of Data", "Germany")]
    # The 'vp' rule fires on the padded value: 20 fit points.
    scores = built.query(
        f"select contact_id, fit_points from {built.relation('', 'lead_scoring__scores')} "
        "where score_model = 'default' and contact_id in ('c_pad', 'c_stale') order by 1"
    )
    assert [(c, number(p)) for c, p in scores] == [("c_pad", 20.0), ("c_stale", 20.0)]


UPDATED_LATER = (
    "duplicate contact_id: updated after the as-of moment; an earlier row of this contact is kept"
)


def test_an_updated_at_after_the_as_of_moment_never_wins(built: Warehouse) -> None:
    assert staged(built, "stg_lead_scoring__contacts", "contact_id, seniority", "contact_id") == [
        ("c_ok", None),
        ("c_pad", "VP"),
        ("c_stale", "vp"),
        ("c_versions", "intern"),
    ]
    assert staged(
        built, "stg_lead_scoring__contacts_rejected", "contact_id, seniority, rejection_reason", "1"
    ) == [
        ("c_future", None, "created_at is in the future"),
        ("c_stale", "intern", UPDATED_LATER),
        ("c_versions", "vp", UPDATED_LATER),
    ]
    # As of 2026-04-01 the contact was an intern: the 'vp' rule does not fire.
    scores = built.query(
        f"select fit_points from {built.relation('', 'lead_scoring__scores')} "
        "where score_model = 'default' and contact_id = 'c_versions'"
    )
    assert [number(p) for (p,) in scores] == [0.0]


def test_a_usable_copy_of_an_event_or_a_conversion_is_kept(built: Warehouse) -> None:
    assert staged(
        built, "stg_lead_scoring__events", "event_id, contact_id, event_type", "event_id"
    ) == [
        ("e_dup", "c_ok", "page_view"),
        ("e_dup_type", "c_ok", "email_clicked"),
        ("e_ok", "c_ok", "page_view"),
    ]
    assert staged(
        built,
        "stg_lead_scoring__events_rejected",
        "event_id, contact_id, event_type, rejection_reason",
        "1",
    ) == [
        ("e_dup", "c_ghost", "page_view", DUPLICATE_EVENT),
        ("e_dup_type", "c_ok", "made_up", DUPLICATE_EVENT),
        ("e_late", "c_ghost", "page_view", "unknown contact_id"),
        ("e_two_bad", "c_new", "page_view", DUPLICATE_EVENT),
        ("e_two_bad", None, "page_view", "missing contact_id"),
    ]
    assert staged(built, "stg_lead_scoring__conversions", "conversion_id, contact_id", "1") == [
        ("v_dup", "c_ok")
    ]
    assert staged(
        built, "stg_lead_scoring__conversions_rejected", "contact_id, rejection_reason", "1"
    ) == [("c_ghost", "duplicate conversion_id: the first row is kept")]


def test_a_good_copy_arriving_later_wins_in_an_incremental_build(
    built: Warehouse, tmp_path: Path
) -> None:
    """The good copy arrives after its unusable copy was staged, across the cutoff; and a copy
    rejected as a duplicate of an unusable copy is staged once its contact arrives."""
    later = {
        **RAW,
        "events": [*RAW["events"], LATE_COPY],
        # The contact of e_two_bad's second copy arrives: that copy wins now.
        "contacts": [*RAW["contacts"], {**CONTACT, "contact_id": "c_new"}],
    }
    load_raw(built, tmp_path / "later", later)
    built.dbt("build", variables=VARS)
    rows = staged(
        built, "base_lead_scoring__events", "event_id, contact_id, rejection_reason", "event_id"
    )
    late = [row for row in rows if row[0] == "e_late"]
    assert late == [
        ("e_late", "c_ghost", DUPLICATE_EVENT),
        ("e_late", "c_ok", None),
    ]
    # The same as a full build of the same raw rows (batch_at aside: when each row was written).
    columns = (
        "event_id, contact_id, event_type, occurred_at, page_url, page_path, campaign, channel"
    )
    incremental = staged(built, "stg_lead_scoring__events", columns, "event_id")
    built.dbt("build", "--full-refresh", variables=VARS)
    assert staged(built, "stg_lead_scoring__events", columns, "event_id") == incremental
    assert [row[:2] for row in incremental] == [
        ("e_dup", "c_ok"), ("e_dup_type", "c_ok"), ("e_late", "c_ok"), ("e_ok", "c_ok"),
        ("e_two_bad", "c_new"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"lead_scoring__accounts_identifier": "no_such_table"},
            ["Source table", ".no_such_table (the accounts source) does not exist",
             "lead_scoring__accounts_identifier",
             "or set lead_scoring__accounts_identifier: null if you have no accounts"],
        ),
        (
            {"lead_scoring__contacts_columns": {"email": "E-mail Address"}},
            ["has no column 'E-mail Address' for email",
             "(var lead_scoring__contacts_columns.email)",
             "Fix: map email onto the column that holds it in var lead_scoring__contacts_columns"],
        ),
        (
            {"lead_scoring__events_identifier": "contacts"},
            ["has no column 'event_id' for event_id",
             "(var lead_scoring__events_columns (role event_id, not mapped))"],
        ),
        (
            {"lead_scoring__as_of": "2026-02-30"},
            ["var lead_scoring__as_of is '2026-02-30', which is not a real date",
             "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'"],
        ),
        (
            {"lead_scoring__as_of": "25:00:00"},
            ["var lead_scoring__as_of is '25:00:00', which is not a date",
             "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'"],
        ),
    ],
    ids=["missing-table", "missing-mapped-column", "missing-column", "impossible-as-of",
         "malformed-as-of"],
)  # fmt: skip
def test_a_broken_setup_stops_before_anything_runs(
    built: Warehouse, variables: dict, expected: list[str]
) -> None:
    with pytest.raises(DbtFailed) as failure:
        built.dbt("build", variables={**VARS, **variables})
    message = str(failure.value)
    for text in expected:
        assert text in message, message
    # Stopped before any node ran (in on-run-start, or while dbt parsed the project).
    assert " START " not in message, message


def test_without_an_as_of_the_latest_row_before_the_build_wins(built: Warehouse) -> None:
    """Now (no as-of): the row of 2026-05-01 is current; the one dated 2099 still never wins.
    Last in this file: rebuilding stg_lead_scoring__contacts alone drops the views on it on
    PostgreSQL."""
    built.dbt(
        "run",
        "--select",
        "base_lead_scoring__contacts",
        "stg_lead_scoring__contacts",
        "stg_lead_scoring__contacts_rejected",
    )
    current = staged(built, "stg_lead_scoring__contacts", "contact_id, seniority", "contact_id")
    assert [row for row in current if row[0] in ("c_stale", "c_versions")] == [
        ("c_stale", "vp"),
        ("c_versions", "vp"),
    ]
    assert staged(
        built, "stg_lead_scoring__contacts_rejected", "contact_id, seniority, rejection_reason", "1"
    ) == [
        ("c_future", None, "created_at is in the future"),
        ("c_stale", "intern", UPDATED_LATER),
        ("c_versions", "intern", "duplicate contact_id: a more recent row of this contact is kept"),
    ]
