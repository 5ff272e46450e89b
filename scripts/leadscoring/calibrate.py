"""``leadscoring calibrate``: learn the points from past conversions.

The dbt project is built as of a cutoff into schemas of its own (var
``lead_scoring__schema_suffix``), with the models of ``models/calibration``:
the contacts that existed at the cutoff and their outcome, the candidate
criteria, and the evidence of each criterion, all counted in the warehouse.
Python then reads those counts (never a row per contact), fits a regularised
logistic regression on the criteria, and writes a proposed seeds folder (its
files named as the package's seeds, ``lead_scoring__<table>.csv``: a dbt
project can use it as its seeds folder as it is):

- the calibrated score model's rules, with points = the regression's weight
  rescaled to integers (``--points-to-double-odds`` points double the odds);
- ``lead_scoring__predictive_weights.csv``, the regression itself, which
  ``lead_scoring__score_predictions`` applies in SQL;
- band thresholds such that a band means the same conversion probability in
  every score model;
- ``evidence.csv`` (every criterion and current rule: support, conversion rate
  with and without, lift, log-odds), ``diff.csv`` and ``diff.md`` (rule, old
  points, new points, evidence) and ``calibration.json`` (what evaluate reads).

The README ("Learning the points") explains the method and its choices.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from leadscoring.contract import SEED_PREFIX, seed_file
from leadscoring.warehouse import add_project_arguments, release_duckdb

DEFAULT_SUFFIX = "calibration"
# A score model's band thresholds are re-read from its scores only with this many
# training conversions in it: with fewer, a fitted probability curve is noise.
MIN_CONVERSIONS_FOR_BANDS = 10
POINT_TABLES = ("explicit_rules", "implicit_rules", "negative_rules", "repeat_rules")
COMBINATION_TABLES = ("combination_rules", "combination_rule_steps")
# The point tables the proposal rewrites (the other seeds are copied as they are).
PROPOSAL_TABLES = (*POINT_TABLES, *COMBINATION_TABLES, "point_caps", "score_models", "score_bands")


class CalibrationError(Exception):
    """A problem the user can fix; printed without a traceback."""


# --------------------------------------------------------------------------- dbt


@dataclass
class Dbt:
    """Runs the dbt project through the user's profile, with the calibration vars."""

    project_dir: Path
    profiles_dir: Path | None
    target: str | None
    variables: dict[str, Any]
    quiet: bool = False

    def _common(self) -> list[str]:
        args = ["--project-dir", str(self.project_dir), "--vars", json.dumps(self.variables)]
        if self.profiles_dir is not None:
            args += ["--profiles-dir", str(self.profiles_dir)]
        if self.target:
            args += ["--target", self.target]
        return args

    def build(self) -> None:
        """Build the calibration models and everything upstream (no tests, no snapshots).

        In full (--full-refresh): the schemas are calibrate's own, and a build as of
        another cutoff must not start from the incremental state of the last one.
        """
        dbt = str(Path(sys.executable).with_name("dbt"))
        if not Path(dbt).exists():
            dbt = shutil.which("dbt") or "dbt"
        command = [
            dbt, "build", "--select", "+path:models/calibration", "+lead_scoring__bias_check",
            "+lead_scoring__bias_rules", "--full-refresh",
            "--exclude", "resource_type:test", "resource_type:snapshot", "resource_type:unit_test",
            *self._common(),
        ]  # fmt: skip
        if not self.quiet:
            print(f"==> dbt build as of the cutoff (schemas ending in _{self.suffix})", flush=True)
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
            hint = ""
            if "snapshot" in output and "does not exist" in output:
                hint = (
                    "The snapshots are missing: run `dbt build` once first (they hold the "
                    "attribute history calibrate reads).\n"
                )
            raise CalibrationError(
                f"the calibration build failed. {hint}The end of dbt's output:\n"
                + "\n".join(line for line in output.splitlines()[-40:] if "SKIP" not in line)
            )

    @property
    def suffix(self) -> str:
        return str(self.variables.get("lead_scoring__schema_suffix") or "")

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Rows of an inline query (it may use ref()), through dbt's adapter."""
        import contextlib
        import io

        from dbt.cli.main import dbtRunner

        # dbt show prints the rows it returns; they are read from the result instead.
        with contextlib.redirect_stdout(io.StringIO()):
            result = dbtRunner().invoke(
                ["show", "--inline", sql, "--limit", "-1", "--quiet", *self._common()]
            )
        release_duckdb()
        if not result.success:
            hint = ""
            if "does not exist" in str(result.exception) or "not found" in str(result.exception):
                hint = " (no calibration build here yet? run calibrate without --no-build)"
            raise CalibrationError(
                f"a query of the calibration models failed{hint}: {result.exception}"
            )
        table = result.result.results[0].agate_table
        names = list(table.column_names)
        return [dict(zip(names, row, strict=True)) for row in table.rows]


def dated_conversions(dbt: Dbt) -> bool:
    """Whether any staged conversion has a date."""
    rows = dbt.query(
        "select count(*) as dated from {{ ref('stg_lead_scoring__conversions') }} "
        "where converted_at is not null"
    )
    return bool(rows and int(rows[0]["dated"]) > 0)


# --------------------------------------------------------------------------- criteria


@dataclass
class Criterion:
    """One candidate criterion (or current rule) and its evidence on the training set."""

    key: int
    kind: str
    rule_id: str | None = None
    score_model: str | None = None
    attribute: str | None = None
    value: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    event_type: str | None = None
    page_category: str | None = None
    min_count: int | None = None
    window_days: Decimal | None = None
    contacts: int = 0
    converted: int = 0
    test_contacts: int = 0
    test_converted: int = 0
    eligible: bool = False
    reason: str = ""
    weight: float = 0.0
    points: int = 0

    @property
    def label(self) -> str:
        """A readable, unique name."""
        if self.kind == "rule":
            return f"rule {self.rule_id}"
        if self.kind == "value":
            return f"{self.attribute} = {self.value}"
        if self.kind == "missing":
            return f"{self.attribute} is missing"
        if self.kind == "rare_values":
            return f"{self.attribute}: {self.min_count} rare values"
        if self.kind in ("range", "age_range"):
            what = self.attribute if self.kind == "range" else f"age of {self.attribute} (days)"
            low, high = _num(self.min_value), _num(self.max_value)
            if low is None:
                return f"{what} <= {high}"
            if high is None:
                return f"{what} >= {low}"
            return f"{what} {low}..{high}"
        what = self.event_type + (f" on {self.page_category} pages" if self.page_category else "")
        window = f" in {_num(self.window_days)} days" if self.window_days is not None else ""
        if self.min_count == 1:
            return f"{what}{window}: at least once"
        return f"{what}{window}: per event, up to {self.min_count}"


def _num(value: Decimal | float | int | None) -> str | None:
    """A number as short text: 200, 12.5 (no trailing zeros, no exponent)."""
    if value is None:
        return None
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class Evidence:
    """Rates on one set of contacts."""

    contacts: int
    converted: int
    with_contacts: int
    with_converted: int

    @property
    def rate_with(self) -> float | None:
        return self.with_converted / self.with_contacts if self.with_contacts else None

    @property
    def rate_without(self) -> float | None:
        without = self.contacts - self.with_contacts
        return (self.converted - self.with_converted) / without if without else None

    @property
    def lift(self) -> float | None:
        base = self.converted / self.contacts if self.contacts else 0
        rate = self.rate_with
        return rate / base if rate is not None and base else None

    @property
    def log_odds(self) -> float:
        """Log odds ratio with and without, each cell + 0.5 (Haldane): finite at 0."""
        a = self.with_converted + 0.5
        b = self.with_contacts - self.with_converted + 0.5
        c = self.converted - self.with_converted + 0.5
        d = self.contacts - self.with_contacts - (self.converted - self.with_converted) + 0.5
        return math.log(a / b) - math.log(c / d)


# --------------------------------------------------------------------------- options


@dataclass
class Options:
    """What calibrate was asked to do (also saved in calibration.json)."""

    cutoff: str | None = None
    outcome_window_days: int | None = None
    split: str = "random"
    test_percent: int = 30
    seed: int = 42
    min_support: int = 30
    min_expected_conversions: float = 5.0
    quantiles: int = 5
    event_window_days: int | None = 365
    score_model: str = "default"
    regularisation: float = 1.0
    points_to_double_odds: float = 10.0
    suffix: str = DEFAULT_SUFFIX
    # None: `unknown` with an outcome window (a profile first recorded after the
    # cutoff must not stand for the cutoff), `earliest` for one snapshot.
    attributes_before_first_version: str | None = None
    extra_vars: dict[str, Any] = field(default_factory=dict)

    def dbt_vars(self) -> dict[str, Any]:
        variables = dict(self.extra_vars)
        variables.update(
            {
                "lead_scoring__calibration": True,
                "lead_scoring__schema_suffix": self.suffix,
                "lead_scoring__as_of": self.cutoff,
                "lead_scoring__calibration_outcome_window_days": self.outcome_window_days,
                "lead_scoring__calibration_split": self.split,
                "lead_scoring__calibration_test_percent": self.test_percent,
                "lead_scoring__calibration_seed": self.seed,
                "lead_scoring__calibration_min_support": self.min_support,
                "lead_scoring__calibration_quantiles": self.quantiles,
                "lead_scoring__calibration_event_window_days": self.event_window_days,
                "lead_scoring__calibration_score_model": self.score_model,
                # Only the cutoff is scored: no history days to restate.
                "lead_scoring__lookback_days": 0,
                "lead_scoring__history_backfill_from": None,
                "lead_scoring__attributes_before_first_version": (
                    self.attributes_before_first_version
                    or ("unknown" if self.outcome_window_days is not None else "earliest")
                ),
            }
        )
        return variables


# --------------------------------------------------------------------------- data


@dataclass
class Data:
    """What the warehouse counted."""

    totals: dict[str, tuple[int, int]]  # split -> (contacts, converted)
    criteria: list[Criterion]
    patterns: list[tuple[str, str, int, int]]  # pattern, split, contacts, converted
    scores: list[dict[str, Any]]  # score_model, split, total_score, band, rank, contacts, converted
    bands: list[dict[str, Any]]  # score_model, band, min_score


def read_data(dbt: Dbt) -> Data:
    """Read the counts of the calibration models."""
    totals = {
        str(row["split"]): (int(row["contacts"]), int(row["converted"]))
        for row in dbt.query(
            "select split, count(*) as contacts, sum(is_converted) as converted "
            "from {{ ref('lead_scoring__calibration_population') }} group by split"
        )
    }
    if not totals:
        raise CalibrationError(
            "no contact to learn from: none existed at the cutoff with a profile known then "
            "in the score model calibrated. With --outcome-window-days, a contact counts only "
            "from its first recorded version (snapshots): is the cutoff before the first "
            "snapshot? (--attributes-before-first-version earliest uses the first version "
            "for earlier moments, at the price of attributes from after the cutoff.)"
        )
    if "train" not in totals or totals["train"][1] == 0:
        raise CalibrationError(
            "no training contact converted: nothing to learn from. Check the cutoff and "
            "--outcome-window-days (conversions must fall in the window after the cutoff), "
            "and var lead_scoring__calibration_outcomes."
        )
    criteria = {
        int(row["criterion_key"]): Criterion(
            key=int(row["criterion_key"]),
            kind=str(row["kind"]),
            rule_id=_str(row["rule_id"]),
            score_model=_str(row["score_model"]),
            attribute=_str(row["attribute"]),
            value=_str(row["match_value"]),
            min_value=_dec(row["min_value"]),
            max_value=_dec(row["max_value"]),
            event_type=_str(row["event_type"]),
            page_category=_str(row["page_category"]),
            min_count=_int(row["min_count"]),
            window_days=_dec(row["window_days"]),
        )
        for row in dbt.query("select * from {{ ref('lead_scoring__calibration_criteria') }}")
    }
    for row in dbt.query("select * from {{ ref('lead_scoring__calibration_criterion_stats') }}"):
        criterion = criteria[int(row["criterion_key"])]
        if row["split"] == "train":
            criterion.contacts, criterion.converted = int(row["contacts"]), int(row["converted"])
        else:
            criterion.test_contacts = int(row["contacts"])
            criterion.test_converted = int(row["converted"])
    # Sorted: the regression sees its rows in one order, so two runs on the same
    # counts give the same weights to the last digit.
    patterns = sorted(
        (str(row["pattern"] or ""), str(row["split"]), int(row["contacts"]), int(row["converted"]))
        for row in dbt.query("select * from {{ ref('lead_scoring__calibration_patterns') }}")
    )
    scores = dbt.query("select * from {{ ref('lead_scoring__calibration_scores') }}")
    models = {str(row["score_model"]) for row in dbt.query(
        "select score_model from {{ ref('int_lead_scoring__score_models') }}"
    )}  # fmt: skip
    wanted = str(dbt.variables.get("lead_scoring__calibration_score_model"))
    if wanted not in models:
        raise CalibrationError(
            f"--score-model {wanted!r} is not a score model of seeds/{seed_file('score_models')} "
            f"(there: {', '.join(sorted(models))})"
        )
    bands = dbt.query(
        "select score_model, threshold_name as band, threshold_rank as band_rank, "
        "min_value as min_score from {{ ref('int_lead_scoring__score_thresholds_ranked') }} "
        "where threshold_kind = 'band'"
    )
    return Data(totals, sorted(criteria.values(), key=lambda c: c.key), patterns, scores, bands)


# --------------------------------------------------------------------------- evidence


def judge_evidence(data: Data, options: Options) -> None:
    """Mark the criteria with enough evidence to be weighed; say why the others are not.

    A criterion is weighed when at least ``min_support`` training contacts have it
    and as many do not, and when the conversions expected with it and without it
    at the base rate are both at least ``min_expected_conversions``: below that,
    a conversion rate is noise (one conversion more or less changes it a lot).
    """
    contacts, converted = data.totals["train"]
    base = converted / contacts
    for criterion in data.criteria:
        if criterion.kind == "rule":
            criterion.reason = "current rule: evidence only"
            continue
        if criterion.kind == "rare_values":
            criterion.reason = (
                f"too little evidence: {criterion.min_count} values with fewer than 5 training "
                f"contacts each ({criterion.contacts} contacts in all), not listed one by one"
            )
            continue
        without = contacts - criterion.contacts
        if criterion.contacts < options.min_support or without < options.min_support:
            criterion.reason = (
                f"too little evidence: {criterion.contacts} contacts with it, {without} "
                f"without (at least {options.min_support} each)"
            )
        elif min(criterion.contacts, without) * base < options.min_expected_conversions:
            criterion.reason = (
                f"too little evidence: {min(criterion.contacts, without) * base:.1f} "
                f"conversions expected (at least {options.min_expected_conversions:g})"
            )
        else:
            criterion.eligible = True


def evidence_of(criterion: Criterion, totals: tuple[int, int]) -> Evidence:
    return Evidence(totals[0], totals[1], criterion.contacts, criterion.converted)


# --------------------------------------------------------------------------- regression


def parse_pattern(pattern: str) -> list[tuple[int, float]]:
    """'3 7:2 9' -> [(3, 1.0), (7, 2.0), (9, 1.0)]."""
    items = []
    for token in pattern.split():
        key, _, value = token.partition(":")
        items.append((int(key), float(value) if value else 1.0))
    return items


def design(
    patterns: Iterable[tuple[str, str, int, int]], columns: dict[int, int], split: str
) -> tuple[Any, np.ndarray, np.ndarray, list[str]]:
    """The weighted design of one split: a row per pattern and outcome (weight = contacts)."""
    from scipy.sparse import csr_matrix

    rows, cols, values, labels, weights, kept = [], [], [], [], [], []
    row = 0
    for pattern, pattern_split, contacts, converted in patterns:
        if pattern_split != split:
            continue
        features = [(columns[k], v) for k, v in parse_pattern(pattern) if k in columns]
        for label, weight in ((1, converted), (0, contacts - converted)):
            if weight <= 0:
                continue
            for col, value in features:
                rows.append(row)
                cols.append(col)
                values.append(value)
            labels.append(label)
            weights.append(weight)
            kept.append(pattern)
            row += 1
    matrix = csr_matrix((values, (rows, cols)), shape=(row, len(columns)), dtype=float)
    return matrix, np.array(labels), np.array(weights, dtype=float), kept


@dataclass
class Regression:
    """The fitted logistic regression: intercept and a weight per criterion key."""

    intercept: float
    weights: dict[int, float]
    model: Any = None  # the fitted scikit-learn estimator (None when read back from a file)
    columns: dict[int, int] = field(default_factory=dict)  # criterion key -> column

    def log_odds(self, pattern: str) -> float:
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in parse_pattern(pattern))

    def probability(self, pattern: str) -> float:
        z = self.log_odds(pattern)
        # Written both ways so that neither overflows.
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def fit_regression(data: Data, options: Options) -> Regression:
    """L2-regularised logistic regression (scikit-learn, lbfgs) on the eligible criteria.

    Each pattern enters twice, as converted and not converted, weighted by its
    counts: the same fit as one row per contact. ``regularisation`` is sklearn's
    C (larger = weaker penalty; the penalty does not grow with the data, so with
    many contacts the weights approach the unpenalised ones).
    """
    from sklearn.linear_model import LogisticRegression

    eligible = [c.key for c in data.criteria if c.eligible]
    if not eligible:
        raise CalibrationError(
            "no criterion has enough evidence to be weighed (see evidence.csv for each one's "
            "reason): collect more outcomes, or lower --min-support and "
            "--min-expected-conversions, knowing that rates on few contacts are noise"
        )
    columns = {key: i for i, key in enumerate(eligible)}
    matrix, labels, weights, _ = design(data.patterns, columns, "train")
    if len(set(labels.tolist())) < 2:
        raise CalibrationError("the training set has only one outcome: nothing to learn")
    model = LogisticRegression(C=options.regularisation, max_iter=10000, tol=1e-10)
    model.fit(matrix, labels, sample_weight=weights)
    coefficients = model.coef_[0]
    for criterion in data.criteria:
        if criterion.key in columns:
            criterion.weight = float(coefficients[columns[criterion.key]])
    return Regression(
        float(model.intercept_[0]),
        {k: float(coefficients[i]) for k, i in columns.items()},
        model,
        columns,
    )


def assign_points(data: Data, options: Options) -> float:
    """Integer points: the weight times points_to_double_odds / ln 2, rounded. Returns the scale."""
    scale = options.points_to_double_odds / math.log(2)
    for criterion in data.criteria:
        criterion.points = round(criterion.weight * scale) if criterion.eligible else 0
    return scale


# --------------------------------------------------------------------------- metrics


def auc(scored: Sequence[tuple[float, int, int]]) -> float | None:
    """ROC AUC of (score, contacts, converted) groups; ties count one half."""
    by_score: dict[float, list[int]] = {}
    for score, contacts, converted in scored:
        cell = by_score.setdefault(float(score), [0, 0])
        cell[0] += converted
        cell[1] += contacts - converted
    positives = sum(c[0] for c in by_score.values())
    negatives = sum(c[1] for c in by_score.values())
    if not positives or not negatives:
        return None
    below, total = 0, 0.0
    for score in sorted(by_score):
        pos, neg = by_score[score]
        total += pos * (below + neg / 2)
        below += neg
    return total / (positives * negatives)


def platt(scored: Sequence[tuple[float, int, int]]) -> tuple[float, float] | None:
    """Fit P(convert) = sigmoid(a + b * score) on grouped counts; None if it cannot rank."""
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for score, contacts, converted in scored:
        for label, weight in ((1, converted), (0, contacts - converted)):
            if weight > 0:
                xs.append([float(score)])
                ys.append(label)
                ws.append(weight)
    if len(set(ys)) < 2:
        return None
    spread = np.std([x[0] for x in xs]) or 1.0
    model = LogisticRegression(C=1e6, max_iter=10000, tol=1e-10)
    model.fit(np.array(xs) / spread, ys, sample_weight=ws)
    b = float(model.coef_[0][0]) / spread
    return (float(model.intercept_[0]), b) if b > 0 else None


# --------------------------------------------------------------------------- proposal


def proposed_score(points: dict[int, int], pattern: str) -> float:
    """The proposed table's score of a pattern: its points, summed (no decay, no caps)."""
    return float(sum(points.get(k, 0) * v for k, v in parse_pattern(pattern)))


def grouped(rows: Iterable[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    return [(float(s), int(n), int(c)) for s, n, c in rows]


def scores_of(
    rows: Iterable[dict[str, Any]], model: str, split: str
) -> list[tuple[float, int, int]]:
    """(score, contacts, converted) of one score model and split,
    from lead_scoring__calibration_scores rows."""
    return grouped(
        (row["total_score"], row["contacts"], row["converted"])
        for row in rows
        if row["score_model"] == model and row["split"] == split
    )


def bands_of(rows: Iterable[dict[str, Any]], model: str) -> list[tuple[str, float]]:
    """(band, min_score) of one score model, lowest first, from threshold rows."""
    return sorted(
        ((str(r["band"]), float(r["min_score"])) for r in rows if r["score_model"] == model),
        key=lambda b: b[1],
    )


def current_scores(data: Data, model: str, split: str) -> list[tuple[float, int, int]]:
    return scores_of(data.scores, model, split)


def propose_thresholds(
    data: Data, options: Options, proposed_train: list[tuple[float, int, int]]
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """New band minimums per score model, so that a band means one conversion probability.

    The probabilities are those of the calibrated model's current thresholds (its
    current scores, fitted to conversion by a one-variable logistic regression on
    the training set); every model's scores are fitted the same way and each band
    starts where its fitted probability reaches the band's. The lowest band keeps
    its minimum (it also holds every score below it).
    """
    notes: list[str] = []
    bands: dict[str, list[tuple[int, str, float]]] = {}
    for row in data.bands:
        bands.setdefault(str(row["score_model"]), []).append(
            (int(row["band_rank"]), str(row["band"]), float(row["min_score"]))
        )
    reference = platt(current_scores(data, options.score_model, "train"))
    if reference is None or options.score_model not in bands:
        notes.append(
            f"band thresholds kept: the current scores of {options.score_model!r} do not rank "
            "conversions on the training set, so no band probability could be read off them"
        )
        return {}, notes
    a0, b0 = reference
    probabilities = {
        name: 1 / (1 + math.exp(-(a0 + b0 * low)))
        for rank, name, low in sorted(bands[options.score_model])
        if rank > 1
    }
    proposals: dict[str, dict[str, float]] = {}
    fits = {model: current_scores(data, model, "train") for model in bands}
    fits[options.score_model] = proposed_train
    for model, scored in sorted(fits.items()):
        converted = sum(c for _, _, c in scored)
        if converted < MIN_CONVERSIONS_FOR_BANDS:
            notes.append(
                f"band thresholds of {model!r} kept: {converted} training conversions in it "
                f"(at least {MIN_CONVERSIONS_FOR_BANDS} are needed to read probabilities off)"
            )
            continue
        fit = platt(scored)
        if fit is None:
            notes.append(f"band thresholds of {model!r} kept: its scores do not rank conversions")
            continue
        a, b = fit
        proposals[model] = {}
        previous = None
        for rank, name, low in sorted(bands[model]):
            if rank == 1 or name not in probabilities:
                value = low
            else:
                p = probabilities[name]
                value = float(math.ceil((math.log(p / (1 - p)) - a) / b))
            # Bands stay in order, each at least one point above the one below.
            if previous is not None and value <= previous:
                value = previous + 1
            proposals[model][name] = value
            previous = value
    return proposals, notes


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in text.lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")[:48]


def rule_rows(criterion: Criterion, model: str) -> tuple[str, dict[str, str]]:
    """The seed file and row that apply a criterion's points exactly."""
    rule_id = f"cal_{criterion.key}_{_slug(criterion.label)}"
    points = str(criterion.points)
    evidence = f"calibrated: {criterion.label}"
    empty = {"min_value": "", "max_value": "", "value": ""}
    if criterion.kind == "events":
        window = _num(criterion.window_days) or ""
        if criterion.points > 0:
            return "implicit_rules", {
                "rule_id": rule_id, "score_model": model, "event_type": criterion.event_type or "",
                "page_pattern": "", "page_category": criterion.page_category or "",
                "points": points, "max_occurrences": str(criterion.min_count),
                "max_points": "", "cap_group": "", "half_life_days": "",
                "timeframe_days": window, "description": evidence,
            }  # fmt: skip
        return "negative_rules", {
            "rule_id": rule_id, "score_model": model, "applies_to": "event",
            "attribute": "", "operator": "", **empty, "event_type": criterion.event_type or "",
            "page_pattern": "", "page_category": criterion.page_category or "",
            "points": points, "max_occurrences": str(criterion.min_count), "max_points": "",
            "half_life_days": "", "timeframe_days": window, "inactive_days": "",
            "description": evidence,
        }  # fmt: skip
    operator = {
        "value": "equals", "missing": "is_missing", "range": "between", "age_range": "age_between",
    }[criterion.kind]  # fmt: skip
    cells = {
        "attribute": criterion.attribute or "",
        "operator": operator,
        "value": criterion.value or "" if criterion.kind == "value" else "",
        "min_value": _num(criterion.min_value) or "",
        "max_value": _num(criterion.max_value) or "",
    }
    if criterion.points > 0:
        return "explicit_rules", {
            "rule_id": rule_id, "score_model": model, **cells, "points": points,
            "cap_group": "", "description": evidence,
        }  # fmt: skip
    return "negative_rules", {
        "rule_id": rule_id, "score_model": model, "applies_to": "attribute", **cells,
        "event_type": "", "page_pattern": "", "page_category": "", "points": points,
        "max_occurrences": "", "max_points": "", "half_life_days": "", "timeframe_days": "",
        "inactive_days": "", "description": evidence,
    }  # fmt: skip


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})


def write_proposal(
    data: Data,
    options: Options,
    regression: Regression,
    thresholds: dict[str, dict[str, float]],
    seeds_dir: Path,
    out: Path,
) -> dict[str, list[dict[str, str]]]:
    """Write the complete proposed seeds folder; return the new rule rows per file."""
    model = options.score_model
    target = out / "seeds"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(seeds_dir.glob("*.csv")):
        shutil.copy(path, target / path.name)
    new_rows: dict[str, list[dict[str, str]]] = {name: [] for name in POINT_TABLES}
    for criterion in data.criteria:
        if criterion.eligible and criterion.points != 0:
            table, row = rule_rows(criterion, model)
            new_rows[table].append(row)
    for table in POINT_TABLES:
        header, rows = read_csv(target / seed_file(table))
        kept = [row for row in rows if (row.get("score_model") or "").strip() != model]
        write_csv(target / seed_file(table), header, [*kept, *new_rows[table]])
    dropped = set()
    header, rows = read_csv(target / seed_file("combination_rules"))
    for row in rows:
        if (row.get("score_model") or "").strip() == model:
            dropped.add(row["rule_id"].strip())
    write_csv(
        target / seed_file("combination_rules"),
        header,
        [r for r in rows if r["rule_id"].strip() not in dropped],
    )
    header, rows = read_csv(target / seed_file("combination_rule_steps"))
    write_csv(
        target / seed_file("combination_rule_steps"),
        header,
        [r for r in rows if r["rule_id"].strip() not in dropped],
    )
    header, rows = read_csv(target / seed_file("point_caps"))
    write_csv(
        target / seed_file("point_caps"),
        header,
        [r for r in rows if (r.get("score_model") or "").strip() != model],
    )
    floor = sum(c.points * (c.min_count or 1) for c in data.criteria if c.eligible and c.points < 0)
    header, rows = read_csv(target / seed_file("score_models"))
    for row in rows:
        if row["score_model"].strip() == model:
            # No decay and no clamping: the points are those of counts in a window,
            # and the lowest total a contact can reach is the floor.
            row.update(
                min_total=str(min(floor, 0)), max_total="", half_life_days="", timeframe_days=""
            )
    write_csv(target / seed_file("score_models"), header, rows)
    if thresholds:
        header, rows = read_csv(target / seed_file("score_bands"))
        for row in rows:
            new = thresholds.get(row["score_model"].strip(), {}).get(row["band"].strip())
            if new is not None:
                row["min_score"] = _num(new) or "0"
        write_csv(target / seed_file("score_bands"), header, rows)
    write_weights(target / seed_file("predictive_weights"), data, regression)
    return new_rows


def write_weights(path: Path, data: Data, regression: Regression) -> None:
    """The regression as seed predictive_weights (17 decimals: exact to far below 1e-9)."""
    rows = [
        {
            "criterion_id": "intercept", "kind": "intercept",
            "weight": f"{regression.intercept:.17f}",
            "description": "The log-odds of converting with no criterion",
        }
    ]  # fmt: skip
    for criterion in data.criteria:
        if criterion.key not in regression.weights:
            continue
        rows.append(
            {
                "criterion_id": criterion.label, "kind": criterion.kind,
                "attribute": criterion.attribute or "", "value": criterion.value or "",
                "min_value": _num(criterion.min_value) or "",
                "max_value": _num(criterion.max_value) or "",
                "event_type": criterion.event_type or "",
                "page_category": criterion.page_category or "",
                "min_count": "" if criterion.min_count is None else str(criterion.min_count),
                "window_days": _num(criterion.window_days) or "",
                "weight": f"{regression.weights[criterion.key]:.17f}",
                "description": (
                    f"{criterion.contacts} training contacts, {criterion.converted} converted"
                ),
            }
        )  # fmt: skip
    header = [
        "criterion_id", "kind", "attribute", "value", "min_value", "max_value", "event_type",
        "page_category", "min_count", "window_days", "weight", "description",
    ]  # fmt: skip
    write_csv(path, header, rows)


def deciles(scored: Sequence[tuple[float, int, int]]) -> list[dict[str, float]]:
    """Contacts ranked by score, highest first, in ten equal tenths.

    Tied contacts are shared between tenths in proportion (the expected result of
    breaking ties at random), so a score with many ties is not favoured.
    """
    merged: dict[float, list[int]] = {}
    for score, contacts, converted in scored:
        cell = merged.setdefault(float(score), [0, 0])
        cell[0] += contacts
        cell[1] += converted
    # One group per score: every contact of a score shares the tenths alike.
    scored = [(score, n, c) for score, (n, c) in merged.items()]
    total = sum(n for _, n, _ in scored)
    converted_total = sum(c for _, _, c in scored)
    cells = [{"contacts": 0.0, "converted": 0.0, "score_sum": 0.0} for _ in range(10)]
    position = 0.0
    for score, contacts, converted in sorted(scored, key=lambda r: -r[0]):
        start, end = position, position + contacts
        for d in range(10):
            low, high = total * d / 10, total * (d + 1) / 10
            overlap = max(0.0, min(end, high) - max(start, low))
            if overlap > 0:
                share = overlap / contacts
                cells[d]["contacts"] += overlap
                cells[d]["converted"] += converted * share
                cells[d]["score_sum"] += score * overlap
        position = end
    base = converted_total / total if total else 0
    out, cumulative = [], 0.0
    for d, cell in enumerate(cells, 1):
        cumulative += cell["converted"]
        rate = cell["converted"] / cell["contacts"] if cell["contacts"] else 0.0
        out.append(
            {
                "decile": d,
                "contacts": round(cell["contacts"], 6),
                "converted": round(cell["converted"], 6),
                "conversion_rate": rate,
                "lift": rate / base if base else 0.0,
                "cumulative_gain": cumulative / converted_total if converted_total else 0.0,
                "mean_score": cell["score_sum"] / cell["contacts"] if cell["contacts"] else 0.0,
            }
        )
    return out


def band_rates(
    scored: Sequence[tuple[float, int, int]], bands: Sequence[tuple[str, float]]
) -> list[dict[str, Any]]:
    """Contacts and conversion rate per band (bands: (name, min_score), lowest first)."""
    ordered = sorted(bands, key=lambda b: b[1])
    out = []
    for i, (name, low) in enumerate(ordered):
        high = ordered[i + 1][1] if i + 1 < len(ordered) else math.inf
        inside = [(n, c) for s, n, c in scored if (i == 0 or s >= low) and s < high]
        contacts = sum(n for n, _ in inside)
        converted = sum(c for _, c in inside)
        out.append(
            {
                "band": name,
                "min_score": low,
                "contacts": contacts,
                "converted": converted,
                "conversion_rate": converted / contacts if contacts else None,
            }
        )
    return out


def at_threshold(scored: Sequence[tuple[float, int, int]], threshold: float) -> dict[str, Any]:
    """Precision and recall of 'score >= threshold' (the MQL band and above)."""
    chosen = [(n, c) for s, n, c in scored if s >= threshold]
    contacts = sum(n for n, _ in chosen)
    converted = sum(c for _, c in chosen)
    positives = sum(c for _, _, c in scored)
    return {
        "threshold": threshold,
        "contacts": contacts,
        "precision": converted / contacts if contacts else None,
        "recall": converted / positives if positives else None,
    }


def mql_threshold(bands: Sequence[tuple[str, float]]) -> float | None:
    for name, low in bands:
        if name.lower() == "mql":
            return low
    return None


def summarise(
    name: str, scored: Sequence[tuple[float, int, int]], bands: Sequence[tuple[str, float]] | None
) -> dict[str, Any]:
    """Every figure evaluate reports for one way of scoring."""
    summary: dict[str, Any] = {
        "name": name,
        "contacts": sum(n for _, n, _ in scored),
        "converted": sum(c for _, _, c in scored),
        "auc": auc(scored),
        "deciles": deciles(scored),
    }
    if bands:
        summary["bands"] = band_rates(scored, bands)
        threshold = mql_threshold(bands)
        if threshold is not None:
            summary["mql"] = at_threshold(scored, threshold)
    return summary


def evaluate_on(
    data: Data,
    options: Options,
    regression: Regression,
    points: dict[int, int],
    thresholds: dict[str, dict[str, float]],
    split: str = "test",
) -> dict[str, Any]:
    """Current table, proposed table and regression on one split of the same contacts."""
    model = options.score_model
    current_bands = bands_of(data.bands, model)
    proposed_bands = (
        sorted(thresholds[model].items(), key=lambda b: b[1])
        if model in thresholds
        else current_bands
    )
    proposed = grouped(
        (proposed_score(points, p), n, c) for p, s, n, c in data.patterns if s == split
    )
    probability = grouped(
        (regression.probability(p), n, c) for p, s, n, c in data.patterns if s == split
    )
    results = {
        "split": split,
        "current": summarise(
            f"current point table ({model})", current_scores(data, model, split), current_bands
        ),
        "proposed": summarise("proposed point table", proposed, proposed_bands),
        "regression": summarise("logistic regression (probability)", probability, None),
    }
    for cell in results["regression"]["deciles"]:
        cell["mean_predicted"] = cell.pop("mean_score")
    return results


# --------------------------------------------------------------------------- outputs


def evidence_rows(data: Data) -> list[dict[str, Any]]:
    """Every criterion and current rule with its evidence (training set) and outcome."""
    totals = data.totals["train"]
    rows = []
    for criterion in data.criteria:
        ev = evidence_of(criterion, totals)
        rows.append(
            {
                "criterion": criterion.label,
                "kind": criterion.kind,
                "score_model": criterion.score_model or "",
                "contacts_with": criterion.contacts,
                "converted_with": criterion.converted,
                "rate_with": _fmt(ev.rate_with),
                "rate_without": _fmt(ev.rate_without),
                "lift": _fmt(ev.lift),
                "log_odds": _fmt(ev.log_odds),
                "weight": _fmt(criterion.weight) if criterion.eligible else "",
                "points": criterion.points if criterion.eligible else "",
                "status": "weighed" if criterion.eligible else criterion.reason,
            }
        )
    return rows


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def _fmt(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def related(old: dict[str, str], criterion: Criterion) -> bool:
    """Does a current rule score the same attribute or event stream as a criterion?"""
    if criterion.kind == "events":
        return (old.get("event_type") or "").strip().lower() == criterion.event_type and (
            (old.get("page_category") or "").strip().lower() == (criterion.page_category or "")
        )
    return (old.get("attribute") or "").strip().lower() == criterion.attribute


def diff_rows(data: Data, options: Options, seeds_dir: Path) -> list[dict[str, Any]]:
    """Rule by rule: the calibrated model's current rules, and the rules proposed."""
    totals = data.totals["train"]
    by_rule = {c.rule_id: c for c in data.criteria if c.kind == "rule"}
    proposed = [c for c in data.criteria if c.eligible and c.points != 0]
    rows = []
    for table in (*POINT_TABLES, "combination_rules"):
        _, current = read_csv(seeds_dir / seed_file(table))
        for old in current:
            if (old.get("score_model") or "").strip() != options.score_model:
                continue
            rule_id = old["rule_id"].strip()
            evidence = by_rule.get(rule_id)
            ev = evidence_of(evidence, totals) if evidence else None
            replaced_by = [c for c in proposed if related(old, c)]
            rows.append(
                {
                    "change": "replaced" if replaced_by else "removed",
                    "rule_id": rule_id,
                    "table": table,
                    "old_points": (old.get("points") or "").strip(),
                    "new_points": "",
                    "contacts_with": evidence.contacts if evidence else "",
                    "rate_with": _fmt(ev.rate_with) if ev else "",
                    "rate_without": _fmt(ev.rate_without) if ev else "",
                    "lift": _fmt(ev.lift) if ev else "",
                    "log_odds": _fmt(ev.log_odds) if ev else "",
                    "note": ("by " + ", ".join(f"{c.label} ({c.points:+d})" for c in replaced_by))
                    if replaced_by
                    else "no criterion on its attribute or events has enough evidence and weight",
                }
            )
    for criterion in proposed:
        table, row = rule_rows(criterion, options.score_model)
        ev = evidence_of(criterion, totals)
        rows.append(
            {
                "change": "new",
                "rule_id": row["rule_id"],
                "table": table,
                "old_points": "",
                "new_points": criterion.points,
                "contacts_with": criterion.contacts,
                "rate_with": _fmt(ev.rate_with),
                "rate_without": _fmt(ev.rate_without),
                "lift": _fmt(ev.lift),
                "log_odds": _fmt(ev.log_odds),
                "note": criterion.label
                + (
                    " (points per event)"
                    if criterion.kind == "events" and criterion.min_count != 1
                    else ""
                ),
            }
        )
    return rows


def write_table(path: Path, rows: list[dict[str, Any]]) -> None:
    """Rows as CSV; the header is every key, in the order first seen."""
    if not rows:
        path.write_text("")
        return
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row))
    write_csv(path, list(header), rows)


def markdown_diff(rows: list[dict[str, Any]], notes: list[str]) -> str:
    lines = [
        "# Proposed point table: what changes",
        "",
        "| change | rule | table | old points | new points | contacts | rate with "
        "| rate without | lift | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            "| {change} | {rule_id} | {table} | {old_points} | {new_points} | {contacts_with} "
            "| {rate_with} | {rate_without} | {lift} | {note} |".format(
                **{k: str(v).replace("|", "\\|") for k, v in row.items()}
            )
        )
    if notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"


def print_evaluation(results: dict[str, Any], out: Any = None) -> None:
    """The evaluation as a table."""
    out = out or sys.stdout
    print(f"Evaluation on the {results['split']} contacts", file=out)
    print(
        f"  {'':36} {'ROC AUC':>8} {'MQL precision':>14} {'MQL recall':>11} "
        f"{'top-decile lift':>16}",
        file=out,
    )
    for key in ("current", "proposed", "regression", "other"):
        if key not in results:
            continue
        s = results[key]
        mql = s.get("mql") or {}
        top = s["deciles"][0]["lift"] if s["deciles"] else None
        print(
            f"  {s['name'][:36]:36} {_fmt(s['auc'], 3):>8} {_fmt(mql.get('precision'), 3):>14} "
            f"{_fmt(mql.get('recall'), 3):>11} {_fmt(top, 2):>16}",
            file=out,
        )
    for key in ("current", "proposed", "other"):
        if key not in results:
            continue
        s = results[key]
        cells = ", ".join(
            f"{b['band']} {b['contacts']} ({_percent(b['conversion_rate'])})"
            for b in s.get("bands", [])
        )
        print(f"  conversion by band, {key}: {cells}", file=out)


def write_evaluation(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(results, indent=2) + "\n")
    write_table(
        out / "deciles.csv",
        [
            {"scoring": k, **cell}
            for k in ("current", "proposed", "regression", "other")
            if k in results
            for cell in results[k]["deciles"]
        ],
    )
    write_table(
        out / "bands.csv",
        [
            {"scoring": k, **cell}
            for k in ("current", "proposed", "other")
            if k in results
            for cell in results[k].get("bands", [])
        ],
    )


def save(
    path: Path, data: Data, options: Options, regression: Regression, scale: float,
    thresholds: dict[str, dict[str, float]], notes: list[str],
) -> None:  # fmt: skip
    payload = {
        "options": asdict(options),
        "totals": data.totals,
        "intercept": regression.intercept,
        "scale": scale,
        "thresholds": thresholds,
        "notes": notes,
        "criteria": [
            {
                **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(c).items()},
                "label": c.label,
            }
            for c in data.criteria
        ],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")


def load_saved(
    path: Path, data: Data
) -> tuple[Options, Regression, dict[int, int], dict[str, dict[str, float]]]:
    """The options, regression, points and thresholds calibrate saved."""
    payload = json.loads(path.read_text())
    options = Options(**payload["options"])
    weights = {int(c["key"]): float(c["weight"]) for c in payload["criteria"] if c["eligible"]}
    points = {int(c["key"]): int(c["points"]) for c in payload["criteria"] if c["eligible"]}
    return options, Regression(float(payload["intercept"]), weights), points, payload["thresholds"]


def write_report_inputs(dbt: Dbt, data: Data, out: Path) -> None:
    """The score distribution per model, the points each rule gave and the bias check
    (as of the cutoff), for the report."""
    for name, file_name in (
        ("lead_scoring__bias_check", "bias.csv"),
        ("lead_scoring__bias_rules", "bias_rules.csv"),
    ):
        try:
            rows = dbt.query("select * from {{ ref('" + name + "') }}")
        except CalibrationError:
            # A --no-build run on a calibration build of an older version.
            print(f"Note: {name} is not in the calibration build; the report has no bias check.")
            (out / file_name).unlink(missing_ok=True)
            continue
        write_table(out / file_name, _plain(rows))
    write_table(out / "distribution.csv", _plain(data.scores))
    write_table(
        out / "contributions.csv",
        _plain(
            dbt.query(
                "select score_model, rule_id, rule_kind, count(*) as contacts, "
                "sum(points) as total_points from {{ ref('lead_scoring__score_details') }} "
                "group by score_model, rule_id, rule_kind"
            )
        ),
    )


def _plain(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the warehouse's decimals as floats, for CSV files."""
    return [{k: (float(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]


# --------------------------------------------------------------------------- commands


CUTOFF_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")


def check_arguments(options: Options, seeds_dir: Path) -> None:
    """What can be checked before the build: the cutoff's format, the score model."""
    if options.cutoff is not None and not CUTOFF_RE.fullmatch(options.cutoff.strip()):
        raise CalibrationError(
            f"--cutoff {options.cutoff!r} is not a date: give it as YYYY-MM-DD "
            "(or 'YYYY-MM-DD HH:MM:SS', UTC)"
        )
    missing = [seed_file(t) for t in PROPOSAL_TABLES if not (seeds_dir / seed_file(t)).is_file()]
    if seeds_dir.is_dir() and missing:
        raise CalibrationError(
            f"{seeds_dir} lacks {', '.join(missing)}: the proposal is a copy of the project's "
            f"seeds folder, whose point tables are the package's seeds ({SEED_PREFIX}<table>.csv)"
            + _unprefixed_hint(seeds_dir, missing)
        )
    path = seeds_dir / seed_file("score_models")
    if path.exists():
        _, rows = read_csv(path)
        models = sorted({(row.get("score_model") or "").strip() for row in rows} - {""})
        if options.score_model not in models:
            raise CalibrationError(
                f"--score-model {options.score_model!r} is not in {path} "
                f"(its score models: {', '.join(models)})"
            )


def print_population(dbt: Dbt, data: Data, options: Options) -> None:
    """Who calibration learns from, and who was left out at the cutoff, and why."""
    rows = dbt.query(
        "select count(*) as contacts from {{ ref('stg_lead_scoring__contacts') }} "
        "where created_at is null or created_at <= {{ lead_scoring.as_of_timestamp() }}"
    )
    existing = int(rows[0]["contacts"]) if rows else 0
    kept = sum(n for n, _ in data.totals.values())
    train, test = data.totals.get("train", (0, 0)), data.totals.get("test", (0, 0))
    print(
        f"Contacts at the cutoff: {existing}; learning from {kept} "
        f"(train {train[0]}, {train[1]} converted; test {test[0]}, {test[1]} converted)."
    )
    if options.outcome_window_days is not None and existing and kept < 0.8 * existing:
        print(
            f"Note: {existing - kept} contacts left out: already converted at the cutoff, a "
            "conversion without a date, outside the score model's segment, or no profile "
            "known at the cutoff (their first recorded version is later: with "
            "--attributes-before-first-version unknown, the default with an outcome window, "
            "they are not guessed). Snapshots taken over time keep more of them; "
            "--attributes-before-first-version earliest keeps them at the price of "
            "attributes from after the cutoff."
        )
    if train[0] and test[0]:
        ratio = (test[1] / test[0]) / (train[1] / train[0]) if train[1] else math.inf
        if ratio > 2 or ratio < 0.5:
            print(
                f"Note: the test contacts convert {ratio:.1f} times as often as the training "
                "ones: the regression's probabilities will be off by as much on new contacts, "
                "though its ranking may hold."
            )


def verdict(results: dict[str, Any]) -> str:
    """One line: adopt the proposal or not, by test AUC."""
    current, proposed = results["current"]["auc"], results["proposed"]["auc"]
    if current is None or proposed is None:
        return "Verdict: no AUC to compare (one outcome only in the test set)."
    if proposed > current:
        return (
            f"Verdict: the proposed table ranks the held-out contacts better "
            f"(ROC AUC {proposed:.3f} vs {current:.3f}): worth adopting (read diff.md first)."
        )
    return (
        f"Verdict: do NOT adopt: the proposed table ranks the held-out contacts worse "
        f"(ROC AUC {proposed:.3f} vs {current:.3f}). More outcomes (contacts, a longer "
        "window) give a better proposal."
    )


def run_calibrate(args: argparse.Namespace) -> int:
    options = Options(
        cutoff=args.cutoff,
        outcome_window_days=args.outcome_window_days,
        # By time when there is time to split on, else stratified random.
        split=args.split or ("time" if args.outcome_window_days is not None else "random"),
        test_percent=args.test_percent,
        seed=args.seed,
        min_support=args.min_support,
        min_expected_conversions=args.min_expected_conversions,
        quantiles=args.quantiles,
        event_window_days=None if args.event_window_days == 0 else args.event_window_days,
        score_model=args.score_model,
        attributes_before_first_version=args.attributes_before_first_version,
        regularisation=args.regularisation,
        points_to_double_odds=args.points_to_double_odds,
        suffix=args.schema_suffix,
        extra_vars=json.loads(args.vars) if args.vars else {},
    )
    dbt = Dbt(args.project_dir, args.profiles_dir, args.target, options.dbt_vars())
    out = args.out
    try:
        check_arguments(options, args.project_dir / "seeds")
        if not args.no_build:
            dbt.build()
        data = read_data(dbt)
        print_population(dbt, data, options)
        judge_evidence(data, options)
        out.mkdir(parents=True, exist_ok=True)
        # Written first: a failure below points the user at it.
        write_table(out / "evidence.csv", evidence_rows(data))
        regression = fit_regression(data, options)
        scale = assign_points(data, options)
        points = {c.key: c.points for c in data.criteria if c.eligible}
        proposed_train = grouped(
            (proposed_score(points, p), n, c) for p, s, n, c in data.patterns if s == "train"
        )
        thresholds, notes = propose_thresholds(data, options, proposed_train)
        seeds_dir = args.project_dir / "seeds"
        out.mkdir(parents=True, exist_ok=True)
        write_proposal(data, options, regression, thresholds, seeds_dir, out)
        write_table(out / "evidence.csv", evidence_rows(data))  # now with weights and points
        diff = diff_rows(data, options, seeds_dir)
        write_table(out / "diff.csv", diff)
        (out / "diff.md").write_text(markdown_diff(diff, notes))
        save(out / "calibration.json", data, options, regression, scale, thresholds, notes)
        results = evaluate_on(data, options, regression, points, thresholds)
        write_evaluation(results, out)
        write_report_inputs(dbt, data, out)
    except CalibrationError as error:
        print(f"calibrate: {error}", file=sys.stderr)
        return 1
    if options.outcome_window_days is None and dated_conversions(dbt):
        print(
            "Note: the conversions have dates, but without --outcome-window-days every "
            "conversion counts and the features are as of the cutoff: behaviour after a "
            "conversion counts as if it came before. For a clean back-test, give a --cutoff "
            "before the conversions and --outcome-window-days."
        )
    contacts, converted = data.totals["train"]
    weighed = sum(1 for c in data.criteria if c.eligible)
    thin = sum(1 for c in data.criteria if c.kind != "rule" and not c.eligible)
    print(
        f"Learned from {contacts} training contacts ({converted} converted); "
        f"{weighed} criteria weighed, {thin} with too little evidence (listed in evidence.csv)."
    )
    print_evaluation(results)
    print(verdict(results))
    print(f"Proposed seeds: {out / 'seeds'}  (what changes: {out / 'diff.md'})")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    path = args.calibration / "calibration.json"
    if not path.exists():
        print(
            f"evaluate: {path} not found. "
            f"Run `leadscoring calibrate --out {args.calibration}` first.",
            file=sys.stderr,
        )
        return 1
    saved = json.loads(path.read_text())
    options = Options(**saved["options"])
    dbt = Dbt(args.project_dir, args.profiles_dir, args.target, options.dbt_vars())
    try:
        data = read_data(dbt)
        _, regression, points, thresholds = load_saved(path, data)
        results = evaluate_on(data, options, regression, points, thresholds, split=args.split)
        if args.seeds is not None:
            results["other"] = score_other_table(args, options)
    except CalibrationError as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 1
    print_evaluation(results)
    write_evaluation(results, args.out or args.calibration)
    return 0


PROJECT_COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "target", "logs", "dbt_packages", "*.duckdb*", "__pycache__"
)


def _unprefixed_hint(folder: Path, missing: list[str]) -> str:
    """A hint when the folder holds seed files under their old, unprefixed names."""
    old = [
        (name.removeprefix(SEED_PREFIX), name)
        for name in missing
        if name.startswith(SEED_PREFIX) and (folder / name.removeprefix(SEED_PREFIX)).is_file()
    ]
    if not old:
        return ""
    renames = ", ".join(f"{before} to {after}" for before, after in old)
    return f". It holds them under their old names: rename {renames}"


def score_other_table(args: argparse.Namespace, options: Options) -> dict[str, Any]:
    """Score the calibration contacts with another seeds folder, through the dbt pipeline.

    The project is copied with the folder's CSV files as its seeds and built as of
    the same cutoff, with the same population and split, into schemas ending in
    ``<suffix>_other``: the other table is applied by the real models (decay,
    caps, clamping and all), not by a re-implementation.
    """
    import tempfile

    seeds = Path(args.seeds)
    if not seeds.is_dir() or not any(seeds.glob("*.csv")):
        raise CalibrationError(f"--seeds {seeds}: not a folder of seed CSV files")
    # The folder replaces the project's seeds: it must hold a file for each of them.
    given = {path.name for path in seeds.glob("*.csv")}
    missing = sorted(
        path.name for path in (args.project_dir / "seeds").glob("*.csv") if path.name not in given
    )
    if missing:
        raise CalibrationError(
            f"--seeds {seeds}: the folder lacks {', '.join(missing)} (it replaces the project's "
            f"seeds folder, so it holds every seed, named as the project's: "
            f"{SEED_PREFIX}<table>.csv)" + _unprefixed_hint(seeds, missing)
        )
    profiles_dir = args.profiles_dir
    if profiles_dir is None and (args.project_dir / "profiles.yml").exists():
        profiles_dir = args.project_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="leadscoring-evaluate-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(args.project_dir, project, ignore=PROJECT_COPY_IGNORE)
        for path in (project / "seeds").glob("*.csv"):
            path.unlink()
        for path in seeds.glob("*.csv"):
            shutil.copy(path, project / "seeds" / path.name)
        variables = options.dbt_vars()
        variables["lead_scoring__schema_suffix"] = f"{options.suffix}_other"
        dbt = Dbt(project, profiles_dir, args.target, variables)
        dbt.build()
        scores = dbt.query("select * from {{ ref('lead_scoring__calibration_scores') }}")
        bands = dbt.query(
            "select score_model, threshold_name as band, min_value as min_score "
            "from {{ ref('int_lead_scoring__score_thresholds_ranked') }} "
            "where threshold_kind = 'band'"
        )
    model = options.score_model
    return summarise(
        f"point table {seeds.resolve().name}/ ({model})",
        scores_of(scores, model, args.split),
        bands_of(bands, model),
    )


def _percent_argument(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 99:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and 99")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the calibrate and evaluate subcommands."""
    parser = subparsers.add_parser(
        "calibrate",
        help="learn the points from past conversions and propose new point tables",
        description=(
            "Build the project as of a cutoff into schemas of its own (nothing of the "
            "real build changes), count in the warehouse how often contacts with each "
            "criterion converted, fit a regularised logistic regression (scikit-learn), "
            "and write a proposed seeds folder (points, band thresholds, the regression "
            "as seed predictive_weights), the evidence of every criterion and rule, a diff "
            "against the current point tables, and an evaluation on held-out contacts. "
            "Needs a build of the project first (the snapshots hold the attribute history)."
        ),
    )
    add_project_arguments(parser)
    parser.add_argument(
        "--cutoff", default=None, help="features as of this moment, 'YYYY-MM-DD' (default: now)"
    )
    parser.add_argument(
        "--outcome-window-days", type=int, default=None,
        help="a contact converted if it converted in this many days after the cutoff "
        "(default: none, any conversion counts: one snapshot, e.g. a CRM export)",
    )  # fmt: skip
    parser.add_argument(
        "--split", choices=("random", "time"), default=None,
        help="random: stratified random split with --seed; time: the newest contacts (by "
        "created_at) are the test set (default: time with --outcome-window-days, else random)",
    )  # fmt: skip
    parser.add_argument(
        "--test-percent", type=_percent_argument, default=30,
        help="share of contacts held out, 1 to 99 (default 30)",
    )  # fmt: skip
    parser.add_argument(
        "--attributes-before-first-version", choices=("unknown", "earliest"), default=None,
        help="unknown: a contact counts from its first recorded version on (no attribute from "
        "after the cutoff); earliest: the first version also stands for earlier moments "
        "(default: unknown with --outcome-window-days, else earliest)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=42, help="seed of the random split (default 42)"
    )
    parser.add_argument(
        "--min-support",
        type=int,
        default=30,
        help="contacts needed with and without a criterion (default 30)",
    )
    parser.add_argument(
        "--min-expected-conversions", type=float, default=5.0,
        help="conversions expected with and without a criterion at the base rate (default 5)",
    )  # fmt: skip
    parser.add_argument(
        "--quantiles", type=int, default=5, help="buckets per number attribute (default 5)"
    )
    parser.add_argument(
        "--event-window-days",
        type=int,
        default=365,
        help="events counted in this many days before the cutoff (0 = all; default 365)",
    )
    parser.add_argument(
        "--score-model",
        default="default",
        help="the score model whose rules are proposed (default: default)",
    )
    parser.add_argument(
        "--regularisation",
        type=float,
        default=1.0,
        help="scikit-learn's C: smaller = stronger L2 penalty (default 1)",
    )
    parser.add_argument(
        "--points-to-double-odds",
        type=float,
        default=10.0,
        help="points that double the odds of converting (default 10)",
    )
    parser.add_argument(
        "--schema-suffix",
        default=DEFAULT_SUFFIX,
        help=f"suffix of the calibration schemas (default {DEFAULT_SUFFIX})",
    )
    parser.add_argument(
        "--vars", default=None, help="more dbt vars, as JSON (e.g. where the sources are)"
    )
    parser.add_argument(
        "--no-build", action="store_true", help="reuse the calibration build of a previous run"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("target/calibration"),
        help="output folder (default target/calibration)",
    )
    parser.set_defaults(handler=run_calibrate)

    parser = subparsers.add_parser(
        "evaluate",
        help="compare the current point table, the proposed one and the regression",
        description=(
            "For the contacts of a calibration (same cutoff, outcomes and split): ROC AUC, "
            "conversion rate per band, precision and recall at the MQL threshold, lift and "
            "cumulative gains by decile, and predicted vs observed conversion per decile for "
            "the regression. Prints a table and writes evaluation.json, deciles.csv and bands.csv."
        ),
    )
    add_project_arguments(parser)
    parser.add_argument(
        "--calibration",
        type=Path,
        default=Path("target/calibration"),
        help="the folder calibrate wrote (default target/calibration)",
    )
    parser.add_argument(
        "--split", choices=("test", "train"), default="test", help="which contacts (default test)"
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="also score the same contacts with this seeds folder (e.g. a proposal you edited), "
        "built through the dbt models as of the same cutoff",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the figures (default: the calibration folder)",
    )
    parser.set_defaults(handler=run_evaluate)
