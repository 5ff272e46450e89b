"""A problem found in the point tables, the summary of what was read, the mixin
that collects the problems, and the small text helpers the messages are made with.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from leadscoring.validation.project import PROJECT_FILE
from leadscoring.validation.spec import CLI_VARS, DATE_RE, FILE_ORDER, NUMBER_RE


@dataclass(frozen=True)
class Problem:
    """One problem in the point tables, with where it is and how to fix it.

    ``line`` is the first physical line of the row in the file (the header is
    line 1); 0 when the problem is about the whole file (e.g. it is missing).
    ``subject`` names the row (``rule fit_seniority_vp``, ``band warm``) or is None.
    """

    file: str
    line: int
    subject: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line > 0 else self.file
        if self.subject:
            where += f" ({self.subject})"
        return f"{where}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Summary:
    """What was read: the counts of the OK line."""

    rules: int = 0
    rule_files: int = 0
    bands: int = 0
    grades: int = 0
    levels: int = 0
    score_models: int = 0
    # Point tables that are not seed files, with why they were not read here.
    notes: tuple[str, ...] = ()

    def ok_line(self) -> str:
        return (
            f"Point tables OK: {self.rules} rules in {self.rule_files} rule files, "
            f"{self.bands} bands, {self.grades} fit grades, {self.levels} engagement levels, "
            f"{self.score_models} score models."
        )

    def __str__(self) -> str:
        return self.ok_line()


Report = Callable[[str, str], None]


def _one_line(value: str) -> str:
    """A cell shown on one line: line breaks written as \\n."""
    return value.replace("\r", "\\r").replace("\n", "\\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _q(value: str) -> str:
    """Quote a cell for a one-line message."""
    return f"'{_one_line(value)}'"


def _join(items: Sequence[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _a(word: str) -> str:
    """The word with its indefinite article: 'an event', 'a behaviour'."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``value`` (a case-insensitive match first), or None."""
    choices = list(choices)
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    by_lower = {choice.lower(): choice for choice in choices}
    match = difflib.get_close_matches(value.lower(), list(by_lower), n=1)
    return by_lower[match[0]] if match else None


def _choice_fix(value: str, choices: Sequence[str], what: str = "") -> str:
    """'did you mean 'x'? Otherwise use one of a, b, c' (without a final period)."""
    listed = f"{what}: {', '.join(choices)}" if what else ", ".join(choices)
    close = _closest(value, choices)
    if close is not None:
        return f"did you mean {_q(close)}? Otherwise use one of {listed}"
    return f"use one of {listed}"


def _identifier(value: str, fallback: str) -> str:
    """A lower-case identifier close to ``value``, e.g. 'Web Form' -> 'web_form'."""
    text = re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_")
    if not text:
        return fallback
    return text if text[0].isalpha() else f"{fallback}_{text}"


def _number(value: str) -> Decimal | None:
    """The cell as a number when it is a plain decimal number, else None."""
    return Decimal(value) if NUMBER_RE.fullmatch(value) else None


def _date(value: str) -> date | None:
    """The cell as a date when it is a real date written YYYY-MM-DD, else None."""
    if not DATE_RE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class Reporting:
    """Collects the problems; the validator holds ``problems`` and ``shown``."""

    problems: list[Problem]
    shown: dict[str, str]

    def add(self, file: str, line: int, subject: str | None, message: str, fix: str) -> None:
        if not fix.endswith((".", "?", "!")):
            fix += "."
        self.problems.append(Problem(file, line, subject, message, fix))

    def reporter(self, file: str, line: int, subject: str | None) -> Report:
        def report(message: str, fix: str) -> None:
            self.add(file, line, subject, message, fix)

        return report

    def sorted_problems(self) -> list[Problem]:
        rank = {PROJECT_FILE: 0, CLI_VARS: 0}
        for position, name in enumerate(FILE_ORDER, start=1):
            rank[self.shown.get(name, name)] = position
        return sorted(self.problems, key=lambda p: (rank.get(p.file, len(rank)), p.line))
