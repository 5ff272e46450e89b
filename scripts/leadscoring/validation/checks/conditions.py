"""The conditions of rules and segments: an attribute with its operator and value or
bounds (for the attribute's kind), and an event type with its page condition.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from leadscoring.validation.problems import Report, _choice_fix, _date, _join, _q
from leadscoring.validation.project import PROJECT_FILE
from leadscoring.validation.spec import (
    ATTRIBUTE_KINDS,
    BOOLEANS,
    COLUMNS,
    CONDITION_OPERATORS,
    EVENT_TYPES,
    EXPLICIT_RULES,
    EXTRA_ATTRIBUTES_VAR,
    KIND_OPERATORS,
    NUMBER_BUCKETS,
    NUMBER_FIX,
    NUMBER_RE,
    OPERATORS,
    PAGE_CATEGORIES,
    VALUE_OPERATORS,
    WHOLE_NUMBER_RE,
)


class ConditionChecks:
    """Checks attribute and event conditions."""

    def _check_attribute_condition(
        self, report: Report, cells: dict[str, str], *, gives_points: bool, negative: bool = False
    ) -> None:
        """attribute, operator and its value or bounds, for the attribute's kind.

        ``gives_points``: a rule (explicit or negative), which may also use the
        operators that give points (per_unit, buckets); False for a segment
        condition, which only holds or not. ``negative``: a negative rule."""
        attribute, operator = cells["attribute"], cells["operator"]
        known = sorted(self.attributes) if self.attributes is not None else []
        declare = (
            f"declare it with its kind ({', '.join(ATTRIBUTE_KINDS)}) in var "
            f"{EXTRA_ATTRIBUTES_VAR} in {PROJECT_FILE} or with --vars"
        )
        kind: str | None = None
        if not attribute:
            listed = f", one of: {', '.join(known)}" if known else ""
            report("missing attribute", f"name the contact or account attribute tested{listed}")
        elif self.attributes is not None and attribute not in self.attributes:
            fix = (
                f"{_choice_fix(attribute, known, 'the known attributes')}; or {declare}"
                if known
                else declare
            )
            report(f"unknown attribute {_q(attribute)}", fix)
        elif self.attributes is not None:
            kind = self.attributes[attribute]

        operators = OPERATORS if gives_points else CONDITION_OPERATORS
        if not operator:
            report("missing operator", f"use one of {', '.join(operators)}")
            return
        if operator not in OPERATORS:
            report(f"unknown operator {_q(operator)}", _choice_fix(operator, operators))
            return
        if operator not in operators and operator == "age_between":
            report(
                "operator age_between is for rules only: a segment condition does not age a "
                "date with the moment scored",
                "select contacts by a date with between and two dates (or is_present, is_missing)",
            )
            return
        if operator not in operators:
            report(
                f"operator {operator} gives points, but a condition only holds or not",
                "use between with min_value and/or max_value to select contacts by a number "
                "(or is_present, is_missing)",
            )
            return

        value = cells["value"]
        bounds = [c for c in ("min_value", "max_value") if cells[c]]
        if operator in VALUE_OPERATORS:
            self._check_value(report, operator, value)
            if bounds:
                report(
                    f"operator {operator} takes no {_join(bounds, 'or')}",
                    "empty min_value and max_value; they are only for between, age_between and "
                    "per_unit",
                )
            boolean = kind == "boolean" and operator == "equals"
            if boolean and value and value.lower() not in BOOLEANS:
                report(
                    f"the boolean attribute {_q(attribute)} is true or false, not {_q(value)}",
                    "write true or false in value (or use is_present, is_missing)",
                )
        elif operator == "buckets":
            self._check_buckets(report, cells, bounds, negative)
        elif operator in ("between", "per_unit", "age_between"):
            if value:
                report(
                    f"operator {operator} takes no value (got {_q(value)})",
                    "empty the value column and put the bounds in min_value and/or max_value",
                )
            if operator == "age_between":
                self._check_age_bounds(report, cells)
            elif operator == "between" and (
                kind == "date" or (kind is None and bounds and all(_date(cells[c]) for c in bounds))
            ):
                self._check_date_bounds(report, cells)
            else:
                self._check_number_bounds(report, cells, per_unit=operator == "per_unit")
        else:
            given = [c for c in ("value", "min_value", "max_value") if cells[c]]
            if given:
                report(
                    f"operator {operator} takes no value, min_value or max_value, but "
                    f"{_join(given)} {'is' if len(given) == 1 else 'are'} filled",
                    f"empty {_join(given)}; {operator} only tests whether the attribute has a "
                    "value",
                )
        if kind is not None and operator not in KIND_OPERATORS[kind]:
            report(
                f"operator {operator} does not apply to the {kind} attribute {_q(attribute)}",
                self._kind_fix(kind, gives_points),
            )

    @staticmethod
    def _kind_fix(kind: str, gives_points: bool) -> str:
        """How to test an attribute of the kind: the operators that apply to it."""
        presence = "(or is_present, is_missing)"
        if kind == "text":
            return f"use equals, in, contains or starts_with with a value to test text {presence}"
        if kind == "boolean":
            return f"use equals with the value true or false {presence}"
        if kind == "date":
            return (
                "use between with dates (YYYY-MM-DD) in min_value and/or max_value, or "
                f"age_between with the date's age in whole days {presence}"
            )
        if gives_points:
            return (
                "use between with min_value and/or max_value to test a number, per_unit for "
                "points per unit of it, or buckets with a bucket set of point table number_buckets "
                f"{presence}"
            )
        return f"use between with min_value and/or max_value to test a number {presence}"

    def _check_number_bounds(self, report: Report, cells: dict[str, str], per_unit: bool) -> None:
        """between (at least one bound) and per_unit (optional bounds, max_value >= 0)."""
        if not per_unit and not cells["min_value"] and not cells["max_value"]:
            report(
                "operator between needs min_value, max_value or both",
                "write the lowest accepted value in min_value and/or the highest in "
                "max_value (both inclusive), e.g. min_value 50",
            )
        numbers: dict[str, Decimal] = {}
        for column in ("min_value", "max_value"):
            cell = cells[column]
            if cell and NUMBER_RE.fullmatch(cell):
                numbers[column] = Decimal(cell)
            elif cell:
                example = "50" if column == "min_value" else "199"
                report(f"{column} {_q(cell)} is not a number", NUMBER_FIX.format(example=example))
        if per_unit and numbers.get("max_value", Decimal(0)) < 0:
            report(
                f"max_value {cells['max_value']} is below 0",
                "max_value caps the units counted: write a number of 0 or more, e.g. 10, or "
                "leave it empty for no cap",
            )
        elif len(numbers) == 2 and numbers["min_value"] > numbers["max_value"]:
            report(
                f"min_value {cells['min_value']} is greater than max_value {cells['max_value']}",
                f"swap them: min_value {cells['max_value']}, max_value {cells['min_value']}",
            )

    @staticmethod
    def _check_date_bounds(report: Report, cells: dict[str, str]) -> None:
        """between on a date: dates YYYY-MM-DD, at least one, min <= max."""
        if not cells["min_value"] and not cells["max_value"]:
            report(
                "operator between needs min_value, max_value or both",
                "write the earliest accepted date in min_value and/or the latest in max_value "
                "(both inclusive, YYYY-MM-DD), e.g. min_value 2026-01-01",
            )
            return
        dates: dict[str, date] = {}
        for column in ("min_value", "max_value"):
            cell = cells[column]
            found = _date(cell) if cell else None
            if found is not None:
                dates[column] = found
            elif cell:
                example = "2026-01-01" if column == "min_value" else "2026-12-31"
                report(
                    f"{column} {_q(cell)} is not a date",
                    f"write the date as YYYY-MM-DD, e.g. {example}",
                )
        if len(dates) == 2 and dates["min_value"] > dates["max_value"]:
            report(
                f"min_value {cells['min_value']} is after max_value {cells['max_value']}",
                f"swap them: min_value {cells['max_value']}, max_value {cells['min_value']}",
            )

    def _check_age_bounds(self, report: Report, cells: dict[str, str]) -> None:
        """age_between: whole days of 0 or more, at least one, min <= max."""
        if not cells["min_value"] and not cells["max_value"]:
            report(
                "operator age_between needs min_value, max_value or both",
                "write the youngest accepted age of the date in min_value and/or the oldest in "
                "max_value, in whole days (both inclusive), e.g. max_value 30",
            )
            return
        for column, empty in (("min_value", "no lower bound"), ("max_value", "no upper bound")):
            self._check_count(
                report,
                column,
                cells[column],
                least=0,
                empty=empty,
                example="30",
                note=" (the age of the date in days at the scoring moment)",
            )
        low, high = cells["min_value"], cells["max_value"]
        whole = WHOLE_NUMBER_RE.fullmatch(low) and WHOLE_NUMBER_RE.fullmatch(high)
        if whole and int(low) > int(high):
            report(
                f"min_value {low} is greater than max_value {high}",
                f"swap them: min_value {high}, max_value {low}",
            )

    def _check_buckets(
        self, report: Report, cells: dict[str, str], bounds: list[str], negative: bool
    ) -> None:
        """buckets: value names a bucket set of number_buckets.csv; no bounds, no points."""
        name = cells["value"]
        shown = self.shown.get(NUMBER_BUCKETS, NUMBER_BUCKETS)
        if bounds:
            report(
                f"operator buckets takes no {_join(bounds, 'or')}",
                f"empty min_value and max_value: the buckets of the set in {shown} hold the ranges",
            )
        if not name:
            report(
                "operator buckets needs a value",
                f"write the name of a bucket set of {shown} in the value column, e.g. visits",
            )
            return
        sets = self.bucket_sets
        if sets is None:
            return
        if name not in sets:
            header = ",".join(COLUMNS[NUMBER_BUCKETS])
            add = (
                f"add the buckets of {_q(name)} to {shown}, e.g. the row {name},1,10,5,"
                if self.paths[NUMBER_BUCKETS].exists()
                else f"create {shown} with the header line {header} and the buckets of "
                f"{_q(name)}, e.g. the row {name},1,10,5,"
            )
            fix = (
                f"{_choice_fix(name, sorted(sets), f'the bucket sets of {shown}')}; or {add}"
                if sets
                else add
            )
            report(f"unknown bucket set {_q(name)}", fix)
            return
        if negative:
            given = next((b for b in sets[name] if b.points is not None and b.points >= 0), None)
            if given is not None:
                report(
                    f"bucket set {_q(name)} gives {given.points} points ({shown}, line "
                    f"{given.line}), but a negative rule takes points away",
                    f"use a bucket set whose points are all below 0, or put the rule in "
                    f"{self.shown[EXPLICIT_RULES]}",
                )

    @staticmethod
    def _check_value(report: Report, operator: str, value: str) -> None:
        if not value:
            if operator == "in":
                fix = "write the accepted values separated by |, e.g. vp|director"
            else:
                fix = "write the text the attribute is compared with in the value column"
            report(f"operator {operator} needs a value", fix)
            return
        if operator == "in":
            items = [item.strip() for item in value.split("|")]
            if "" in items:
                cleaned = "|".join(item for item in items if item)
                fix = (
                    f"separate the values with single | and leave none empty, e.g. {_q(cleaned)}"
                    if cleaned
                    else "write the accepted values separated by |, e.g. vp|director"
                )
                report(f"the in list {_q(value)} has an empty item", fix)

    def _check_event_condition(self, report: Report, cells: dict[str, str]) -> None:
        """event_type (required) and the optional page condition."""
        self._check_event_type(report, cells["event_type"], required=True)
        self._check_page_pattern(
            report,
            cells["page_pattern"],
            "empty page_pattern to count every event of the type, or narrow it to a path such "
            "as '/pricing*'",
        )
        self._check_page_category(report, cells["page_category"])

    def _check_event_type(self, report: Report, event_type: str, required: bool) -> None:
        known = sorted(self.event_types) if self.event_types else []
        shown = self.shown[EVENT_TYPES]
        if not event_type:
            if required:
                listed = f": {', '.join(known)}" if known else ""
                report("missing event_type", f"name one of the event types of {shown}{listed}")
        elif self.event_types is not None and event_type not in self.event_types:
            report(
                f"unknown event type {_q(event_type)}",
                f"{_choice_fix(event_type, known, f'the event types of {shown}')}; "
                f"or add {_q(event_type)} to {shown}",
            )

    def _check_page_category(self, report: Report, category: str) -> None:
        if not category or self.page_categories is None or category in self.page_categories:
            return
        shown = self.shown[PAGE_CATEGORIES]
        add = f"add {_q(category)} with its page patterns to {shown}"
        if self.page_categories:
            known = sorted(self.page_categories)
            fix = f"{_choice_fix(category, known, f'the page categories of {shown}')}; or {add}"
        else:
            fix = add
        report(f"unknown page category {_q(category)}", fix)

    @staticmethod
    def _check_page_pattern(report: Report, pattern: str, every_fix: str) -> None:
        if not pattern:
            return
        is_url = pattern.lower().startswith(("http://", "https://"))
        if is_url or "?" in pattern or "#" in pattern:
            path = urlsplit(pattern).path if is_url else re.split("[?#]", pattern)[0]
            example = path if path.startswith("/") and path.strip("*/") and " " not in path else ""
            what = "is a URL, not a page path" if is_url else "has a query string or fragment"
            report(
                f"page_pattern {_q(pattern)} {what}",
                "drop the scheme, host and query and write the path, e.g. "
                f"{_q(example or '/pricing*')}",
            )
            return
        if re.search(r"\s", pattern):
            report(
                f"page_pattern {_q(pattern)} contains blanks",
                "remove the blanks: page paths have none",
            )
        if not pattern.startswith(("/", "*")):
            report(
                f"page_pattern {_q(pattern)} does not start with / or *",
                f"start it with / to match from the start of the path (e.g. {_q('/' + pattern)}), "
                "or with * to match anywhere in it",
            )
        elif not pattern.strip("*"):
            report(f"page_pattern {_q(pattern)} matches every page", every_fix)
