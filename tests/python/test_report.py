"""Tests of ``leadscoring top``: the report of the top leads of a built DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
from leadscoring.cli import main
from leadscoring.report import top_leads_report

COLUMNS = (
    "contact_id varchar, score_model varchar, email varchar, first_name varchar, "
    "last_name varchar, job_title varchar, company_name varchar, fit_points decimal(28,6), "
    "engagement_points decimal(28,6), negative_points decimal(28,6), "
    "adjustment_points decimal(28,6), total_score decimal(28,6), score_band varchar, "
    "score_band_rank integer, score_matrix varchar, as_of timestamp"
)
ROWS = [
    ("c1", "default", "a@x.io", "Ann", "Lee", "CTO", "X", 42, 60, 0, -2, 100, "SQL", 5, "A1"),
    ("c2", "default", "b@x.io", "Bo", None, None, None, 10, 12.5, -5, 0, 17.5, "cold", 1, "C3"),
    ("c3", "default", None, None, None, None, None, 0, 0, -30, 30, 0, "cold", 1, "D4"),
    ("c1", "emea", "a@x.io", "Ann", "Lee", "CTO", "X", 20, 0, 0, 0, 20, "warm", 2, "B4"),
]


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "scores.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"create table lead_scoring__scores ({COLUMNS})")
        for row in ROWS:
            con.execute(
                "insert into lead_scoring__scores values (" + ", ".join(["?"] * 15) + ", "
                "timestamp '2026-07-01 00:00:00')",
                list(row),
            )
    return path


def test_report_lists_bands_of_every_model_and_the_top_leads(tmp_path: Path) -> None:
    database = _database(tmp_path)
    report = top_leads_report(database, limit=2)
    assert report.splitlines() == [
        f"Lead scores in {database} (score model 'default', as of 2026-07-01 00:00:00): 3 contacts",
        "  SQL: 1, cold: 2",
        "Other score models (contacts they apply to):",
        "  emea: 1 (warm: 1)",
        "",
        "Top 2 leads ('default'; matrix: fit grade A-D, engagement 1-4):",
        "contact  name     job title  company  fit  engagement  negative  floor/ceiling  total"
        "  band  matrix",
        "-------  -------  ---------  -------  ---  ----------  --------  -------------  -----"
        "  ----  ------",
        "c1       Ann Lee  CTO        X         42          60         0             -2    100"
        "  SQL   A1",
        "c2       Bo                            10        12.5        -5              0   17.5"
        "  cold  C3",
        "",
        "Why a lead scored what it did: select * from lead_scoring__score_details "
        "where contact_id = '<contact>' order by score_model, points desc",
    ]


def test_missing_database_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["top", "--duckdb", str(tmp_path / "nope.duckdb")]) == 2
    assert "does not exist. Fix: run `make demo` first" in capsys.readouterr().err


def test_report_shows_the_band_changes_of_the_last_day(tmp_path: Path) -> None:
    database = _database(tmp_path)
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create table lead_scoring__score_transitions (contact_id varchar, "
            "score_model varchar, transitioned_on date, direction varchar, to_band varchar, "
            "to_band_rank integer)"
        )
        con.executemany(
            "insert into lead_scoring__score_transitions values (?, ?, ?, ?, ?, ?)",
            [
                ("c1", "default", "2026-06-30", "up", "SQL", 5),
                ("c4", "default", "2026-06-30", "up", "MQL", 4),
                ("c5", "default", "2026-06-30", "up", "MQL", 4),
                ("c2", "default", "2026-06-30", "down", "cold", 1),
                ("c6", "default", "2026-06-30", "left", None, None),
                ("c3", "default", "2026-06-29", "up", "warm", 2),
                ("c1", "emea", "2026-06-30", "entered", "warm", 2),
            ],
        )
    lines = top_leads_report(database, limit=1).splitlines()
    assert lines[4] == (
        "Band changes on 2026-06-30 ('default', lead_scoring__score_transitions): "
        "up 3 (into SQL: 1, MQL: 2); down 1 (into cold: 1); left 1"
    )
