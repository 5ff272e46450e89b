"""Calibration against a known truth, and on attribute-only data (DuckDB).

1. The demo generator plants the conversion relationship
   (demo_data.CONVERSION_COEFFICIENTS). On 20,000 generated contacts,
   calibration recovers it: every planted term's learned effect has the
   planted sign, the behaviour terms come out in the planted order
   (demo request 1.5 > trial 1.0 > quote 0.8 > webinar 0.6), and the proposed
   point table ranks the held-out contacts better (ROC AUC) than the
   hand-set demo table.
2. A CRM export with contacts and a converted flag only (no events, no
   accounts, no conversion dates) is built and calibrated end to end, with a
   stratified random split.
"""

from __future__ import annotations

import csv
import json
import math
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from leadscoring import demo_data

from tests.python.test_crm_export import EMPTY_SEEDS
from tests.python.warehouse import duckdb_warehouse

PLANTED = demo_data.CONVERSION_COEFFICIENTS


def calibrate(wh, out: Path, *extra: str, variables: dict | None = None) -> dict:
    result = subprocess.run(
        [
            sys.executable, "-m", "leadscoring", "calibrate", "--project-dir", str(wh.project),
            "--profiles-dir", str(wh.project), "--target", "duckdb", "--out", str(out),
            "--vars", json.dumps({"lead_scoring__source_schema": wh.raw_schema, **(variables or {})}),  # noqa: E501
            *extra,
        ],
        capture_output=True, text=True, check=False, env={**__import__("os").environ, **wh.env},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(result.stdout)
    return json.loads((out / "evaluation.json").read_text())


def weights(out: Path) -> dict[str, float]:
    saved = json.loads((out / "calibration.json").read_text())
    return {c["label"]: float(c["weight"]) for c in saved["criteria"] if c["eligible"]}


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_calibration_recovers_the_planted_truth(tmp_path: Path) -> None:
    wh = duckdb_warehouse(tmp_path, seeds=None)
    demo_data.write_demo_csvs(tmp_path / "raw", contacts=20000, seed=7, end_date=date(2026, 6, 30))
    wh.load(tmp_path / "raw")
    wh.dbt("seed")
    wh.dbt("build", "--select", "+resource_type:snapshot", "--exclude", "resource_type:test",
           "resource_type:unit_test")  # fmt: skip
    results = calibrate(wh, tmp_path / "out", "--cutoff", "2026-06-30")
    w = weights(tmp_path / "out")

    # One-hot criteria: a term's effect is its values' weight against the others'.
    seniority = {v: w[f"seniority = {v}"] for v in (
        "c-level", "vp", "owner", "director", "manager", "individual contributor", "intern", "student")}  # fmt: skip  # noqa: E501
    others = mean([seniority[v] for v in ("manager", "individual contributor", "intern")])
    executive = mean([seniority[v] for v in ("c-level", "vp", "owner")]) - others
    director = seniority["director"] - others
    student = seniority["student"] - others
    icp = mean(
        [
            w[f"industry = {v}"]
            for v in ("software", "financial services", "e-commerce", "healthcare")
        ]
    )
    non_icp = mean([w[f"industry = {v}"] for v in ("education", "government", "retail", "media", "logistics", "manufacturing")])  # fmt: skip  # noqa: E501
    technical = mean([w[f"department = {v}"] for v in ("data", "it")])
    non_technical = mean([w[f"department = {v}"] for v in ("finance", "marketing", "sales", "operations", "product")])  # fmt: skip  # noqa: E501
    behaviour = {
        name: w[f"{name} in 365 days: at least once"]
        for name in ("demo_requested", "trial_started", "quote_requested", "webinar_attended")
    }
    learned = {
        "seniority_executive": executive,
        "seniority_director": director,
        "student": student,
        "industry_icp": icp - non_icp,
        "department_technical": technical - non_technical,
        "free_mail": w["email_domain_kind = free"] - w["email_domain_kind is missing"],
        **behaviour,
    }
    print({k: round(v, 3) for k, v in learned.items()})
    for term, effect in learned.items():
        assert math.copysign(1, effect) == math.copysign(1, PLANTED[term]), (term, effect)
    # The planted order of the behaviour terms, and executives above directors.
    assert behaviour["demo_requested"] > behaviour["trial_started"] > behaviour["quote_requested"]
    assert behaviour["quote_requested"] > behaviour["webinar_attended"]
    assert executive > director
    # The proposed table ranks held-out contacts better than the hand-set one.
    assert results["proposed"]["auc"] > results["current"]["auc"], results


def crm_rows(count: int, seed: int) -> list[list[str]]:
    """Leads with a planted logit on title, source, visits, time on site and recency."""
    rng = random.Random(seed)
    titles = {"Manager": 0.6, "Director": 1.0, "Analyst": 0.0, "Intern": -1.0, "Engineer": 0.3}
    sources = {"Referral": 0.9, "Web": 0.0, "Event": 0.4, "Paid": -0.3}
    countries = ["France", "Germany", "Spain", "Italy", "n/a"]
    rows = []
    for i in range(count):
        title = rng.choice(list(titles))
        source = rng.choice(list(sources))
        visits = int(rng.expovariate(1 / 6))
        minutes = round(rng.expovariate(1 / 20), 1)
        age = rng.randrange(0, 365)
        logit = (
            -3.0
            + titles[title]
            + sources[source]
            + 0.12 * min(visits, 15)
            + 0.02 * min(minutes, 60)
            - 0.004 * age
        )
        converted = rng.random() < 1 / (1 + math.exp(-logit))
        last = (date(2026, 6, 30) - timedelta(days=age)).isoformat()
        rows.append([f"L-{i:05d}", f"lead{i}@example{i % 50}.com", title, source, rng.choice(countries),  # noqa: E501
                     str(visits), str(minutes), last, "Yes" if converted else "No"])  # fmt: skip
    return rows


CRM_VARS = {
    "lead_scoring__contacts_identifier": "crm_leads",
    "lead_scoring__accounts_identifier": None,
    "lead_scoring__events_identifier": None,
    "lead_scoring__conversions_identifier": "crm_leads",
    "lead_scoring__contacts_columns": {
        "contact_id": "Lead Id", "email": "Email", "job_title": "Job Title",
        "lead_source": "Lead Source", "country": "Country",
    },
    "lead_scoring__conversions_columns": {"contact_id": "Lead Id", "is_converted": "Converted"},
    "lead_scoring__extra_contact_attributes": {
        "total_visits": {"kind": "number", "column": "Total Visits"},
        "time_on_site": {"kind": "number", "column": "Time On Site"},
        "last_activity": {"kind": "date", "column": "Last Activity"},
    },
}  # fmt: skip


def test_attribute_only_data_is_calibrated_end_to_end(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    project_seeds = Path(__file__).resolve().parents[2] / "seeds"
    for name in (*EMPTY_SEEDS, "explicit_rules.csv", "number_buckets.csv"):
        header = (project_seeds / name).read_text(encoding="utf-8").splitlines()[0]
        (seeds / name).write_text(header + "\n", encoding="utf-8")
    (seeds / "score_models.csv").write_text(
        "score_model,description,min_total,max_total,half_life_days,timeframe_days\n"
        "default,CRM leads,0,,,\n"
    )
    (seeds / "score_bands.csv").write_text(
        "score_model,band,min_score,description\n"
        "default,cold,0,Cold\ndefault,warm,20,Warm\ndefault,MQL,40,MQL\n"
    )
    (seeds / "fit_grades.csv").write_text(
        "score_model,grade,min_points,description\ndefault,D,0,D\ndefault,A,30,A\n"
    )
    (seeds / "explicit_rules.csv").write_text(
        "rule_id,score_model,attribute,operator,value,min_value,max_value,points,cap_group,description\n"
        "r_manager,default,job_title,equals,manager,,,10,,Managers (a guess)\n"
        "r_web,default,lead_source,equals,web,,,15,,Web leads (a guess)\n"
    )
    wh = duckdb_warehouse(tmp_path, seeds=seeds)
    export = tmp_path / "export.csv"
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Lead Id", "Email", "Job Title", "Lead Source", "Country", "Total Visits",
                         "Time On Site", "Last Activity", "Converted"])  # fmt: skip
        writer.writerows(crm_rows(3000, seed=5))
    wh.load_file(export, "crm_leads")
    wh.dbt("seed", variables=CRM_VARS)
    wh.dbt("build", "--select", "+resource_type:snapshot", "--exclude", "resource_type:test",
           "resource_type:unit_test", variables=CRM_VARS)  # fmt: skip
    out = tmp_path / "out"
    results = calibrate(wh, out, "--cutoff", "2026-06-30", variables=CRM_VARS)
    population = json.loads((out / "calibration.json").read_text())["totals"]
    # Stratified: 30% of each outcome is test (rounded down per outcome).
    converted = sum(c for _, c in population.values())
    assert population["test"][1] == math.floor(converted * 0.3)
    learned = weights(out)
    assert any(label.startswith("total_visits") for label in learned)
    assert any(label.startswith("age of last_activity") for label in learned)
    assert learned["job_title = director"] > learned["job_title = intern"]
    assert learned["lead_source = referral"] > learned["lead_source = paid"]
    assert results["proposed"]["auc"] > results["current"]["auc"]
    print(
        "attribute-only AUC: proposed",
        results["proposed"]["auc"],
        "regression",
        results["regression"]["auc"],
    )
