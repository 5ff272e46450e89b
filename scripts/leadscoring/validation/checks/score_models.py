"""score_models: names, descriptions, the floor and ceiling, the decay defaults."""

from __future__ import annotations

from decimal import Decimal

from leadscoring.validation.problems import Report, _identifier, _number, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import IDENTIFIER_RE, MAX_SCORE_MODEL_LENGTH, NUMBER_FIX


class ScoreModelChecks:
    """Checks score_models and records the score models other tables name."""

    def check_score_models(self, table: Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            name = row.cells.get("score_model", "")
            if not row.complete:
                # Already reported; keep the name so rules naming it are not reported too.
                if name:
                    seen.setdefault(name, row.line)
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing score_model",
                    "name the score model with a lower-case identifier, e.g. default",
                )
            else:
                self._check_score_model_name(report, name)
                if name in seen:
                    report(
                        f"duplicate score model {_q(name)}: already on line {seen[name]}",
                        "remove this row or give the score model another name",
                    )
                else:
                    seen[name] = row.line
            if not cells["description"]:
                report(
                    "missing description",
                    "say what the score is for, e.g. Contacts of the EMEA sales team",
                )
            self._check_totals(report, cells["min_total"], cells["max_total"])
            self._check_days(report, "half_life_days", cells["half_life_days"], empty="no decay")
            self._check_days(report, "timeframe_days", cells["timeframe_days"], empty="all time")
        if not table.rows:
            self.add(
                table.shown,
                1,
                None,
                "no score models",
                "add at least one row under the header, e.g. default,The lead score,0,,,",
            )
        self.score_models = seen or None

    @staticmethod
    def _check_score_model_name(report: Report, name: str) -> None:
        if not IDENTIFIER_RE.fullmatch(name):
            report(
                f"score model {_q(name)} is not a lower-case identifier",
                "use lower-case letters, digits and _, starting with a letter, e.g. "
                f"{_q(_identifier(name, 'model')[:MAX_SCORE_MODEL_LENGTH])}",
            )
        elif len(name) > MAX_SCORE_MODEL_LENGTH:
            report(
                f"score model {_q(name)} is {len(name)} characters long, more than "
                f"{MAX_SCORE_MODEL_LENGTH}",
                f"shorten it to {MAX_SCORE_MODEL_LENGTH} characters at most (score model names "
                f"become column names of lead_scoring__scores_wide), e.g. "
                f"{_q(name[:MAX_SCORE_MODEL_LENGTH].rstrip('_'))}",
            )

    @staticmethod
    def _check_totals(report: Report, min_total: str, max_total: str) -> None:
        numbers: dict[str, Decimal] = {}
        for column, cell, example in (
            ("min_total", min_total, "0"),
            ("max_total", max_total, "200"),
        ):
            if not cell:
                continue
            number = _number(cell)
            if number is None:
                report(f"{column} {_q(cell)} is not a number", NUMBER_FIX.format(example=example))
            else:
                numbers[column] = number
        if "max_total" not in numbers or (min_total and "min_total" not in numbers):
            return
        floor = numbers.get("min_total", Decimal(0))
        if numbers["max_total"] <= floor:
            shown_floor = (
                f"min_total {min_total}" if min_total else "the floor 0 (min_total is empty)"
            )
            report(
                f"max_total {max_total} is not greater than {shown_floor}",
                "raise max_total above min_total, or empty max_total for no ceiling",
            )
