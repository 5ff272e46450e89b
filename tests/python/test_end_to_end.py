"""Build the whole project on DuckDB and on PostgreSQL and check the scores.

A small generated data set plus the hand-crafted rows of ``crafted.py`` is
loaded, and a copy of the project whose point tables are those of
``tests/python/scoring_config/`` (one of every rule kind, round numbers) is
built with ``dbt build`` (seeds, models, unit tests, data tests and singular
tests: any failure fails the build). The marts are compared with values
computed by hand. A second build, on DuckDB, uses the demo point tables of
``seeds/`` unchanged.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
from leadscoring import demo_data
from leadscoring.contract import seed_file

from tests.python import crafted
from tests.python.warehouse import SCHEMA_SUFFIXES

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCORING_CONFIG = Path(__file__).resolve().parent / "scoring_config"
GENERATED_CONTACTS = 80
GENERATED_SEED = 11
# The dbt of the environment running the tests, whatever PATH says.
DBT = str(Path(sys.executable).with_name("dbt"))
# dbt_packages: a package installed by dbt deps may link back to this project (recursion).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "target", "logs", "dbt_packages", "*.duckdb*", "__pycache__"
)


@dataclass
class Build:
    """A finished dbt build: where its marts are and how to query them."""

    target: str
    query: Callable[[str], list[tuple]]
    marts_schema: str
    staging_schema: str
    build_log: str
    results: dict[str, str]
    project_dir: Path
    env: dict[str, str] = field(default_factory=dict)  # what dbt needs to reach the warehouse
    raw_schema: str = "raw"


def copy_project(destination: Path, seeds: Path | None = None) -> Path:
    """Copy the dbt project (without build output) and optionally replace its point tables."""
    shutil.copytree(PROJECT_DIR, destination, ignore=COPY_IGNORE)
    if seeds is not None:
        for csv_file in (destination / "seeds").glob("*.csv"):
            csv_file.unlink()
        for csv_file in seeds.glob("*.csv"):
            shutil.copy(csv_file, destination / "seeds" / csv_file.name)
    return destination


def _dbt(
    args: list[str], env: dict[str, str], target_path: Path, project_dir: Path
) -> subprocess.CompletedProcess:
    """Run dbt in a project with its profiles and a target path of its own."""
    command = [
        DBT,
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
    ]
    return subprocess.run(
        command,
        cwd=project_dir,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _variables(raw_schema: str) -> str:
    """The vars of every dbt command of this module, as --vars takes them."""
    return json.dumps(
        {"lead_scoring__as_of": crafted.AS_OF, "lead_scoring__source_schema": raw_schema}
    )


def _build(
    target: str, env: dict[str, str], raw_schema: str, tmp: Path, project_dir: Path
) -> tuple[str, dict[str, str]]:
    """dbt build with the test vars; fail the test with dbt's output if it fails.

    Returns dbt's output and the status of every node by its name, read from
    run_results.json (unit tests are named ``<model>::<test>``).
    """
    result = _dbt(
        ["build", "--target", target, "--vars", _variables(raw_schema)],
        env,
        tmp / "target",
        project_dir,
    )
    if result.returncode != 0:
        pytest.fail(f"dbt build on {target} failed:\n{result.stdout[-6000:]}\n{result.stderr}")
    run_results = json.loads((tmp / "target" / "run_results.json").read_text())
    statuses: dict[str, str] = {}
    for node in run_results["results"]:
        if node["unique_id"].startswith("exposure."):
            # dbt build lists the exposures (models/exposures.yml) as no-op: nothing to build
            assert node["status"] == "no-op", node
            continue
        # by full unique id, and by name (unit tests: unit_test.<project>.<model>.<name>)
        statuses[node["unique_id"]] = node["status"]
        statuses[node["unique_id"].split(".")[-1]] = node["status"]
    return result.stdout, statuses


def write_raw_data(out: Path) -> Path:
    """A small generated data set with the crafted rows appended, as CSV files in out."""
    from datetime import date

    demo_data.write_demo_csvs(
        out,
        contacts=GENERATED_CONTACTS,
        seed=GENERATED_SEED,
        end_date=date.fromisoformat(crafted.END_DATE),
        extra_rows=crafted.EXTRA_ROWS,
    )
    return out


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated data set with the crafted rows appended, as CSV files."""
    return write_raw_data(tmp_path_factory.mktemp("demo_csv"))


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def build(
    request: pytest.FixtureRequest, csv_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Build]:
    """The project with the test point tables, built on one engine (DuckDB, then PostgreSQL)."""
    tmp = tmp_path_factory.mktemp(f"build_{request.param}")
    project = copy_project(tmp / "project", seeds=SCORING_CONFIG)
    if request.param == "duckdb":
        database = tmp / "test.duckdb"
        demo_data.load_duckdb(csv_dir, database, schema="raw")
        env = {"LEAD_SCORING_DUCKDB_PATH": str(database)}
        log, results = _build("duckdb", env, "raw", tmp, project)

        def query(sql: str) -> list[tuple]:
            with duckdb.connect(str(database), read_only=True) as con:
                return con.execute(sql).fetchall()

        yield Build("duckdb", query, "main", "main_staging", log, results, project, env)
        return

    conninfo = request.getfixturevalue("pg_conninfo")
    schema = "pytest_lead_scoring"
    raw_schema = "pytest_raw"
    _drop_pg_schemas(conninfo, schema, raw_schema)
    demo_data.load_postgres(csv_dir, conninfo, schema=raw_schema)
    env = {"LEAD_SCORING_PG_SCHEMA": schema}
    log, results = _build("postgres", env, raw_schema, tmp, project)

    def query(sql: str) -> list[tuple]:
        with psycopg2.connect(conninfo) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    yield Build(
        "postgres", query, schema, f"{schema}_staging", log, results, project, env, raw_schema
    )
    _drop_pg_schemas(conninfo, schema, raw_schema)


def _drop_pg_schemas(conninfo: str, schema: str, raw_schema: str) -> None:
    """Drop the schemas a previous run may have left."""
    with psycopg2.connect(conninfo) as con, con.cursor() as cur:
        for name in [raw_schema, *(schema + s for s in SCHEMA_SUFFIXES)]:
            cur.execute(f'drop schema if exists "{name}" cascade')


def _number(value: object) -> object:
    """Numbers as floats (DuckDB and PostgreSQL return Decimal), the rest as is."""
    return (
        float(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else value
    )


def _in_list(values: object) -> str:
    return ", ".join(f"'{value}'" for value in sorted(set(values)))


def test_build_ran_unit_and_singular_tests(build: Build) -> None:
    """The build ran the singular tests, and every node passed."""
    for name in [
        "lead_scoring__assert_details_sum_to_totals",
        "lead_scoring__assert_raw_rows_are_staged_or_rejected",
        "lead_scoring__assert_bands_match_thresholds",
        "lead_scoring__assert_thresholds_consistent_across_score_models",
        "lead_scoring__assert_score_models_have_thresholds",
        "lead_scoring__assert_wide_scores_match_lead_scores",
        "lead_scoring__assert_rule_ids_unique_across_point_tables",
    ]:
        assert build.results.get(name) == "pass", f"{name} did not pass on {build.target}"
    unit_tests = [name for name in build.results if name.startswith("unit_test.")]
    assert len(unit_tests) >= 20, f"only {len(unit_tests)} unit tests ran on {build.target}"
    assert set(build.results.values()) <= {"pass", "success"}


SCORE_COLUMNS = (
    "fit_points, engagement_points, negative_points, adjustment_points, fit_score, "
    "engagement_score, total_score, score_band, fit_grade, engagement_level, score_matrix, "
    "rules_fired"
)


def test_crafted_contacts_score_as_computed_by_hand(build: Build) -> None:
    """Every score model of every crafted contact: points, scores, band, grade, level, matrix."""
    contact_ids = _in_list(contact_id for contact_id, _ in crafted.EXPECTED_SCORES)
    rows = build.query(
        f"select contact_id, score_model, {SCORE_COLUMNS}, cast(as_of as varchar) "
        f"from {build.marts_schema}.lead_scoring__scores where contact_id in ({contact_ids})"
    )
    actual = {(r[0], r[1]): tuple(_number(v) for v in r[2:-1]) for r in rows}
    expected = {
        key: tuple(_number(v) for v in values) for key, values in crafted.EXPECTED_SCORES.items()
    }
    assert actual == expected
    assert {r[-1][:19] for r in rows} == {crafted.AS_OF}


def test_crafted_details_explain_every_point(build: Build) -> None:
    """The detail rows of crafted contacts, rule by rule, before and after decay and caps."""
    for (contact_id, score_model), expected in crafted.EXPECTED_DETAILS.items():
        rows = build.query(
            f"select rule_id, occurrences_matched, occurrences_counted, base_points, "
            "decayed_points, capped_by, points "
            f"from {build.marts_schema}.lead_scoring__score_details "
            f"where contact_id = '{contact_id}' and score_model = '{score_model}' order by rule_id"
        )
        assert [tuple(_number(v) for v in r) for r in rows] == [
            tuple(_number(v) for v in e) for e in expected
        ], (contact_id, score_model)


def test_wide_scores_have_a_column_set_per_score_model(build: Build) -> None:
    """lead_scoring__scores_wide: the crafted contacts' scores of every score model,
    side by side."""
    models = ["default", "emea", "product_x"]
    columns = ", ".join(f"{m}_total_score, {m}_score_band, {m}_score_matrix" for m in models)
    rows = build.query(
        f"select contact_id, score_models_applied, {columns} from {build.marts_schema}"
        f".lead_scoring__scores_wide where contact_id in ('c_vp', 'c_student')"
    )
    actual = {r[0]: tuple(_number(v) for v in r[1:]) for r in rows}
    assert actual == {
        "c_vp": (3.0, 71.5, "MQL", "A2", 20.0, "warm", "C3", 35.0, "warm", "C2"),
        "c_student": (1.0, 0.0, "cold", "D4", None, None, None, None, None, None),
    }


def test_contact_created_after_as_of_is_not_scored(build: Build) -> None:
    for mart in ("lead_scoring__scores", "lead_scoring__scores_wide"):
        rows = build.query(
            f"select count(*) from {build.marts_schema}.{mart} where contact_id = 'c_future'"
        )
        assert rows == [(0,)], mart


def test_bad_rows_are_quarantined_with_their_reason(build: Build) -> None:
    """Each crafted bad row is in its rejected model once, with the expected reason."""
    keys = {"events": "event_id", "contacts": "contact_id"}
    for table, key, reason in crafted.EXPECTED_REJECTIONS:
        rows = build.query(
            "select rejection_reason "
            f"from {build.staging_schema}.stg_lead_scoring__{table}_rejected "
            f"where {keys[table]} = '{key}'"
        )
        assert rows == [(reason,)], (table, key)


def test_one_default_score_per_staged_contact(build: Build) -> None:
    """The default model (no segment) scores every valid contact existing at the as-of."""
    expected = build.query(
        f"select count(*) from {build.staging_schema}.stg_lead_scoring__contacts "
        f"where created_at <= cast('{crafted.AS_OF}' as timestamp)"
    )
    actual = build.query(
        f"select count(*) from {build.marts_schema}.lead_scoring__scores "
        "where score_model = 'default'"
    )
    assert actual == expected
    assert actual[0][0] > GENERATED_CONTACTS * 0.5


def test_segments_decide_which_models_apply(build: Build) -> None:
    """emea: region Europe or MEA; product_x: two product X page views; both recomputed."""
    emea = build.query(
        f"select count(*) from {build.staging_schema}.stg_lead_scoring__contacts "
        "where lower(region) in ('europe', 'mea') "
        f"and created_at <= cast('{crafted.AS_OF}' as timestamp)"
    )
    assert (
        build.query(
            f"select count(*) from {build.marts_schema}.lead_scoring__scores "
            "where score_model = 'emea'"
        )
        == emea
    )
    assert emea[0][0] > 0
    product_x = build.query(
        f"""
        select contact_id from {build.staging_schema}.stg_lead_scoring__events
        where event_type = 'page_view'
            and (page_path like '/product/x%' or page_path like '/resources/x-guide%')
            and occurred_at <= cast('{crafted.AS_OF}' as timestamp)
        group by contact_id having count(*) >= 2 order by contact_id
        """
    )
    assert (
        build.query(
            f"select contact_id from {build.marts_schema}.lead_scoring__scores "
            f"where score_model = 'product_x' order by contact_id"
        )
        == product_x
    )
    assert ("c_vp",) in product_x and ("c_combo",) not in product_x


def _thresholds(table: str, name: str, minimum: str) -> dict[str, list[tuple[float, str]]]:
    by_model: dict[str, list[tuple[float, str]]] = {}
    with (SCORING_CONFIG / seed_file(table)).open(newline="") as handle:
        for row in csv.DictReader(handle):
            by_model.setdefault(row["score_model"], []).append((float(row[minimum]), row[name]))
    return {model: sorted(rows) for model, rows in by_model.items()}


def _threshold_of(value: float, thresholds: list[tuple[float, str]]) -> str:
    reached = thresholds[0][1]
    for minimum, name in thresholds:
        if value >= minimum:
            reached = name
    return reached


def test_every_band_grade_and_level_follows_the_thresholds(build: Build) -> None:
    """Bands, grades and levels recomputed in Python from the seeds agree with every row."""
    bands = _thresholds("score_bands", "band", "min_score")
    grades = _thresholds("fit_grades", "grade", "min_points")
    levels = _thresholds("engagement_levels", "level", "min_points")
    rows = build.query(
        f"select score_model, total_score, score_band, fit_score, fit_grade, engagement_score, "
        f"engagement_level, score_matrix from {build.marts_schema}.lead_scoring__scores"
    )
    wrong = [
        row
        for model, total, band, fit, grade, engagement, level, matrix in rows
        for row in [(model, total, band, fit, grade, engagement, level, matrix)]
        if _threshold_of(float(total), bands[model]) != band
        or _threshold_of(float(fit), grades[model]) != grade
        or _threshold_of(float(engagement), levels[model]) != level
        or matrix != grade + level
    ]
    assert rows and wrong == []


def test_details_sum_to_totals_for_every_contact(build: Build) -> None:
    rows = build.query(
        f"""
        select s.contact_id, s.score_model, s.total_score, coalesce(sum(d.points), 0)
        from {build.marts_schema}.lead_scoring__scores as s
        left join {build.marts_schema}.lead_scoring__score_details as d
            on s.contact_id = d.contact_id and s.score_model = d.score_model
        group by s.contact_id, s.score_model, s.total_score
        having s.total_score <> coalesce(sum(d.points), 0)
        """
    )
    assert rows == []


# dbt's contract error lists each column whose type differs: the type the SQL gives, the
# type the contract declares (as each engine names them), and why.
CONTRACT_MISMATCH = {
    "duckdb": ("DOUBLE", "DECIMAL(28,6)"),
    "postgres": ("FLOAT", "DECIMAL"),
}
# How the engine's catalog names the contract's numeric(28,6).
CATALOG_NUMERIC = {"duckdb": "DECIMAL(28,6)", "postgres": "numeric"}


def test_a_type_change_without_its_contract_fails_the_build(build: Build, tmp_path: Path) -> None:
    """A mart column cast to another type, contract unchanged: dbt stops the model, names
    the column and both types, and the published mart keeps its type.

    Two marts on the warehouse the module built (their parents are there): lead_scoring__scores
    (a table) and lead_scoring__score_transitions (incremental, so its incremental branch),
    each with total_score cast to double precision instead of numeric(28,6).
    """
    project = tmp_path / "project"
    shutil.copytree(build.project_dir, project, ignore=COPY_IGNORE)
    marts = project / "models" / "marts"
    double = "{{ lead_scoring.type_double() }}"
    for mart, line, changed in [
        (
            "lead_scoring__scores",
            "        scores.total_score,\n",
            f"        cast(scores.total_score as {double}) as total_score,\n",
        ),
        (
            "lead_scoring__score_transitions",
            "        total_score\n",
            f"        cast(total_score as {double}) as total_score\n",
        ),
    ]:
        path = marts / f"{mart}.sql"
        sql = path.read_text()
        assert sql.count(line) == 1, mart
        path.write_text(sql.replace(line, changed))
    # The build's saved parse: dbt parses again only the two files changed (seconds, not a
    # full parse of the project).
    (tmp_path / "target").mkdir()
    shutil.copy(build.project_dir.parent / "target" / "partial_parse.msgpack", tmp_path / "target")
    result = _dbt(
        ["run", "--target", build.target, "--vars", _variables(build.raw_schema),
         "--select", "lead_scoring__scores", "lead_scoring__score_transitions"],
        build.env, tmp_path / "target", project,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:]
    sql_type, contract_type = CONTRACT_MISMATCH[build.target]
    for mart in ("lead_scoring__scores", "lead_scoring__score_transitions"):
        assert f"Compilation Error in model {mart} " in result.stdout
    assert result.stdout.count("This model has an enforced contract that failed.") == 2
    mismatch = re.compile(
        rf"\|\s*total_score\s*\|\s*{re.escape(sql_type)}\s*\|\s*{re.escape(contract_type)}"
        r"\s*\|\s*data type mismatch\s*\|"
    )
    assert len(mismatch.findall(result.stdout)) == 2, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    models = [r for r in results if r["unique_id"].startswith("model.")]
    assert {r["unique_id"].split(".")[-1]: r["status"] for r in models} == {
        "lead_scoring__scores": "error",
        "lead_scoring__score_transitions": "error",
    }
    for table in ("lead_scoring__scores", "lead_scoring__score_transitions"):
        (data_type,) = build.query(
            "select data_type from information_schema.columns "
            f"where table_schema = '{build.marts_schema}' and table_name = '{table}' "
            "and column_name = 'total_score'"
        )[0]
        assert data_type == CATALOG_NUMERIC[build.target], table


@pytest.fixture(scope="module")
def semantic_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """target/semantic_manifest.json as `dbt parse` of the project writes it (no warehouse)."""
    tmp = tmp_path_factory.mktemp("parse")
    project = copy_project(tmp / "project", seeds=SCORING_CONFIG)
    result = _dbt(["parse"], {}, tmp / "target", project)
    assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-3000:]}"
    return json.loads((tmp / "target" / "semantic_manifest.json").read_text())


METRIC_TYPES = {
    "scored_contacts": "simple",
    "mql_count": "simple",
    "sql_count": "simple",
    "converted_contacts": "simple",
    "conversion_rate": "ratio",
    "average_total_score": "simple",
    "band_changes": "simple",
    "upward_band_changes": "simple",
}


def test_parse_writes_the_semantic_layer(semantic_manifest: dict) -> None:
    """dbt parse validates the semantic models and metrics and writes them, with the time spine."""
    assert {m["name"]: m["type"] for m in semantic_manifest["metrics"]} == METRIC_TYPES
    assert {
        model["name"]: (model["node_relation"]["alias"], model["primary_entity"])
        for model in semantic_manifest["semantic_models"]
    } == {
        "lead_scores": ("lead_scoring__scores__shadow", "contact_score"),
        "lead_score_transitions": ("lead_scoring__score_transitions__shadow", "band_change"),
    }
    ratio = next(m for m in semantic_manifest["metrics"] if m["name"] == "conversion_rate")
    assert (
        ratio["type_params"]["numerator"]["name"],
        ratio["type_params"]["denominator"]["name"],
    ) == (
        "converted_contacts",
        "scored_contacts",
    )
    (spine,) = semantic_manifest["project_configuration"]["time_spines"]
    assert spine["node_relation"]["alias"] == "lead_scoring__time_spine_days"
    assert spine["primary_column"] == {"name": "date_day", "time_granularity": "day"}


# The SQL of each aggregation MetricFlow names, over the measure's expression.
AGGREGATIONS = {
    "count_distinct": "count(distinct {})",
    "sum": "sum({})",
    "average": "avg({})",
}
DIMENSION_REFERENCE = re.compile(r"\{\{\s*Dimension\('(\w+?)__(\w+)'\)\s*\}\}")


def _metric_figures(
    manifest: dict, build: Build, metric_name: str, group_by: tuple[str, ...] = ()
) -> dict[tuple, object]:
    """A simple metric's figure per group, by SQL written from the semantic manifest alone:
    its measure's aggregation and expression over its semantic model's relation, where its
    filters hold (each Dimension('<entity>__<name>') read as that dimension's column)."""
    metric = next(m for m in manifest["metrics"] if m["name"] == metric_name)
    assert metric["type"] == "simple", metric_name
    measure_name = metric["type_params"]["measure"]["name"]
    (model,) = [
        model
        for model in manifest["semantic_models"]
        if any(measure["name"] == measure_name for measure in model["measures"])
    ]
    measure = next(m for m in model["measures"] if m["name"] == measure_name)

    def column(entity: str, name: str) -> str:
        assert entity == model["primary_entity"], (metric_name, entity)
        (dimension,) = [d for d in model["dimensions"] if d["name"] == name]
        return dimension["expr"] or dimension["name"]

    filters = [
        DIMENSION_REFERENCE.sub(lambda ref: column(ref[1], ref[2]), where["where_sql_template"])
        for where in (metric["filter"] or {"where_filters": []})["where_filters"]
    ]
    assert not any("{{" in where for where in filters), filters
    groups = [column(model["primary_entity"], name) for name in group_by]
    value = AGGREGATIONS[measure["agg"]].format(measure["expr"] or measure["name"])
    sql = (
        f"select {''.join(g + ', ' for g in groups)}{value} "
        f"from {build.marts_schema}.{model['node_relation']['alias']}"
        + (f" where {' and '.join(f'({w})' for w in filters)}" if filters else "")
        + (f" group by {', '.join(groups)}" if groups else "")
    )
    return {tuple(row[:-1]): _number(row[-1]) for row in build.query(sql)}


def test_metrics_equal_figures_computed_from_the_mart_rows(
    build: Build, semantic_manifest: dict
) -> None:
    """Every metric, by the SQL its definition gives, equals the figure Python computes from
    the mart rows, the bands of seed score_bands and the staged conversions."""
    rows = build.query(
        "select contact_id, score_model, score_band, total_score "
        f"from {build.marts_schema}.lead_scoring__scores"
    )
    converted = {
        contact_id
        for (contact_id,) in build.query(
            f"select contact_id from {build.staging_schema}.stg_lead_scoring__conversions"
        )
    }
    bands: dict[str, list[tuple[float, str]]] = {}
    with open(SCORING_CONFIG / seed_file("score_bands"), encoding="utf-8") as handle:
        for band in csv.DictReader(handle):
            bands.setdefault(band["score_model"], []).append(
                (float(band["min_score"]), band["band"].lower())
            )
    rank = {
        (model, name): position + 1
        for model, thresholds in bands.items()
        for position, (_, name) in enumerate(sorted(thresholds))
    }

    def at_or_above(model: str, band: str, stage: str) -> bool:
        return rank[(model, band.lower())] >= rank[(model, stage)]

    def contacts(keep: Callable[[tuple], bool]) -> set[str]:
        return {row[0] for row in rows if keep(row)}

    models = sorted({row[1] for row in rows})
    score_bands = sorted({row[2] for row in rows})
    expected_mqls = {
        (m,): len(contacts(lambda r, m=m: r[1] == m and at_or_above(m, r[2], "mql")))
        for m in models
    }
    expected_sqls = {
        (m,): len(contacts(lambda r, m=m: r[1] == m and at_or_above(m, r[2], "sql")))
        for m in models
    }
    in_band = {b: contacts(lambda r, b=b: r[2] == b) for b in score_bands}
    expected_rates = {(b,): len(in_band[b] & converted) / len(in_band[b]) for b in score_bands}
    expected_averages = {
        (m,): sum(float(r[3]) for r in rows if r[1] == m) / sum(1 for r in rows if r[1] == m)
        for m in models
    }
    directions = [
        direction
        for (direction,) in build.query(
            f"select direction from {build.marts_schema}.lead_scoring__score_transitions"
        )
    ]

    figures = {
        "scored_contacts": (_metric_figures(semantic_manifest, build, "scored_contacts"),
                            {(): len(contacts(lambda r: True))}),
        "mql_count": (_metric_figures(semantic_manifest, build, "mql_count", ("score_model",)),
                      {k: v for k, v in expected_mqls.items() if v}),
        "sql_count": (_metric_figures(semantic_manifest, build, "sql_count", ("score_model",)),
                      {k: v for k, v in expected_sqls.items() if v}),
        "converted_contacts": (_metric_figures(semantic_manifest, build, "converted_contacts"),
                               {(): len(contacts(lambda r: True) & converted)}),
        "band_changes": (_metric_figures(semantic_manifest, build, "band_changes", ("direction",)),
                         {(d,): directions.count(d) for d in set(directions)}),
        "upward_band_changes": (_metric_figures(semantic_manifest, build, "upward_band_changes"),
                                {(): directions.count("up")}),
    }  # fmt: skip
    for name, (actual, expected) in figures.items():
        assert actual == expected, f"{name} on {build.target}"

    averages = _metric_figures(semantic_manifest, build, "average_total_score", ("score_model",))
    assert averages.keys() == expected_averages.keys()
    for key, value in expected_averages.items():
        assert averages[key] == pytest.approx(value, rel=1e-9), key

    ratio = next(m for m in semantic_manifest["metrics"] if m["name"] == "conversion_rate")
    numerator, denominator = (
        _metric_figures(
            semantic_manifest, build, ratio["type_params"][side]["name"], ("score_band",)
        )
        for side in ("numerator", "denominator")
    )
    rates = {band: numerator.get(band, 0) / count for band, count in denominator.items()}
    assert rates == pytest.approx(expected_rates, rel=1e-12)
    checked = {*figures, "average_total_score", "conversion_rate"}
    assert checked == set(METRIC_TYPES), "a metric without a figure to compare"
    # Not vacuous: the crafted data has MQLs, SQLs, conversions and upward band changes.
    assert expected_mqls[("default",)] > expected_sqls[("default",)] > 0
    assert figures["converted_contacts"][1][()] > 0 and directions.count("up") > 0


@pytest.fixture(scope="module")
def demo_build(csv_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The project with the demo point tables of seeds/, built on DuckDB."""
    tmp = tmp_path_factory.mktemp("build_demo_config")
    project = copy_project(tmp / "project")
    database = tmp / "demo.duckdb"
    demo_data.load_duckdb(csv_dir, database, schema="raw")
    log, results = _build(
        "duckdb", {"LEAD_SCORING_DUCKDB_PATH": str(database)}, "raw", tmp, project
    )

    def query(sql: str) -> list[tuple]:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute(sql).fetchall()

    return Build("duckdb", query, "main", "main_staging", log, results, project)


def test_demo_configuration_builds_and_every_rule_kind_fires(demo_build: Build) -> None:
    """The demo point tables pass every test and use every kind of rule and score model."""
    assert set(demo_build.results.values()) <= {"pass", "success"}
    kinds = demo_build.query(
        "select distinct rule_kind from main.lead_scoring__score_details order by rule_kind"
    )
    assert [k for (k,) in kinds] == [
        "adjustment", "attribute", "combination", "event", "inactivity", "repeat",
    ]  # fmt: skip
    models = demo_build.query(
        "select distinct score_model from main.lead_scoring__scores order by 1"
    )
    assert [m for (m,) in models] == ["default", "emea", "semantic_layer"]
    capped_by = demo_build.query(
        "select distinct capped_by from main.lead_scoring__score_details "
        "where capped_by is not null order by 1"
    )
    assert [c for (c,) in capped_by] == ["cap_group", "max_points"]


def test_new_score_model_in_the_seed_adds_wide_columns(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Rows added to the point tables only (no SQL edited) give a new score model its columns."""
    tmp = tmp_path_factory.mktemp("new_score_model")
    project = copy_project(tmp / "project", seeds=SCORING_CONFIG)
    seeds = project / "seeds"
    additions = {
        "score_models": ["partner,Contacts referred by partners,,,,"],
        "score_model_segments": [
            "partner,from_partner,attribute,lead_source,equals,direct,,,,,,,Direct contacts"
        ],
        "explicit_rules": ["partner_fit_vp,partner,seniority,equals,vp,,,50,,VP"],
        "score_bands": [
            f"partner,{band},{minimum},{band}"
            for band, minimum in [("cold", 0), ("warm", 20), ("hot", 40), ("MQL", 60), ("SQL", 80)]
        ],
        "fit_grades": [
            f"partner,{grade},{minimum},{grade}"
            for grade, minimum in [("D", 0), ("C", 10), ("B", 20), ("A", 30)]
        ],
        "engagement_levels": [
            f"partner,{level},{minimum},{level}"
            for level, minimum in [("4", 0), ("3", 10), ("2", 20), ("1", 40)]
        ],
    }
    for table, rows in additions.items():
        with (seeds / seed_file(table)).open("a", encoding="utf-8") as handle:
            handle.write("".join(row + "\n" for row in rows))
    database = tmp / "new_model.duckdb"
    demo_data.load_duckdb(_crafted_only_csvs(tmp / "csv"), database, schema="raw")
    result = _dbt(
        [
            "build",
            "--select",
            # lead_scoring__scores_wide is published with the other published marts only
            "+tag:published",
            "--indirect-selection",
            "cautious",
            "--exclude",
            "resource_type:unit_test",
            "--vars",
            json.dumps({"lead_scoring__as_of": crafted.AS_OF}),
        ],
        {"LEAD_SCORING_DUCKDB_PATH": str(database)},
        tmp / "target",
        project,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute(
            "select partner_total_score, partner_score_band, partner_score_matrix, "
            "default_total_score from main.lead_scoring__scores_wide where contact_id = 'c_vp'"
        ).fetchone()
    # every crafted contact came in Direct; c_vp is a VP: 50 -> grade A, level 4, band hot
    assert (float(row[0]), row[1], row[2], float(row[3])) == (50.0, "hot", "A4", 71.5)


def _crafted_only_csvs(out: Path) -> Path:
    """The crafted rows alone, as CSV files (no generated contacts: a quicker build)."""
    from datetime import date

    demo_data.write_demo_csvs(
        out,
        contacts=demo_data.MIN_CONTACTS,
        seed=GENERATED_SEED,
        end_date=date.fromisoformat(crafted.END_DATE),
        extra_rows=crafted.EXTRA_ROWS,
    )
    return out
