"""`leadscoring calibrate`: learned points, the regression in SQL, no leakage.

On a small demo data set, on DuckDB and PostgreSQL: calibrate builds the
project as of a cutoff beside the real build, writes a proposed seeds folder
that `leadscoring validate` accepts, and the regression it writes as seed
predictive_weights gives, computed in SQL by lead_scoring__score_predictions, the
probability scikit-learn predicts for every contact (within 1e-9). On DuckDB,
moving an event and an attribute change after the cutoff leaves every feature
as it was, while a later cutoff sees them (so the check can fail).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from leadscoring import calibrate, demo_data
from leadscoring.contract import seed_file, seed_name

from tests.python.warehouse import Warehouse, warehouses

END_DATE = "2026-06-30"
CUTOFF = "2026-06-30"
CONTACTS = 600
SUFFIX = "cal"


def calibrate_command(wh: Warehouse, out: Path, cutoff: str = CUTOFF) -> list[str]:
    target = wh.target
    return [
        sys.executable, "-m", "leadscoring", "calibrate", "--project-dir", str(wh.project),
        "--profiles-dir", str(wh.project), "--target", target, "--cutoff", cutoff,
        "--min-support", "10", "--min-expected-conversions", "1", "--schema-suffix", SUFFIX,
        "--vars", json.dumps({"lead_scoring__source_schema": wh.raw_schema}), "--out", str(out),
    ]  # fmt: skip


def run_calibrate(wh: Warehouse, out: Path, cutoff: str = CUTOFF) -> str:
    result = subprocess.run(
        calibrate_command(wh, out, cutoff),
        capture_output=True, text=True, check=False, env={**os.environ, **wh.env},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(
    scope="module",
    params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Warehouse, Path, str]]:
    tmp = tmp_path_factory.mktemp(f"calibration_{request.param}")

    def conninfo() -> str:
        return request.getfixturevalue("pg_conninfo")

    for wh in warehouses(request.param, tmp, conninfo, "t_calibration", seeds=None):
        raw = tmp / "raw"
        demo_data.write_demo_csvs(raw, contacts=CONTACTS, seed=3, end_date=date(2026, 6, 30))
        wh.load(raw)
        # What a first build leaves: seeds, staging and the attribute history.
        wh.dbt("seed")
        wh.dbt("build", "--select", "+resource_type:snapshot", "--exclude", "resource_type:test",
               "resource_type:unit_test")  # fmt: skip
        out = tmp / "calibration"
        stdout = run_calibrate(wh, out)
        yield wh, out, stdout
        if wh.target == "postgres":
            drop_suffixed(wh)


def drop_suffixed(wh: Warehouse) -> None:
    for layer in ("", "_staging", "_intermediate", "_scoring_config"):
        wh.execute(f'drop schema if exists "{wh.schema}{layer}_{SUFFIX}" cascade')


def cal_relation(wh: Warehouse, name: str, layer: str = "") -> str:
    return f"{wh.schema}{'_' + layer if layer else ''}_{SUFFIX}.{name}"


def test_the_proposed_seeds_pass_validation(
    built: tuple[Warehouse, Path, str], tmp_path: Path
) -> None:
    wh, out, stdout = built
    assert "ROC AUC" in stdout and "proposed point table" in stdout
    project = tmp_path / "project"
    shutil.copytree(wh.project, project, ignore=shutil.ignore_patterns("target", "*.duckdb*"))
    shutil.rmtree(project / "seeds")
    shutil.copytree(out / "seeds", project / "seeds")
    shutil.copy(wh.project / "seeds" / "_seeds.yml", project / "seeds" / "_seeds.yml")
    result = subprocess.run(
        [sys.executable, "-m", "leadscoring", "validate", "--project-dir", str(project)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("evidence.csv", "diff.csv", "diff.md", "evaluation.json", "deciles.csv"):
        assert (out / name).stat().st_size > 0, name


@pytest.mark.parametrize("built", ["duckdb"], indirect=True)
def test_the_pipeline_scores_the_proposal_as_calibrate_does(
    built: tuple[Warehouse, Path, str], tmp_path: Path
) -> None:
    """evaluate --seeds builds the proposed seeds through the dbt models: the scores
    (so the AUC, the bands and every decile) equal calibrate's own sum of points."""
    # One engine is enough: the same models score both.
    wh, out, _ = built
    result = subprocess.run(
        [sys.executable, "-m", "leadscoring", "evaluate", "--project-dir", str(wh.project),
         "--profiles-dir", str(wh.project), "--target", wh.target, "--calibration", str(out),
         "--seeds", str(out / "seeds"), "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, env={**os.environ, **wh.env},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((tmp_path / "evaluation.json").read_text())
    other, proposed = results["other"], results["proposed"]
    assert other["contacts"] == proposed["contacts"] > 0
    assert other["auc"] == pytest.approx(proposed["auc"], abs=1e-12)
    assert other["bands"] == proposed["bands"]
    for mine, theirs in zip(other["deciles"], proposed["deciles"], strict=True):
        assert mine == pytest.approx(theirs, abs=1e-9)
    # Contact by contact: the proposed rules applied by dbt give each contact the
    # points of its criteria, as calibrate sums them.
    saved = json.loads((out / "calibration.json").read_text())
    points = {int(c["key"]): int(c["points"]) for c in saved["criteria"] if c["eligible"]}
    expected: dict[str, float] = {}
    for contact_id, key, value in wh.query(
        "select contact_id, criterion_key, feature_value from "
        + cal_relation(wh, "lead_scoring__calibration_contact_criteria")
    ):
        expected[contact_id] = expected.get(contact_id, 0.0) + points.get(int(key), 0) * value
    population = [
        r[0]
        for r in wh.query(
            f"select contact_id from {cal_relation(wh, 'lead_scoring__calibration_population')}"
        )
    ]
    scored = dict(
        wh.query(
            "select contact_id, total_score "
            f"from {wh.schema}_{SUFFIX}_other.lead_scoring__scores__shadow "
            "where score_model = 'default'"
        )
    )
    assert len(population) > 400
    differing = [
        (c, expected.get(c, 0.0), float(scored[c]))
        for c in population
        if abs(expected.get(c, 0.0) - float(scored[c])) > 1e-9
    ]
    assert differing == []


def test_sql_probability_equals_the_library_prediction(built: tuple[Warehouse, Path, str]) -> None:
    """lead_scoring__score_predictions (SQL, seed predictive_weights) == sklearn's predict_proba."""
    wh, out, _ = built
    weights = seed_file("predictive_weights")
    shutil.copy(out / "seeds" / weights, wh.project / "seeds" / weights)
    variables = {"lead_scoring__as_of": CUTOFF}
    wh.dbt("seed", "--select", seed_name("predictive_weights"), variables=variables)
    wh.dbt("run", "--select", "+lead_scoring__score_predictions", variables=variables)
    sql = {
        row[0]: float(row[1])
        for row in wh.query(
            "select contact_id, conversion_probability from "
            + wh.relation("", "lead_scoring__score_predictions")
        )
    }
    # The library side: the same regression fitted in this process on the same counts,
    # applied by scikit-learn to each contact's features as calibrate's build saw them.
    saved = json.loads((out / "calibration.json").read_text())
    options = calibrate.Options(**saved["options"])
    dbt = calibrate.Dbt(wh.project, wh.project, wh.target, options.dbt_vars())
    os.environ.update(wh.env)
    data = calibrate.read_data(dbt)
    calibrate.judge_evidence(data, options)
    regression = calibrate.fit_regression(data, options)
    # Read through dbt too: in this process, dbt's DuckDB connection is open.
    features: dict[str, list[tuple[int, float]]] = {}
    for row in dbt.query(
        "select contact_id, criterion_key, feature_value from "
        "{{ ref('lead_scoring__calibration_contact_criteria') }}"
    ):
        features.setdefault(str(row["contact_id"]), []).append(
            (int(row["criterion_key"]), float(row["feature_value"]))
        )
    population = [
        str(row["contact_id"])
        for row in dbt.query(
            "select contact_id from {{ ref('lead_scoring__calibration_population') }}"
        )
    ]
    from scipy.sparse import lil_matrix

    matrix = lil_matrix((len(population), len(regression.columns)))
    for i, contact_id in enumerate(population):
        for key, value in features.get(contact_id, []):
            if key in regression.columns:
                matrix[i, regression.columns[key]] = value
    predicted = regression.model.predict_proba(matrix.tocsr())[:, 1]
    assert set(sql) == set(population)
    worst = max(abs(sql[c] - float(p)) for c, p in zip(population, predicted, strict=True))
    assert worst < 1e-9, worst
    # Not a constant: the probabilities spread.
    assert max(sql.values()) - min(sql.values()) > 0.1


@pytest.mark.parametrize("built", ["duckdb"], indirect=True)
def test_features_ignore_what_happens_after_the_cutoff(
    built: tuple[Warehouse, Path, str], tmp_path: Path
) -> None:
    # DuckDB only: the as-of machinery is the same SQL on both engines. Last in the
    # module: it changes the raw data of the DuckDB warehouse.
    wh, _, _ = built

    def features() -> tuple[list[tuple], list[tuple]]:
        criteria = sorted(
            wh.query(f"select * from {cal_relation(wh, 'lead_scoring__calibration_criteria')}"),
            key=str,
        )
        fired = sorted(wh.query(
            "select f.contact_id, c.kind, c.attribute, c.match_value, c.event_type, "
            "c.page_category, "
            f"c.min_count, c.min_value, c.max_value, c.rule_id, f.feature_value "
            f"from {cal_relation(wh, 'lead_scoring__calibration_contact_criteria')} as f "
            f"join {cal_relation(wh, 'lead_scoring__calibration_criteria')} as c "
            "on f.criterion_key = c.criterion_key"
        ), key=str)  # fmt: skip
        return criteria, fired

    before = features()
    contact_id, seniority = wh.query(
        f"select contact_id, seniority from {wh.raw_schema}.contacts "
        "where lower(seniority) = 'individual contributor' order by contact_id limit 1"
    )[0]
    after_cutoff = datetime.strptime(CUTOFF, "%Y-%m-%d") + timedelta(days=2)
    stamp = after_cutoff.strftime("%Y-%m-%d %H:%M:%S")
    wh.execute(
        f"insert into {wh.raw_schema}.events (event_id, contact_id, event_type, occurred_at) "
        f"values ('evt_after_cutoff', '{contact_id}', 'demo_requested', '{stamp}')"
    )
    wh.execute(
        f"update {wh.raw_schema}.contacts set seniority = 'VP', updated_at = '{stamp}' "
        f"where contact_id = '{contact_id}'"
    )
    wh.dbt("run", "--select", "stg_lead_scoring__contacts", "stg_lead_scoring__events")
    wh.dbt("snapshot")
    run_calibrate(wh, tmp_path / "again")
    assert features() == before
    # Control: as of a moment after both changes, the features see them.
    later = (after_cutoff + timedelta(days=1)).strftime("%Y-%m-%d")
    run_calibrate(wh, tmp_path / "later", cutoff=later)
    _, fired = features()
    mine = {(row[1], row[2], row[3], row[4]) for row in fired if row[0] == contact_id}
    assert ("value", "seniority", "vp", None) in mine
    assert ("events", None, None, "demo_requested") in mine
    assert seniority.lower() == "individual contributor"
