"""The benchmark's independent implementations agree with the models, row for row.

A small data set of ``leadscoring bench``'s generator (every rule of the demo
point tables fires in it) and the demo data set of ``leadscoring generate`` are
built with dbt on DuckDB; the hand-written query (``leadscoring.bench.handquery``)
and the pandas implementation (``leadscoring.bench.pandas_scores``) must give
exactly the rows of ``lead_scoring__scores``: every contact and score model, every
point sum, band, grade, level, matrix cell and rule count. The same holds after
1% new events (some late, some of new contacts) are appended and dbt runs again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from leadscoring import demo_data
from leadscoring.bench import command, compare, datagen, handquery, pandas_scores
from leadscoring.bench.measure import StepFailed, run_measured

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEEDS = PROJECT_DIR / "seeds"
DBT = str(Path(sys.executable).with_name("dbt"))
END_DATE = date(2026, 6, 30)
AS_OF = "2026-06-30 00:00:00"
EVENTS = 20_000


@dataclass
class Built:
    """A DuckDB file whose raw data dbt has built the project on."""

    database: Path
    tmp: Path
    rebuild: Callable[[], None]


def _dbt_build(database: Path, tmp: Path) -> None:
    """Seeds, snapshots and models (no tests) with the benchmark's as-of; fail with dbt's log."""
    result = subprocess.run(
        [
            DBT,
            "build",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
            "--target",
            "duckdb",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
            "--vars",
            json.dumps({"lead_scoring__as_of": AS_OF}),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


def _built(database: Path, tmp: Path) -> Built:
    _dbt_build(database, tmp)
    return Built(database, tmp, lambda: _dbt_build(database, tmp))


@pytest.fixture(scope="module")
def bench_data(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A small data set of the benchmark's generator, built with dbt."""
    tmp = tmp_path_factory.mktemp("bench_data")
    database = tmp / "bench.duckdb"
    datagen.generate(database, EVENTS, seed=42, end_date=END_DATE)
    return _built(database, tmp)


@pytest.fixture(scope="module")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The demo data set of `leadscoring generate --contacts 300`, built with dbt."""
    tmp = tmp_path_factory.mktemp("demo_data")
    database = tmp / "demo.duckdb"
    demo_data.write_demo_csvs(tmp / "csv", contacts=300, seed=42, end_date=END_DATE)
    demo_data.load_duckdb(tmp / "csv", database)
    return _built(database, tmp)


def _rows(database: Path, source_sql: str) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(con.execute(source_sql).fetchall())


def _assert_same_rows(database: Path, expected_sql: str, actual_sql: str, label: str) -> None:
    expected = _rows(database, expected_sql)
    actual = _rows(database, actual_sql)
    missing = sorted(expected - actual)[:5]
    extra = sorted(actual - expected)[:5]
    assert expected == actual, (
        f"{label}: rows of lead_scoring__scores missing {missing}, extra {extra}"
    )
    assert expected, "lead_scoring__scores is empty"


def _hand(built: Built, name: str) -> str:
    output = built.tmp / f"{name}.hand.parquet"
    handquery.run(built.database, SEEDS, AS_OF, output)
    return compare.parquet_source(output)


def _pandas(built: Built, name: str) -> str:
    output = built.tmp / f"{name}.pandas.parquet"
    pandas_scores.run(built.database, SEEDS, AS_OF, output)
    return compare.parquet_source(output)


def test_hand_query_gives_the_rows_of_lead_scores(bench_data: Built) -> None:
    _assert_same_rows(
        bench_data.database, compare.mart_source(), _hand(bench_data, "before"), "hand query"
    )


def test_pandas_gives_the_rows_of_lead_scores(bench_data: Built) -> None:
    _assert_same_rows(
        bench_data.database, compare.mart_source(), _pandas(bench_data, "before"), "pandas"
    )


def test_generated_data_fires_every_rule_and_quarantine_reason(bench_data: Built) -> None:
    """The generator exercises every rule of the demo point tables and every bad-row kind."""
    tables = pandas_scores.PointTables(SEEDS)
    with duckdb.connect(str(bench_data.database), read_only=True) as con:
        fired = {
            r
            for (r,) in con.execute(
                "select distinct rule_id from lead_scoring__score_details"
            ).fetchall()
        }
        capped = {
            c
            for (c,) in con.execute(
                "select distinct capped_by from lead_scoring__score_details"
            ).fetchall()
        }
        models = {
            m
            for (m,) in con.execute(
                "select distinct score_model from lead_scoring__scores"
            ).fetchall()
        }
        types = {
            t
            for (t,) in con.execute(
                "select distinct event_type from main_staging.stg_lead_scoring__events"
            ).fetchall()
        }
        event_reasons = {
            r for (r,) in con.execute(
                "select distinct regexp_replace(rejection_reason, ':.*', '') "
                "from main_staging.stg_lead_scoring__events_rejected"
            ).fetchall()
        }  # fmt: skip
        contact_reasons = {
            r for (r,) in con.execute(
                "select distinct regexp_replace(rejection_reason, ':.*', '') "
                "from main_staging.stg_lead_scoring__contacts_rejected"
            ).fetchall()
        }  # fmt: skip
    assert {rule.rule_id for rule in tables.rules} | {"score_floor", "score_ceiling"} == fired
    assert {"max_points", "cap_group"} <= capped
    assert models == set(tables.model_names)
    assert types == set(tables.event_types)
    assert event_reasons == {
        "missing event_id", "duplicate event_id", "missing contact_id", "unknown contact_id",
        "missing event_type", "unknown event_type", "invalid occurred_at",
        "missing occurred_at", "occurred_at is in the future",
    }  # fmt: skip
    assert contact_reasons == {
        "missing contact_id", "duplicate contact_id", "invalid created_at", "invalid updated_at",
    }  # fmt: skip


def test_after_an_append_both_still_give_the_rows_of_lead_scores(bench_data: Built) -> None:
    """1% new events (late ones, new contacts, re-deliveries), dbt again, then compare."""
    before = _rows(bench_data.database, compare.mart_source())
    datagen.append(bench_data.database, seed=42, end_date=END_DATE)
    bench_data.rebuild()
    after = _rows(bench_data.database, compare.mart_source())
    assert after != before
    for label, source in (
        ("hand query", _hand(bench_data, "after")),
        ("pandas", _pandas(bench_data, "after")),
    ):
        _assert_same_rows(bench_data.database, compare.mart_source(), source, label)


def test_demo_data_set_hand_query_and_pandas_agree_with_the_models(demo_set: Built) -> None:
    mart = compare.mart_source()
    _assert_same_rows(demo_set.database, mart, _hand(demo_set, "demo"), "hand query")
    _assert_same_rows(demo_set.database, mart, _pandas(demo_set, "demo"), "pandas")


def _table_rows(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select * from raw.{table} order by all").fetchall()
            for table in ("accounts", "contacts", "events", "conversions")
        }


def test_generator_is_deterministic_and_append_adds_late_and_new(tmp_path: Path) -> None:
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for database in (first, second):
        datagen.generate(database, 5_000, seed=7, end_date=END_DATE)
    assert _table_rows(first) == _table_rows(second)
    with duckdb.connect(str(first), read_only=True) as con:
        newest = con.execute(
            f"select max(occurred_at) from raw.events where occurred_at <= '{AS_OF}'"
        ).fetchone()[0]
        # every contact but the last (cut to the total asked for) has 50 to 100 events
        per_contact = con.execute(
            "select min(n), max(n) from (select trim(contact_id) as c, "
            "count(distinct event_id) as n "
            "from raw.events where event_id like 'evt_0%' and trim(contact_id) like 'con_0%' "
            "group by 1 qualify c <> max(c) over ())"
        ).fetchone()
    assert per_contact[0] >= 50 and per_contact[1] <= 100
    for database in (first, second):
        datagen.append(database, seed=7, end_date=END_DATE)
    assert _table_rows(first) == _table_rows(second)
    with duckdb.connect(str(first), read_only=True) as con:
        new_events, late, earliest, latest, new_contacts = con.execute(
            f"""
            select count(*), count(*) filter (where occurred_at < '{newest}'),
                   min(occurred_at), max(occurred_at),
                   count(distinct contact_id) filter (where trim(contact_id) like 'con_n%')
            from raw.events where event_id like 'evt_b1_%'
            """
        ).fetchone()
    assert new_events == 50  # 1% of 5,000
    assert 0 < late < new_events
    assert earliest >= pd.Timestamp(AS_OF) - pd.Timedelta(days=3)
    assert latest <= pd.Timestamp(AS_OF)
    assert new_contacts >= 1


def test_rounding_follows_duckdb() -> None:
    """Doubles to 12 decimals, then to 2, half away from zero, exactly as DuckDB rounds."""
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.random(20_000) * 300,
            -rng.random(2_000) * 50,
            np.round(rng.random(5_000) * 99, 2) + 0.005,
            np.array([2.675, 0.125, 1.005, -2.675, 0.0]),
        ]
    )
    with duckdb.connect() as con:
        con.register("frame", pd.DataFrame({"x": values}))
        expected = con.execute(
            "select cast(round(cast(x as decimal(38, 12)), 2) * 1000000 as bigint) from frame"
        ).fetchnumpy()
    column = next(iter(expected.values()))
    assert (pandas_scores.round_like_duckdb(values) == column).all()


def test_page_path_and_globs_follow_staging() -> None:
    assert (
        pandas_scores.page_path("  https://www.acmecloud.io/Pricing?plan=team".strip())
        == "/pricing"
    )
    assert pandas_scores.page_path("https://www.acmecloud.io") == "/"
    assert pandas_scores.page_path("www.acmecloud.io/pricing") == "www.acmecloud.io/pricing"
    assert pandas_scores.page_path("HTTPS://WWW.ACMECLOUD.IO/PRICING#faq") == "/pricing"
    blog = pandas_scores._glob_regex("/blog/*semantic-layer*")
    assert blog.fullmatch("/blog/what-is-a-semantic-layer")
    assert not blog.fullmatch("/blog")
    assert pandas_scores._glob_regex("/blog/100%*").fullmatch("/blog/100%-uptime")
    assert not pandas_scores._glob_regex("/a_b*").fullmatch("/axb")


def test_event_counts_parse_with_suffixes() -> None:
    assert command.parse_count("10M") == 10_000_000
    assert command.parse_count("100M") == 100_000_000
    assert command.parse_count("20k") == 20_000
    assert command.parse_count("1.5M") == 1_500_000
    assert command.parse_count("25000") == 25_000


def test_a_step_is_measured_in_its_own_process(tmp_path: Path) -> None:
    measured = run_measured(
        "allocate",
        [sys.executable, "-c", "x = b'x' * 50_000_000; print(len(x))"],
        tmp_path / "step.log",
    )
    assert measured.returncode == 0
    assert measured.max_rss_bytes >= 50_000_000
    assert (tmp_path / "step.log").read_text().strip() == "50000000"
    with pytest.raises(StepFailed, match="exit code 3"):
        run_measured("fail", [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "f.log")
