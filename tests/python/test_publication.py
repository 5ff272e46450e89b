"""A reader never sees the marts of two different builds.

lead_scoring__scores, lead_scoring__score_details, lead_scoring__scores_wide,
lead_scoring__score_history and lead_scoring__score_transitions are built and tested
as <mart>__shadow, and published together at the end of a run, in one transaction,
only when the run built all five and no test on them failed (macros/utils/publish.sql).
On DuckDB and on PostgreSQL:

- a build at as-of A publishes A; a build at as-of B is held, by a gate model
  the test controls, after lead_scoring__scores__shadow of B (and the history tables)
  was written and before lead_scoring__score_details and lead_scoring__scores_wide are built,
  then killed (SIGKILL): the published marts are exactly those of A (the
  history too, while its shadow holds the days B recorded), their details add
  up to their scores, and a complete build at B then publishes B.
  On PostgreSQL a reader also queries the marts while the build is held; on
  DuckDB the build holds the file's lock, so the reader opens it after the kill;
- a build at B in which a data test on lead_scoring__scores fails leaves A published,
  and so do a run that builds only some of the published marts and a
  publication whose last statement fails (one transaction);
- on PostgreSQL, a reader holding lead_scoring__scores while the build publishes then
  reads lead_scoring__score_details of the same build, and the publication waits for
  it instead of deadlocking.

The gate waits for something only the test can give, and tells the test it
has been reached: on DuckDB a Python model that writes a file and then waits
forever, on PostgreSQL a model that waits for an advisory lock the test
holds (the test sees it waiting in pg_locks). Nothing depends on timing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from leadscoring import demo_data

from tests.python.warehouse import DbtFailed, Warehouse, number, warehouses

AS_OF_A = "2026-06-20 00:00:00"
AS_OF_B = "2026-06-27 00:00:00"
MARTS = ("lead_scoring__scores", "lead_scoring__score_details", "lead_scoring__scores_wide")
HISTORY = {
    "lead_scoring__score_history": "history_date",
    "lead_scoring__score_transitions": "transitioned_on",
}
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
GATE_LOCK = (7311, os.getpid() & 0x7FFFFFFF)  # advisory lock (class, object) the test holds

# On DuckDB: a Python model that says it has been reached, then waits forever.
DUCKDB_GATE = """import os
import pathlib
import threading


def model(dbt, session):
    dbt.config(materialized="table")
    dbt.ref("lead_scoring__scores")
    dbt.ref("lead_scoring__score_transitions")
    pathlib.Path(os.environ["LEAD_SCORING_TEST_GATE"]).touch()
    threading.Event().wait()
    return session.sql("select 1 as gate")
"""
# On PostgreSQL: a model that waits for the advisory lock the test holds.
POSTGRES_GATE = f"""{{{{ config(materialized='table') }}}}
-- depends_on: {{{{ ref('lead_scoring__scores') }}}}
-- depends_on: {{{{ ref('lead_scoring__score_transitions') }}}}
select cast(pg_advisory_lock({GATE_LOCK[0]}, {GATE_LOCK[1]}) as text) as gate
"""
# A data test on a published mart that fails on the scores of as-of B.
FAILS_AT_B = f"""select contact_id, score_model
from {{{{ ref('lead_scoring__scores') }}}}
where as_of = cast('{AS_OF_B}' as {{{{ dbt.type_timestamp() }}}})
"""


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    """A warehouse with a small generated data set, built and published at as-of A."""
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp_path / "build", conninfo, "pytest_publication"):
        raw = tmp_path / "raw"
        demo_data.write_demo_csvs(raw, contacts=60, seed=3, end_date=date(2026, 6, 30))
        built.load(raw)
        built.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF_A})
        yield built


def published(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every row of each published mart, sorted, with numbers as floats."""
    return {
        mart: sorted(
            (tuple(number(v) for v in row)
             for row in warehouse.query(f"select * from {warehouse.relation('', mart)}")),
            key=lambda row: tuple(map(str, row)),
        )
        for mart in (*MARTS, *HISTORY)
    }  # fmt: skip


def as_of_moments(warehouse: Warehouse, relation: str) -> list[str]:
    rows = warehouse.query(
        f"select distinct cast(as_of as varchar) from {warehouse.relation('', relation)}"
    )
    return sorted(value for (value,) in rows)


def assert_one_published_build(warehouse: Warehouse, as_of: str) -> None:
    """Every published mart is of as-of `as_of`, and the details add up to the scores."""
    for mart in MARTS:
        assert as_of_moments(warehouse, mart) == [as_of], mart
    scores = warehouse.relation("", "lead_scoring__scores")
    details = warehouse.relation("", "lead_scoring__score_details")
    wide = warehouse.relation("", "lead_scoring__scores_wide")
    unexplained = warehouse.query(
        f"""
        select scores.contact_id, scores.score_model, scores.total_score, details.points
        from {scores} as scores
        full outer join (
            select contact_id, score_model, sum(points) as points
            from {details}
            group by contact_id, score_model
        ) as details
            on scores.contact_id = details.contact_id
            and scores.score_model = details.score_model
        where scores.contact_id is null or scores.total_score <> coalesce(details.points, 0)
        """
    )
    assert unexplained == []
    disagreeing = warehouse.query(
        f"""
        select wide.contact_id
        from {wide} as wide
        left join {scores} as scores
            on wide.contact_id = scores.contact_id and scores.score_model = 'default'
        where wide.default_total_score is distinct from scores.total_score
        """
    )
    assert disagreeing == []
    # Every contact existing at the as-of moment has its default score.
    counts = warehouse.query(
        f"select (select count(*) from {wide}), (select count(*) from {scores} "
        "where score_model = 'default')"
    )
    assert counts[0][0] == counts[0][1] > 0


def relation_types(warehouse: Warehouse) -> dict[str, str]:
    """The type of each published mart and of its shadow: 'BASE TABLE' or 'VIEW'."""
    names = ", ".join(f"'{mart}', '{mart}__shadow'" for mart in (*MARTS, *HISTORY))
    rows = warehouse.query(
        "select table_name, table_type from information_schema.tables "
        f"where table_schema = '{warehouse.schema}' and table_name in ({names})"
    )
    return dict(rows)


def last_recorded_day(warehouse: Warehouse, relation: str, column: str) -> str:
    rows = warehouse.query(
        f"select cast(max({column}) as varchar) from {warehouse.relation('', relation)}"
    )
    return rows[0][0]


class Gate:
    """Holds a dbt build at a model the test adds, until the test kills the build."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.reached_file = warehouse.tmp / "gate_reached"
        self.models = warehouse.project / "models"
        self.held_models = {  # built after the gate while it is in place
            path: path.read_text()
            for path in (self.models / "marts" / f"{name}.sql" for name in MARTS[1:])
        }
        self.lock: psycopg2.extensions.connection | None = None
        self.build: subprocess.Popen | None = None

    def __enter__(self) -> Gate:
        if self.warehouse.target == "duckdb":
            (self.models / "pytest_gate.py").write_text(DUCKDB_GATE)
        else:
            (self.models / "pytest_gate.sql").write_text(POSTGRES_GATE)
            self.lock = psycopg2.connect(self.warehouse.conninfo)
            self.lock.autocommit = True
            with self.lock.cursor() as cur:
                cur.execute("select pg_advisory_lock(%s, %s)", GATE_LOCK)
        for path, text in self.held_models.items():
            path.write_text(text + "\n-- depends_on: {{ ref('pytest_gate') }}\n")
        return self

    def start_build(self, log: Path) -> subprocess.Popen:
        """Start a build at as-of B and return once it waits at the gate."""
        warehouse = self.warehouse
        command = warehouse.dbt_command(
            "build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF_B}
        )
        env = {**os.environ, **warehouse.env, "LEAD_SCORING_TEST_GATE": str(self.reached_file)}
        with open(log, "w", encoding="utf-8") as output:
            self.build = subprocess.Popen(
                command, cwd=warehouse.project, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        while not self.is_reached():
            if self.build.poll() is not None:
                raise AssertionError(f"the build ended before the gate:\n{log.read_text()[-6000:]}")
            time.sleep(0.2)
        return self.build

    def is_reached(self) -> bool:
        if self.lock is None:
            return self.reached_file.exists()
        with self.lock.cursor() as cur:
            cur.execute(
                "select count(*) from pg_locks where locktype = 'advisory' and classid = %s "
                "and objid = %s and objsubid = 2 and not granted",
                GATE_LOCK,
            )
            return cur.fetchone()[0] == 1

    def __exit__(self, *exc: object) -> None:
        """Kill the build if the test did not, end the server session still waiting at
        the gate, and put the project back as it was."""
        if self.build is not None and self.build.poll() is None:
            self.build.kill()
            self.build.wait()
        if self.lock is not None:
            with self.lock.cursor() as cur:
                cur.execute(
                    "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' "
                    "and classid = %s and objid = %s and objsubid = 2 and not granted",
                    GATE_LOCK,
                )
            self.lock.close()
        for name in ("pytest_gate.py", "pytest_gate.sql"):
            (self.models / name).unlink(missing_ok=True)
        for path, text in self.held_models.items():
            path.write_text(text)


def test_a_killed_build_leaves_the_last_published_marts(warehouse: Warehouse) -> None:
    before = published(warehouse)
    assert_one_published_build(warehouse, AS_OF_A)
    assert (
        last_recorded_day(warehouse, "lead_scoring__score_history", "history_date") == "2026-06-19"
    )

    with Gate(warehouse) as gate:
        build = gate.start_build(warehouse.tmp / "killed_build.log")
        if warehouse.target == "postgres":
            # A reader during the build: the published marts of A, while the
            # shadow of lead_scoring__scores already holds B.
            assert published(warehouse) == before
            assert as_of_moments(warehouse, "lead_scoring__scores__shadow") == [AS_OF_B]
        build.send_signal(signal.SIGKILL)
        assert build.wait() == -signal.SIGKILL

    # The killed build wrote lead_scoring__scores__shadow of B and nothing else of the set.
    assert as_of_moments(warehouse, "lead_scoring__scores__shadow") == [AS_OF_B]
    assert as_of_moments(warehouse, "lead_scoring__score_details__shadow") == [AS_OF_A]
    # The history shadows hold the days the killed build recorded, up to the
    # day before B; the published history still ends the day before A.
    for mart, day in HISTORY.items():
        assert last_recorded_day(warehouse, f"{mart}__shadow", day) == "2026-06-26"
    assert published(warehouse) == before
    assert_one_published_build(warehouse, AS_OF_A)
    for mart, day in HISTORY.items():
        assert last_recorded_day(warehouse, mart, day) == "2026-06-19"

    # A complete build at B publishes B, the five marts at once; the published
    # history is its shadow.
    warehouse.dbt("build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF_B})
    assert_one_published_build(warehouse, AS_OF_B)
    for mart, day in HISTORY.items():
        assert last_recorded_day(warehouse, mart, day) == "2026-06-26"
        shadow = warehouse.query(f"select * from {warehouse.relation('', mart + '__shadow')}")
        assert published(warehouse)[mart] == sorted(
            (tuple(number(v) for v in row) for row in shadow), key=lambda row: tuple(map(str, row))
        )
    assert relation_types(warehouse) == {
        **{mart: "BASE TABLE" for mart in (*MARTS, *HISTORY)},
        **{f"{mart}__shadow": "VIEW" for mart in MARTS},
        **{f"{mart}__shadow": "BASE TABLE" for mart in HISTORY},
    }
    # A warehouse of an earlier version, whose history tables had no shadow:
    # the history recorded so far is kept (the shadow starts as a copy).
    history = published(warehouse)
    for mart in HISTORY:
        warehouse.execute(f"drop table {warehouse.relation('', mart + '__shadow')}")
    warehouse.dbt(
        "run", "--select", *HISTORY, variables={"lead_scoring__as_of": AS_OF_B}
    )  # not published: the other marts were not built
    for mart, day in HISTORY.items():
        shadow = warehouse.query(f"select * from {warehouse.relation('', mart + '__shadow')}")
        assert history[mart] == sorted(
            (tuple(number(v) for v in row) for row in shadow), key=lambda row: tuple(map(str, row))
        )
        assert history[mart][0] and last_recorded_day(warehouse, mart, day) == "2026-06-26"

    # The shadows are views of the published marts: a `dbt test` on its own
    # tests what readers see.
    statuses = warehouse.dbt(
        "test", "--select", "tag:published", variables={"lead_scoring__as_of": AS_OF_B}
    )
    singular = ["lead_scoring__assert_bands_match_thresholds",
                "lead_scoring__assert_details_sum_to_totals",
                "lead_scoring__assert_wide_scores_match_lead_scores"]  # fmt: skip
    assert [statuses.get(name) for name in singular] == ["pass"] * 3
    assert set(statuses.values()) <= {"pass", "success"}  # tests pass; the hook succeeds


def test_a_failed_test_leaves_the_last_published_marts(warehouse: Warehouse) -> None:
    before = published(warehouse)
    failing_test = warehouse.project / "tests" / "pytest_fails_at_b.sql"
    failing_test.write_text(FAILS_AT_B)
    # Models and singular tests; the failing test is on lead_scoring__scores.
    with pytest.raises(DbtFailed) as failure:
        warehouse.dbt(
            "build", "--exclude-resource-type", "unit_test", "--exclude", "test_type:generic",
            variables={"lead_scoring__as_of": AS_OF_B},
        )  # fmt: skip
    failing_test.unlink()
    assert (
        "Not published: lead_scoring__scores_wide: skipped; "
        "test lead_scoring__assert_wide_scores_match_lead_scores: skipped; "
        "test pytest_fails_at_b: fail. "
        "lead_scoring__score_details, lead_scoring__score_history, "
        "lead_scoring__score_transitions, lead_scoring__scores, "
        "lead_scoring__scores_wide still hold the last publication"
    ) in str(failure.value)
    results = json.loads((warehouse.tmp / "target" / "run_results.json").read_text())
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in results["results"]}
    assert [statuses[name] for name in (*MARTS, "pytest_fails_at_b")] == [
        "success", "success", "skipped", "fail",
    ]  # fmt: skip
    assert as_of_moments(warehouse, "lead_scoring__scores__shadow") == [AS_OF_B]
    assert as_of_moments(warehouse, "lead_scoring__score_details__shadow") == [AS_OF_B]
    assert published(warehouse) == before
    assert_one_published_build(warehouse, AS_OF_A)

    # A run that builds only some of the published marts publishes none.
    variables = {"lead_scoring__as_of": AS_OF_B}
    command = warehouse.dbt_command(
        "run",
        "--select",
        "lead_scoring__scores",
        "lead_scoring__score_details",
        variables=variables,
    )
    run = subprocess.run(
        command, cwd=warehouse.project, env={**os.environ, **warehouse.env},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:]
    assert (
        "Not published: lead_scoring__score_history was not built in this run; "
        "lead_scoring__score_transitions was not built in this run; "
        "lead_scoring__scores_wide was not built in this run. "
        "lead_scoring__score_details, lead_scoring__score_history, "
        "lead_scoring__score_transitions, lead_scoring__scores, "
        "lead_scoring__scores_wide still hold the last publication"
    ) in run.stdout
    assert published(warehouse) == before
    assert_one_published_build(warehouse, AS_OF_A)

    # A publication that fails half-way publishes nothing: with a view where the
    # table lead_scoring__scores_wide should be, its last step fails, after
    # lead_scoring__score_details and lead_scoring__scores were swapped in the same
    # transaction.
    wide = warehouse.relation("", "lead_scoring__scores_wide")
    warehouse.execute(
        f"create table {wide}_kept as select * from {wide}; drop view {wide}__shadow; "
        f"drop table {wide}; create view {wide} as select * from {wide}_kept"
    )
    with pytest.raises(DbtFailed) as failure:
        warehouse.dbt("build", *NO_TESTS, variables=variables)
    assert "lead_scoring.on-run-end.0 failed" in str(failure.value)
    assert as_of_moments(warehouse, "lead_scoring__scores__shadow") == [AS_OF_B]
    assert published(warehouse) == before
    assert_one_published_build(warehouse, AS_OF_A)


@pytest.mark.parametrize(
    "warehouse", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_query_holding_a_mart_does_not_deadlock_the_publication(warehouse: Warehouse) -> None:
    """A reader's transaction holds lead_scoring__scores while the build publishes, then reads
    lead_scoring__score_details: it gets the details of the same build, and the publication
    waits for it instead of deadlocking (PostgreSQL aborts one side of a deadlock)."""
    scores = warehouse.relation("", "lead_scoring__scores")
    details = warehouse.relation("", "lead_scoring__score_details")
    reader = psycopg2.connect(warehouse.conninfo)  # one transaction, read committed
    monitor = psycopg2.connect(warehouse.conninfo)
    monitor.autocommit = True
    build: subprocess.Popen | None = None
    try:
        with reader.cursor() as cur:
            cur.execute(f"select contact_id, score_model, total_score, as_of from {scores}")
            read_scores = sorted(cur.fetchall())
        log = warehouse.tmp / "publishing_build.log"
        command = warehouse.dbt_command(
            "build", *NO_TESTS, variables={"lead_scoring__as_of": AS_OF_B}
        )
        with open(log, "w", encoding="utf-8") as output:
            build = subprocess.Popen(
                command, cwd=warehouse.project, env={**os.environ, **warehouse.env},
                stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        # Publishing: the end-of-run hook has started, and its statement runs
        # (the only statement of the build then; it names the marts' schema).
        publishing = (
            "select count(*) from pg_stat_activity where pid <> pg_backend_pid() "
            "and state = 'active' and query like %s"
        )
        while True:
            if build.poll() is not None:
                raise AssertionError(f"the build did not wait:\n{log.read_text()[-6000:]}")
            if "START hook: lead_scoring.on-run-end" in log.read_text():
                with monitor.cursor() as cur:
                    cur.execute(publishing, (f'%"{warehouse.schema}".%',))
                    if cur.fetchone()[0] == 1:
                        break
            time.sleep(0.2)
        with reader.cursor() as cur:
            cur.execute(
                f"select contact_id, score_model, sum(points), max(as_of) from {details} "
                "group by contact_id, score_model"
            )
            read_details = {(c, m): (points, as_of) for c, m, points, as_of in cur.fetchall()}
        reader.commit()
        assert build.wait() == 0, log.read_text()[-6000:]
    finally:
        reader.close()
        monitor.close()
        if build is not None and build.poll() is None:
            build.kill()
            build.wait()
    # The reader saw the scores and details of A, which add up.
    assert {str(as_of) for *_, as_of in read_scores} == {AS_OF_A}
    assert {str(as_of) for _, as_of in read_details.values()} == {AS_OF_A}
    assert [
        (c, m, total)
        for c, m, total, _ in read_scores
        if total != read_details.get((c, m), (0,))[0]
    ] == []
    assert_one_published_build(warehouse, AS_OF_B)
