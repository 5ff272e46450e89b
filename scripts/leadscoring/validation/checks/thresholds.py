"""score_bands, fit_grades and engagement_levels: unique, ascending, present for every
score model and the same in every score model.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leadscoring.validation.problems import _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import (
    ENGAGEMENT_LEVELS,
    FIT_GRADES,
    NUMBER_FIX,
    NUMBER_RE,
    SCORE_BANDS,
    SCORE_MODELS,
)


@dataclass(frozen=True)
class ThresholdKind:
    """What a threshold file calls its rows: bands of the total, grades, levels."""

    name: str  # the column naming a row: band
    minimum: str  # the column of its lowest value: min_score
    plural: str  # bands
    example: str  # a name for messages: warm
    example_minimum: str  # 20
    measure: str  # what the minimum is of: total score
    lowest: str  # the name of the lowest row in an example row: cold


THRESHOLDS: dict[str, ThresholdKind] = {
    SCORE_BANDS: ThresholdKind("band", "min_score", "bands", "warm", "20", "total score", "cold"),
    FIT_GRADES: ThresholdKind("grade", "min_points", "grades", "B", "30", "fit points", "D"),
    ENGAGEMENT_LEVELS: ThresholdKind(
        "level", "min_points", "levels", "2", "35", "engagement points", "4"
    ),
}


@dataclass
class Threshold:
    name: str
    minimum: Decimal
    text: str
    line: int


class ThresholdChecks:
    """Checks the bands, fit grades and engagement levels."""

    def check_thresholds(self, name: str, table: Table) -> None:
        kind = THRESHOLDS[name]
        names: dict[tuple[str, str], int] = {}
        rows: dict[str, list[Threshold]] = {}
        highest: dict[str, Threshold] = {}
        first_line: dict[str, int] = {}
        broken: set[str] = set()  # score models with a row that cannot be compared
        for row in table.rows:
            score_model = row.cells.get("score_model", "")
            if score_model:
                first_line.setdefault(score_model, row.line)
            if not row.complete:
                broken.add(score_model)
                continue
            cells = row.cells
            label, minimum = cells[kind.name], cells[kind.minimum]
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_score_model(report, score_model)
            if not label:
                report(f"missing {kind.name}", f"name the {kind.name}, e.g. {kind.example}")
                broken.add(score_model)
            elif score_model and (score_model, label) in names:
                report(
                    f"duplicate {kind.name} {_q(label)} in score model {_q(score_model)}: "
                    f"already on line {names[(score_model, label)]}",
                    f"give each {kind.name} of a score model its own name",
                )
                broken.add(score_model)
            elif score_model:
                names[(score_model, label)] = row.line
            if not minimum:
                report(
                    f"missing {kind.minimum}",
                    f"write the lowest {kind.measure} in the {kind.name}, e.g. "
                    f"{kind.example_minimum}",
                )
                broken.add(score_model)
                continue
            if not NUMBER_RE.fullmatch(minimum):
                report(
                    f"{kind.minimum} {_q(minimum)} is not a number",
                    NUMBER_FIX.format(example=kind.example_minimum),
                )
                broken.add(score_model)
                continue
            if not score_model:
                continue
            this = Threshold(label, Decimal(minimum), minimum, row.line)
            same = next((t for t in rows.get(score_model, []) if t.minimum == this.minimum), None)
            top = highest.get(score_model)
            if same is not None:
                report(
                    f"{kind.name} {_q(label)} has the same {kind.minimum} {minimum} as "
                    f"{kind.name} {_q(same.name)} on line {same.line}",
                    f"give each {kind.name} of a score model its own {kind.minimum}",
                )
                broken.add(score_model)
            elif top is not None and this.minimum < top.minimum:
                report(
                    f"{kind.plural} not in ascending order: {kind.minimum} {minimum} comes after "
                    f"{kind.name} {_q(top.name)} with {kind.minimum} {top.text} (line {top.line}) "
                    f"in score model {_q(score_model)}",
                    f"list the {kind.plural} of a score model from the lowest {kind.minimum} to "
                    "the highest",
                )
            rows.setdefault(score_model, []).append(this)
            if top is None or this.minimum > top.minimum:
                highest[score_model] = this
        self._check_models_have(name, set(first_line))
        self._check_consistency(name, table, rows, broken, first_line)

    def _check_models_have(self, name: str, models_with_rows: set[str]) -> None:
        if not self.score_models:
            return
        if name == ENGAGEMENT_LEVELS and not models_with_rows:
            # Engagement levels are optional as a whole: a project without
            # engagement (no events) leaves the file empty.
            return
        kind, shown = THRESHOLDS[name], self.shown[name]
        for model, line in self.score_models.items():
            if model not in models_with_rows:
                self.add(
                    self.shown[SCORE_MODELS],
                    line,
                    f"score model {model}",
                    f"score model {_q(model)} has no {kind.plural} in {shown}",
                    f"add its {kind.plural} to {shown}, at least one, e.g. the row "
                    f"{model},{kind.lowest},0,",
                )

    def _check_consistency(
        self,
        name: str,
        table: Table,
        rows: dict[str, list[Threshold]],
        broken: set[str],
        first_line: dict[str, int],
    ) -> None:
        """Every score model has the same names in the same order of minimum."""
        kind = THRESHOLDS[name]
        models = list(self.score_models) if self.score_models is not None else list(first_line)
        comparable = [m for m in models if m in rows and m not in broken]
        if len(comparable) < 2:
            return

        def order(model: str) -> list[str]:
            return [t.name for t in sorted(rows[model], key=lambda t: t.minimum)]

        # The reference is the order most score models share (the first score
        # model's on a tie), so that the odd one out is the one reported.
        orders = [order(model) for model in comparable]
        expected = max(orders, key=orders.count)
        reference = comparable[orders.index(expected)]
        for model, found in zip(comparable, orders, strict=True):
            if found == expected:
                continue
            self.add(
                table.shown,
                first_line[model],
                f"score model {model}",
                f"the {kind.plural} of score model {_q(model)} are {', '.join(found)} in order of "
                f"{kind.minimum}, but those of score model {_q(reference)} are "
                f"{', '.join(expected)}",
                f"give every score model the same {kind.plural} in the same order of "
                f"{kind.minimum}, so that a {kind.name} means the same step everywhere: rename, "
                f"add or remove {kind.plural} of {_q(model)} to match {_q(reference)}",
            )
