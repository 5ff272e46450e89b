"""``leadscoring bench-calibration``: the targets of calibration, printed.

1. **Planted truth.** The demo generator plants how conversion depends on fit and
   behaviour (``demo_data.CONVERSION_COEFFICIENTS``). Calibrate on generated
   demo data and print, term by term, the planted coefficient and the learned
   effect (``learned_effects``), the two orders, and the test ROC AUC of the
   hand-set demo table, the proposed table and the regression.
2. **Attribute-only.** A CRM export (contacts with attributes, aggregated
   behaviour columns and a converted flag; no events, accounts or dates,
   ``crm_rows``) is calibrated; the proposed integer table's test AUC is
   printed next to the regression's, with the gap against the 0.01 target.
3. **Scale.** The same CRM export with ``--scale`` leads (default 1M): the
   time of the calibration build (the counting, in DuckDB) and of the Python
   part, and the peak memory of each.

Nothing here is a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from leadscoring import demo_data
from leadscoring.calibrate import PROJECT_COPY_IGNORE
from leadscoring.contract import seed_file

REPO_ROOT = Path(__file__).resolve().parents[3]
END_DATE = date(2026, 6, 30)

# --------------------------------------------------------------------------- planted truth

EXECUTIVE = ("c-level", "vp", "owner")
OTHER_SENIORITY = ("manager", "individual contributor", "intern")
ICP = ("software", "financial services", "e-commerce", "healthcare")
NON_ICP = ("education", "government", "retail", "media", "logistics", "manufacturing")
TECHNICAL = ("data", "it")
NON_TECHNICAL = ("finance", "marketing", "sales", "operations", "product")
BEHAVIOUR = ("demo_requested", "trial_started", "quote_requested", "webinar_attended")


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def learned_effects(weights: dict[str, float]) -> dict[str, float]:
    """The learned effect of each planted term, from calibrate's weights by label.

    The criteria are one-hot (one per value), so a term's effect is the mean
    weight of its values minus the mean weight of the other values of the same
    attribute: that difference is what the planted coefficient measures. A
    behaviour term's effect is that of one event: the sum of its stream's ladder.
    Department: engineering is left out of both sides (the generator counts
    it as technical, but its share of junk sign-ups differs).
    """

    def w(label: str) -> float:
        return weights.get(label, 0.0)

    others = _mean([w(f"seniority = {v}") for v in OTHER_SENIORITY])
    effects = {
        "seniority_executive": _mean([w(f"seniority = {v}") for v in EXECUTIVE]) - others,
        "seniority_director": w("seniority = director") - others,
        "student": w("seniority = student") - others,
        "industry_icp": _mean([w(f"industry = {v}") for v in ICP])
        - _mean([w(f"industry = {v}") for v in NON_ICP]),
        "department_technical": _mean([w(f"department = {v}") for v in TECHNICAL])
        - _mean([w(f"department = {v}") for v in NON_TECHNICAL]),
        "free_mail": w("email_domain_kind = free") - w("email_domain_kind is missing"),
    }
    # An event stream is a ladder of criteria min(count, N), N = 1, 2, 3 ...: at one
    # event each of them is 1, so the effect of "at least once" is their sum.
    for name in BEHAVIOUR:
        effects[name] = sum(
            weight for label, weight in weights.items() if label.startswith(f"{name} in 365 days:")
        )
    return effects


# --------------------------------------------------------------------------- CRM export

CRM_HEADER = [
    "Lead Id", "Email", "Job Title", "Lead Source", "Country", "Total Visits",
    "Time On Site", "Last Activity", "Converted",
]  # fmt: skip
CRM_TITLES = {"Manager": 0.6, "Director": 1.0, "Analyst": 0.0, "Intern": -1.0, "Engineer": 0.3}
CRM_SOURCES = {"Referral": 0.9, "Web": 0.0, "Event": 0.4, "Paid": -0.3}
CRM_COUNTRIES = ("France", "Germany", "Spain", "Italy", "n/a")
CRM_VARS: dict[str, Any] = {
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


def crm_rows(count: int, seed: int) -> list[list[str]]:
    """Leads whose conversion follows a planted logit on their columns::

    logit = -3.0 + title + source + 0.12 * min(visits, 15) + 0.02 * min(minutes, 60)
            - 0.004 * days since the last activity
    """
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        title = rng.choice(list(CRM_TITLES))
        source = rng.choice(list(CRM_SOURCES))
        visits = int(rng.expovariate(1 / 6))
        minutes = round(rng.expovariate(1 / 20), 1)
        age = rng.randrange(0, 365)
        logit = (
            -3.0 + CRM_TITLES[title] + CRM_SOURCES[source] + 0.12 * min(visits, 15)
            + 0.02 * min(minutes, 60) - 0.004 * age
        )  # fmt: skip
        converted = rng.random() < 1 / (1 + math.exp(-logit))
        last = (END_DATE - timedelta(days=age)).isoformat()
        rows.append(
            [f"L-{i:07d}", f"lead{i}@example{i % 50}.com", title, source,
             rng.choice(CRM_COUNTRIES), str(visits), str(minutes), last,
             "Yes" if converted else "No"]
        )  # fmt: skip
    return rows


def write_crm_export(path: Path, count: int, seed: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CRM_HEADER)
        writer.writerows(crm_rows(count, seed))
    return path


def write_crm_seeds(folder: Path) -> Path:
    """A guessed point table for the CRM export: two rules, as a new user writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    project_seeds = REPO_ROOT / "seeds"
    for path in project_seeds.glob("*.csv"):
        header = path.read_text(encoding="utf-8").splitlines()[0]
        (folder / path.name).write_text(header + "\n", encoding="utf-8")
    (folder / seed_file("score_models")).write_text(
        "score_model,description,min_total,max_total,half_life_days,timeframe_days\n"
        "default,CRM leads,0,,,\n"
    )
    (folder / seed_file("score_bands")).write_text(
        "score_model,band,min_score,description\n"
        "default,cold,0,Cold\ndefault,warm,20,Warm\ndefault,MQL,40,MQL\n"
    )
    (folder / seed_file("fit_grades")).write_text(
        "score_model,grade,min_points,description\ndefault,D,0,D\ndefault,A,30,A\n"
    )
    (folder / seed_file("explicit_rules")).write_text(
        "rule_id,score_model,attribute,operator,value,min_value,max_value,points,cap_group,"
        "description\n"
        "r_manager,default,job_title,equals,manager,,,10,,Managers (a guess)\n"
        "r_web,default,lead_source,equals,web,,,15,,Web leads (a guess)\n"
    )
    return folder


# --------------------------------------------------------------------------- running


class Project:
    """A copy of the project building into one DuckDB file."""

    def __init__(self, workdir: Path, seeds: Path | None = None) -> None:
        self.dir = workdir / "project"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        shutil.copytree(REPO_ROOT, self.dir, ignore=PROJECT_COPY_IGNORE)
        if seeds is not None:
            for path in (self.dir / "seeds").glob("*.csv"):
                path.unlink()
            for path in seeds.glob("*.csv"):
                shutil.copy(path, self.dir / "seeds" / path.name)
        self.database = workdir / "warehouse.duckdb"
        for stale in workdir.glob("warehouse.duckdb*"):
            stale.unlink()
        self.env = {**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(self.database)}

    @classmethod
    def at(cls, project_dir: Path, database: Path) -> Project:
        """A project copy that already exists, building into ``database``."""
        project = cls.__new__(cls)
        project.dir, project.database = project_dir, database
        project.env = {**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(database)}
        return project

    def run(self, *command: str) -> subprocess.CompletedProcess:
        result = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(
                f"{' '.join(command[:3])} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
            )
        return result

    def dbt(self, *args: str, variables: dict | None = None) -> None:
        dbt = str(Path(sys.executable).with_name("dbt"))
        self.run(
            dbt, *args, "--project-dir", str(self.dir), "--profiles-dir", str(self.dir),
            "--target", "duckdb", "--vars", json.dumps(variables or {}),
        )  # fmt: skip

    def first_build(self, variables: dict | None = None) -> None:
        """What calibrate needs of a first build: seeds, staging and the snapshots."""
        self.dbt("seed", variables=variables)
        self.dbt("build", "--select", "+resource_type:snapshot", "--exclude", "resource_type:test",
                 "resource_type:unit_test", variables=variables)  # fmt: skip

    def calibrate(self, out: Path, *extra: str, variables: dict | None = None) -> dict[str, Any]:
        self.run(
            sys.executable, "-m", "leadscoring", "calibrate", "--project-dir", str(self.dir),
            "--profiles-dir", str(self.dir), "--target", "duckdb", "--out", str(out),
            "--cutoff", END_DATE.isoformat(), "--vars", json.dumps(variables or {}), *extra,
        )  # fmt: skip
        return json.loads((out / "evaluation.json").read_text())


def weights_by_label(out: Path) -> dict[str, float]:
    saved = json.loads((out / "calibration.json").read_text())
    return {c["label"]: float(c["weight"]) for c in saved["criteria"] if c["eligible"]}


def _auc_line(results: dict[str, Any]) -> str:
    return ", ".join(
        f"{key} {results[key]['auc']:.4f}" for key in ("current", "proposed", "regression")
    )


def planted(workdir: Path, contacts: int, seed: int) -> None:
    print(f"== planted truth: {contacts} demo contacts (seed {seed})", flush=True)
    project = Project(workdir / "planted")
    demo_data.write_demo_csvs(workdir / "planted" / "raw", contacts=contacts, seed=seed,
                              end_date=END_DATE)  # fmt: skip
    demo_data.load_duckdb(workdir / "planted" / "raw", project.database, schema="raw")
    project.first_build()
    results = project.calibrate(workdir / "planted" / "out")
    effects = learned_effects(weights_by_label(workdir / "planted" / "out"))
    truth = demo_data.CONVERSION_COEFFICIENTS
    print(f"  {'term':24} {'planted':>8} {'learned':>8}  sign")
    for term in sorted(effects, key=lambda t: -abs(truth[t])):
        same = math.copysign(1, effects[term]) == math.copysign(1, truth[term])
        print(f"  {term:24} {truth[term]:>8.2f} {effects[term]:>8.3f}  {'ok' if same else 'WRONG'}")
    planted_order = sorted(BEHAVIOUR, key=lambda t: -truth[t])
    learned_order = sorted(BEHAVIOUR, key=lambda t: -effects[t])
    print(f"  behaviour order planted: {' > '.join(planted_order)}")
    print(f"  behaviour order learned: {' > '.join(learned_order)}"
          f"  ({'same' if planted_order == learned_order else 'DIFFERENT'})")  # fmt: skip
    print(f"  test ROC AUC: {_auc_line(results)}")
    better = results["proposed"]["auc"] > results["current"]["auc"]
    print(f"  proposed beats the hand-set table: {'yes' if better else 'NO'}")


def attribute_only(workdir: Path, leads: int, seed: int) -> None:
    print(f"== attribute-only CRM export: {leads} leads (seed {seed})", flush=True)
    base = workdir / "crm"
    base.mkdir(parents=True, exist_ok=True)
    project = Project(base, seeds=write_crm_seeds(base / "seeds"))
    export = write_crm_export(base / "export.csv", leads, seed)
    project.run(sys.executable, "-m", "leadscoring", "load", str(export), "--table", "crm_leads",
                "--schema", "raw", "--duckdb", str(project.database))  # fmt: skip
    project.first_build(CRM_VARS)
    results = project.calibrate(base / "out", variables=CRM_VARS)
    gap = results["regression"]["auc"] - results["proposed"]["auc"]
    print(f"  test ROC AUC: {_auc_line(results)}")
    print(f"  regression - proposed integer table: {gap:+.4f} "
          f"({'within' if abs(gap) <= 0.01 else 'NOT within'} the 0.01 target)")  # fmt: skip


def scale(workdir: Path, leads: int, seed: int) -> None:
    print(f"== scale: calibrating {leads} leads (attribute-only CRM export)", flush=True)
    base = workdir / "scale"
    base.mkdir(parents=True, exist_ok=True)
    project = Project(base, seeds=write_crm_seeds(base / "seeds"))
    started = time.perf_counter()
    export = write_crm_export(base / "export.csv", leads, seed)
    project.run(sys.executable, "-m", "leadscoring", "load", str(export), "--table", "crm_leads",
                "--schema", "raw", "--duckdb", str(project.database))  # fmt: skip
    project.first_build(CRM_VARS)
    print(f"  data and first build: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    project.calibrate(base / "out", variables=CRM_VARS)
    elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  calibrate (build as of the cutoff, counting, regression, outputs): {elapsed:.0f} s")
    print(f"  peak memory of the largest child process (dbt or calibrate): {children:.0f} MB")


def run(args: argparse.Namespace) -> int:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if "planted" in args.parts:
        planted(workdir, args.contacts, args.seed)
    if "attributes" in args.parts:
        attribute_only(workdir, args.leads, args.seed)
    if "scale" in args.parts:
        scale(workdir, args.scale, args.seed)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the bench-calibration subcommand."""
    parser = subparsers.add_parser(
        "bench-calibration",
        help="print calibration's targets: planted truth, attribute-only AUC, scale",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--workdir", default="/tmp/leadscoring-bench-calibration")
    parser.add_argument("--contacts", type=int, default=20000, help="demo contacts (planted truth)")
    parser.add_argument("--leads", type=int, default=20000, help="CRM leads (attribute-only)")
    parser.add_argument("--scale", type=int, default=1_000_000, help="CRM leads (scale)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--parts", type=lambda text: set(text.split(",")),
        default={"planted", "attributes", "scale"},
        help="which parts, comma-separated: planted,attributes,scale (default: all)",
    )  # fmt: skip
    parser.set_defaults(handler=run)
