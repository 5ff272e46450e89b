"""Checks of one cell shared by several tables: a score model named, one of a list of
values, a count, a number of days, a max_points.
"""

from __future__ import annotations

from collections.abc import Sequence

from leadscoring.validation.problems import Report, _choice_fix, _number, _q
from leadscoring.validation.spec import (
    NUMBER_FIX,
    SCORE_MODELS,
    SIGNED_WHOLE_NUMBER_RE,
    WHOLE_NUMBER_RE,
)


class CellChecks:
    """Checks cells the same way in every table."""

    def _check_score_model(self, report: Report, score_model: str) -> None:
        shown = self.shown[SCORE_MODELS]
        known = sorted(self.score_models) if self.score_models else []
        if not score_model:
            listed = f": {', '.join(known)}" if known else ""
            report("missing score_model", f"name one of the score models of {shown}{listed}")
        elif self.score_models is not None and score_model not in self.score_models:
            report(
                f"unknown score model {_q(score_model)}",
                f"{_choice_fix(score_model, known)}, or add {_q(score_model)} to {shown}",
            )

    @staticmethod
    def _check_choice(
        report: Report, column: str, value: str, choices: Sequence[str], missing_fix: str
    ) -> str | None:
        """Check a cell holding one of ``choices``; return it when it is one."""
        if not value:
            report(f"missing {column}", missing_fix)
            return None
        if value not in choices:
            report(f"unknown {column} {_q(value)}", _choice_fix(value, choices))
            return None
        return value

    @staticmethod
    def _check_count(
        report: Report,
        column: str,
        value: str,
        *,
        least: int = 1,
        most: int | None = None,
        empty: str | None = None,
        example: str = "3",
        note: str = "",
    ) -> None:
        """A whole number from ``least`` (to ``most``); required when ``empty`` is None."""
        if most is None:
            fix = f"write a whole number of {least} or more, e.g. {example}"
        else:
            fix = f"write a whole number from {least} to {most:,}, e.g. {example}"
        if empty is not None:
            fix += f", or leave it empty for {empty}"
        if not value:
            if empty is None:
                report(f"missing {column}", fix + note)
            return
        if WHOLE_NUMBER_RE.fullmatch(value) and least <= int(value) <= (most or int(value)):
            return
        if SIGNED_WHOLE_NUMBER_RE.fullmatch(value) and int(value) < least:
            message = f"{column} {value} is below {least}"
        elif WHOLE_NUMBER_RE.fullmatch(value):
            message = f"{column} {int(value):,} is above {most:,}"
        else:
            message = f"{column} {_q(value)} is not a whole number"
        report(message, fix + note)

    @staticmethod
    def _check_days(report: Report, column: str, value: str, *, empty: str | None) -> None:
        """A number of days greater than 0; required when ``empty`` is None."""
        example = {"within_days": "30", "timeframe_days": "180"}.get(column, "90")
        fix = f"write a number of days greater than 0, e.g. {example}"
        if empty is not None:
            fix += f", or leave it empty for {empty}"
        if not value:
            if empty is None:
                report(f"missing {column}", fix)
            return
        number = _number(value)
        if number is None:
            report(f"{column} {_q(value)} is not a number", NUMBER_FIX.format(example=example))
        elif number <= 0:
            report(f"{column} {value} is not greater than 0", fix)

    @staticmethod
    def _check_max_points(report: Report, value: str, what: str, empty: str | None = None) -> None:
        number = _number(value)
        if number is None:
            report(f"max_points {_q(value)} is not a number", NUMBER_FIX.format(example="20"))
            return
        if number > 0:
            return
        example = value.lstrip("-") if number < 0 else "20"
        fix = f"write {what}, e.g. {example}"
        if empty is not None:
            fix += f", or leave it empty for {empty}"
        report(f"max_points {value} is not greater than 0", fix)
