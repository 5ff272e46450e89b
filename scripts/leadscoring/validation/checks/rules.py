"""The rule files: explicit, implicit, negative, repeat and combination rules; their
ids (unique across the files), points, caps and decay.
"""

from __future__ import annotations

import re
from decimal import Decimal

from leadscoring.validation.problems import Report, _a, _choice_fix, _join, _q
from leadscoring.validation.reader import Row, Table
from leadscoring.validation.spec import (
    ANCHORS,
    COMBINATION_RULES,
    COUNT_MODES,
    EXPLICIT_RULES,
    IMPLICIT_RULES,
    NEGATIVE_KINDS,
    NEGATIVE_RULES,
    NUMBER_BUCKETS,
    NUMBER_FIX,
    NUMBER_RE,
    POINT_CAPS,
    REPEAT_RULES,
    RESERVED_RULE_IDS,
    RULE_ID_RE,
)


class RuleChecks:
    """Checks the five rule files."""

    def check_rules(self, name: str, table: Table) -> None:
        combinations: dict[str, Row] = {}
        if name == COMBINATION_RULES:
            self.combination_rules = combinations
        for row in table.rows:
            rule_id = row.cells.get("rule_id", "")
            if name == COMBINATION_RULES and rule_id:
                combinations.setdefault(rule_id, row)
            if not row.complete:
                # Cells may be shifted: only remember the id, to catch duplicates.
                if rule_id and rule_id not in self.rule_ids:
                    self.rule_ids[rule_id] = (table.shown, row.line)
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_rule_id(report, rule_id, table.shown, row.line)
            self._check_score_model(report, cells["score_model"])
            if name == EXPLICIT_RULES:
                self._check_attribute_condition(report, cells, gives_points=True)
                points = self._check_rule_points(report, cells, name)
                self._check_cap_group(report, cells, points)
            elif name == IMPLICIT_RULES:
                self._check_event_condition(report, cells)
                self._check_points(report, cells["points"], name)
                self._check_occurrence_limits(report, cells)
                self._check_cap_group(report, cells, None)
                self._check_decay(report, cells, inherits=True)
            elif name == NEGATIVE_RULES:
                applies_to = self._check_negative_condition(report, cells)
                if applies_to == "attribute":
                    self._check_rule_points(report, cells, name)
                else:
                    self._check_points(report, cells["points"], name)
            elif name == REPEAT_RULES:
                self._check_repeat(report, cells)
            else:
                self._check_combination(report, cells)

    def _check_rule_id(self, report: Report, rule_id: str, shown: str, line: int) -> None:
        if not rule_id:
            report(
                "missing rule_id",
                "give the rule a unique id of letters, digits, _, . and -, e.g. fit_seniority_vp",
            )
            return
        if not RULE_ID_RE.fullmatch(rule_id):
            suggestion = re.sub(r"[^A-Za-z0-9_.-]+", "_", rule_id).strip("_") or "rule_1"
            report(
                f"rule id {_q(rule_id)} has characters other than letters, digits, _, . and -",
                f"rename it, e.g. {_q(suggestion)}",
            )
        if rule_id in RESERVED_RULE_IDS:
            report(
                f"rule id {_q(rule_id)} is reserved: lead_scoring__score_details names its floor "
                "and ceiling adjustment rows score_floor and score_ceiling",
                f"rename the rule, e.g. {_q(rule_id + '_rule')}",
            )
        if rule_id in self.rule_ids:
            first_file, first_line = self.rule_ids[rule_id]
            number = 2
            while f"{rule_id}_{number}" in self.rule_ids:
                number += 1
            report(
                f"duplicate rule id {_q(rule_id)}: already used in {first_file}, line {first_line}",
                f"give each rule its own id, e.g. rename this one to {_q(f'{rule_id}_{number}')}",
            )
        else:
            self.rule_ids[rule_id] = (shown, line)

    def _check_applies_to(
        self,
        report: Report,
        cells: dict[str, str],
        kinds: dict[str, tuple[str, ...]],
        noun: str,
        missing_fix: str,
    ) -> str | None:
        """Check applies_to and that the columns of the other kinds are empty."""
        applies_to = self._check_choice(
            report, "applies_to", cells["applies_to"], tuple(kinds), missing_fix
        )
        if applies_to is None:
            return None
        used = kinds[applies_to]
        columns = dict.fromkeys(c for kind_columns in kinds.values() for c in kind_columns)
        filled = [c for c in columns if c not in used and cells.get(c)]
        if not filled:
            return applies_to
        one = len(filled) == 1
        owners = {
            k for k, columns in kinds.items() if k != applies_to for c in filled if c in columns
        }
        if len(owners) == 1:
            other = owners.pop()
            fix = (
                f"empty {_join(filled)} ({'it is' if one else 'they are'} for applies_to {other} "
                f"{noun}s), or make it {_a(other)} {noun}: applies_to {other}, with "
                f"{_join([c for c in used if c not in kinds[other]])} empty"
            )
        else:
            fix = (
                f"empty {_join(filled)}: {_a(applies_to)} {noun} fills {_join(used)} and leaves "
                "the columns of the other kinds empty"
            )
        report(
            f"applies_to is {applies_to} but {_join(filled)} {'is' if one else 'are'} filled", fix
        )
        return applies_to

    def _check_negative_condition(self, report: Report, cells: dict[str, str]) -> str | None:
        applies_to = self._check_applies_to(
            report,
            cells,
            NEGATIVE_KINDS,
            "rule",
            "write attribute (points off when a contact attribute matches), event (points off "
            "per event) or inactivity (points off after inactive_days without engagement)",
        )
        if applies_to == "attribute":
            self._check_attribute_condition(report, cells, gives_points=True, negative=True)
        elif applies_to == "event":
            self._check_event_condition(report, cells)
            self._check_occurrence_limits(report, cells, negative=True)
            self._check_decay(report, cells, inherits=False)
        elif applies_to == "inactivity":
            self._check_days(report, "inactive_days", cells["inactive_days"], empty=None)
        return applies_to

    def _check_repeat(self, report: Report, cells: dict[str, str]) -> None:
        self._check_event_condition(report, cells)
        self._check_count(
            report,
            "min_occurrences",
            cells["min_occurrences"],
            least=2,
            example="3",
            note="; one event at a time is counted by an implicit rule",
        )
        self._check_days(report, "within_days", cells["within_days"], empty=None)
        self._check_choice(
            report,
            "count_mode",
            cells["count_mode"],
            COUNT_MODES,
            "write once (counted the first time only) or per_window (counted once per "
            "within_days window)",
        )
        points = self._check_points(report, cells["points"], REPEAT_RULES)
        self._check_occurrence_limits(report, cells, negative=points is not None and points < 0)
        self._check_cap_group(report, cells, points)
        self._check_decay(report, cells, inherits=points is None or points >= 0)

    def _check_combination(self, report: Report, cells: dict[str, str]) -> None:
        self._check_days(report, "within_days", cells["within_days"], empty=None)
        self._check_choice(
            report,
            "anchor",
            cells["anchor"],
            ANCHORS,
            "write any (the steps within within_days of each other, at any time) or "
            "contact_created (within within_days of the contact's creation)",
        )
        points = self._check_points(report, cells["points"], COMBINATION_RULES)
        self._check_cap_group(report, cells, points)
        self._check_decay(report, cells, inherits=points is None or points >= 0)

    def _check_occurrence_limits(
        self, report: Report, cells: dict[str, str], negative: bool = False
    ) -> None:
        self._check_count(
            report, "max_occurrences", cells["max_occurrences"], empty="no cap", most=999_999
        )
        if cells["max_points"]:
            what = (
                "the most points the rule takes away as a positive number"
                if negative
                else "the most points the rule gives, above 0"
            )
            self._check_max_points(report, cells["max_points"], what, empty="no cap")

    def _check_decay(self, report: Report, cells: dict[str, str], inherits: bool) -> None:
        if inherits:
            half_life, timeframe = "the score model's decay", "the score model's timeframe"
        else:
            half_life, timeframe = "no decay", "all time"
        self._check_days(report, "half_life_days", cells["half_life_days"], empty=half_life)
        self._check_days(report, "timeframe_days", cells["timeframe_days"], empty=timeframe)

    def _check_rule_points(
        self, report: Report, cells: dict[str, str], name: str
    ) -> Decimal | None:
        """The points of an attribute rule: none with operator buckets (the bucket set
        gives them), else as ``_check_points``."""
        if cells["operator"] != "buckets":
            return self._check_points(report, cells["points"], name)
        if cells["points"]:
            shown = self.shown.get(NUMBER_BUCKETS, NUMBER_BUCKETS)
            report(
                f"operator buckets takes no points (got {_q(cells['points'])})",
                f"empty points: each bucket of the set gives its own points, in {shown}",
            )
        return None

    def _check_points(self, report: Report, points: str, name: str) -> Decimal | None:
        """Check the points' sign for the file; return them when they are a number."""
        negative = name == NEGATIVE_RULES
        example = "-10" if negative else "10"
        if not points:
            either = (
                " (below 0 to take points away)"
                if name == EXPLICIT_RULES
                else " (below 0 for a negative rule)"
                if name in (REPEAT_RULES, COMBINATION_RULES)
                else ""
            )
            report("missing points", f"write the points the rule gives, e.g. {example}{either}")
            return None
        if not NUMBER_RE.fullmatch(points):
            report(f"points {_q(points)} is not a number", NUMBER_FIX.format(example=example))
            return None
        number = Decimal(points)
        if name == IMPLICIT_RULES and number < 0:
            report(
                f"negative points ({points}) in an implicit rule",
                f"use 0 or more points here; put negative points in {self.shown[NEGATIVE_RULES]}",
            )
        elif negative and number >= 0:
            magnitude = points.lstrip("+")
            example = f"-{magnitude}" if number > 0 else "-10"
            report(
                f"points {points} in a negative rule are not below 0",
                f"write the points taken off as a negative number, e.g. {example}; put positive "
                f"points in {self.shown[EXPLICIT_RULES]} or {self.shown[IMPLICIT_RULES]}",
            )
        return number

    def _check_cap_group(
        self, report: Report, cells: dict[str, str], points: Decimal | None
    ) -> None:
        """The cap group exists for the rule's score model; ``points`` are given for the
        rules whose points may be negative (explicit, repeat and combination rules), else
        None."""
        group = cells["cap_group"]
        if not group:
            return
        if points is not None and points < 0:
            taken = f" ({cells['points']})" if cells.get("points") else ""
            report(
                f"cap_group {_q(group)} on a negative rule{taken}",
                "empty cap_group: cap groups limit positive points only",
            )
            return
        model = cells["score_model"]
        if (
            self.cap_groups is None
            or not model
            or (self.score_models is not None and model not in self.score_models)
        ):
            return
        groups = sorted(g for m, g in self.cap_groups if m == model)
        if group in groups:
            return
        shown = self.shown[POINT_CAPS]
        add = f"add the row {model},{group},40, to {shown} (a cap of 40 points)"
        fix = (
            f"{_choice_fix(group, groups, f'the cap groups of score model {model}')}; or {add}"
            if groups
            else f"{add}, or empty cap_group"
        )
        report(f"unknown cap group {_q(group)} for score model {_q(model)}", fix)
