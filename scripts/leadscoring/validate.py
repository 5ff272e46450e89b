"""``leadscoring validate``: check the point tables (the CSV seeds) before a dbt build.

Every problem is reported, each on one line naming the file, the line, the rule
(or band, score model, event type, page category...) and what to do about it,
so a marketer can fix the tables in one pass instead of reading dbt test
failures one at a time. The checks follow the specification of every seed in
``docs/point_tables.md`` and mirror the seed tests of ``seeds/_seeds.yml``;
nothing is imported from dbt and no database is needed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from leadscoring.validation.checks.project_file import ProjectFileChecks
from leadscoring.validation.problems import (
    Problem,
    Report,
    Reporting,
    Summary,
    _a,
    _choice_fix,
    _date,
    _identifier,
    _join,
    _number,
    _q,
)
from leadscoring.validation.project import PROJECT_FILE, Project
from leadscoring.validation.reader import Row, Table, TableReader
from leadscoring.validation.spec import (
    ANCHORS,
    ATTRIBUTE_KINDS,
    BOOLEANS,
    COLUMNS,
    COMBINATION_RULE_STEPS,
    COMBINATION_RULES,
    CONDITION_OPERATORS,
    COUNT_MODES,
    DOMAIN_KINDS,
    DOMAIN_RE,
    EMAIL_DOMAINS,
    ENGAGEMENT_LEVELS,
    EVENT_TYPES,
    EXPLICIT_RULES,
    EXTRA_ATTRIBUTES_VAR,
    FILE_ORDER,
    FIT_GRADES,
    IDENTIFIER_RE,
    IMPLICIT_RULES,
    KIND_OPERATORS,
    MAX_SCORE_MODEL_LENGTH,
    NEGATIVE_KINDS,
    NEGATIVE_RULES,
    NUMBER_BUCKETS,
    NUMBER_FIX,
    NUMBER_RE,
    OPERATORS,
    PAGE_CATEGORIES,
    PLACEHOLDER_NAMES,
    POINT_CAPS,
    REPEAT_RULES,
    RESERVED_RULE_IDS,
    RULE_FILES,
    RULE_ID_RE,
    SCORE_BANDS,
    SCORE_MODEL_SEGMENTS,
    SCORE_MODELS,
    SEGMENT_KINDS,
    SIGNED_WHOLE_NUMBER_RE,
    THRESHOLD_FILES,
    VALUE_OPERATORS,
    WHOLE_NUMBER_RE,
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


@dataclass(frozen=True)
class Bucket:
    """A row of number_buckets.csv: values from low (inclusive) to high (exclusive)."""

    low: Decimal | None  # None: no lower bound
    high: Decimal | None  # None: no upper bound
    low_text: str
    high_text: str
    points: Decimal | None
    line: int

    def shown(self) -> str:
        if self.low is None and self.high is None:
            return "every value"
        if self.low is None:
            return f"below {self.high_text}"
        if self.high is None:
            return f"{self.low_text} or more"
        return f"{self.low_text} to below {self.high_text}"


class Validator(Reporting, TableReader, ProjectFileChecks):
    def __init__(self, project_dir: Path, cli_vars: str | None = None) -> None:
        self.project_dir = project_dir
        # The --vars string as given (None: not given), like dbt's --vars.
        self.cli_vars_text = cli_vars
        self.has_events = True
        self.problems: list[Problem] = []
        self.project = Project(project_dir, {}, "")
        # Where vars come from, most important first (None until the project is read).
        self.sources: list | None = None
        self.shown: dict[str, str] = {}
        self.paths: dict[str, Path | None] = {}
        # Point tables that are not seed files (a model, a source): why they are not read.
        self.notes: list[str] = []
        # None when unknown (the file or config could not be read): checks
        # against them are skipped rather than flooding the report.
        self.attributes: dict[str, str | None] | None = None
        self.score_models: dict[str, int] | None = None
        self.event_types: dict[str, int] | None = None
        self.page_categories: dict[str, int] | None = None
        self.cap_groups: dict[tuple[str, str], int] | None = None
        # Bucket sets of number_buckets.csv.
        self.bucket_sets: dict[str, list[Bucket]] | None = None
        self.combination_rules: dict[str, Row] | None = None
        self.rule_ids: dict[str, tuple[str, int]] = {}

    # --- score_models.csv ---------------------------------------------------

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

    # --- page_categories.csv, event_types.csv and the data-quality lists -----

    def check_page_categories(self, table: Table) -> None:
        seen: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        for row in table.rows:
            name = row.cells.get("page_category", "")
            if not row.complete:
                if name:
                    seen.setdefault(name, row.line)
                continue
            pattern = row.cells["page_pattern"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report("missing page_category", "name the page category, e.g. pricing")
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"page category {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, e.g. "
                    f"{_q(_identifier(name, 'pages'))}",
                )
            if name:
                seen.setdefault(name, row.line)
            if not pattern:
                report(
                    "missing page_pattern",
                    "write the path glob of the category's pages, e.g. /pricing*; one row per "
                    "pattern",
                )
                continue
            self._check_page_pattern(
                report, pattern, "narrow it to the pages of the category, e.g. '/pricing*'"
            )
            if name and (name, pattern.lower()) in pairs:
                report(
                    f"duplicate page pattern {_q(pattern)} for page category {_q(name)}: already "
                    f"on line {pairs[(name, pattern.lower())]}",
                    "remove this row",
                )
            elif name:
                pairs[(name, pattern.lower())] = row.line
        self.page_categories = seen

    def check_event_types(self, table: Table) -> None:
        seen: dict[str, int] = {}
        categories = sorted({r.cells.get("event_category", "") for r in table.rows} - {""})
        for row in table.rows:
            name = row.cells.get("event_type", "")
            if not row.complete:
                if name:
                    seen.setdefault(name, row.line)
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing event_type",
                    "name the event type as it appears in the raw events, e.g. page_view",
                )
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"event type {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, as in the raw "
                    f"events, e.g. {_q(_identifier(name, 'event'))}",
                )
            if name and name in seen:
                report(
                    f"duplicate event type {_q(name)}: already on line {seen[name]}",
                    "remove this row; each event type is listed once",
                )
            elif name:
                seen[name] = row.line
            if not row.cells["event_category"]:
                examples = ", ".join(categories) or "web, email, form, content, sales"
                report(
                    "missing event_category",
                    f"name the family of the event type, e.g. one of {examples}",
                )
            self._check_choice(
                report,
                "is_engagement",
                row.cells["is_engagement"],
                BOOLEANS,
                "write true when the event shows the contact's own interest (a page view, a "
                "click), false when it does not (email_sent, email_bounced)",
            )
        if not table.rows and self.has_events:
            self.add(
                table.shown,
                1,
                None,
                "no event types",
                "add the event types of the raw events, one per row, e.g. "
                "page_view,web,true,A page of the website was viewed",
            )
        self.event_types = seen or None

    def check_email_domains(self, table: Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            domain = row.cells["domain"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not domain:
                report("missing domain", "write the domain as in email addresses, e.g. gmail.com")
            elif "@" in domain:
                example = domain.rsplit("@", 1)[1].lower() or "gmail.com"
                report(
                    f"domain {_q(domain)} is an email address, not a domain",
                    f"keep the part after the @, e.g. {_q(example)}",
                )
            elif not DOMAIN_RE.fullmatch(domain):
                host = urlsplit(domain).hostname if "://" in domain else None
                example = host if host and DOMAIN_RE.fullmatch(host) else "gmail.com"
                report(
                    f"domain {_q(domain)} is not a domain name",
                    f"write the domain as in email addresses (no scheme, path or blanks), e.g. "
                    f"{_q(example)}",
                )
            elif domain != domain.lower():
                report(
                    f"domain {_q(domain)} is not lower-case",
                    f"write it in lower case: {_q(domain.lower())}",
                )
            if domain and domain.lower() in seen:
                report(
                    f"duplicate domain {_q(domain)}: already on line {seen[domain.lower()]}",
                    "remove this row; each domain is listed once",
                )
            elif domain:
                seen[domain.lower()] = row.line
            self._check_choice(
                report,
                "domain_kind",
                row.cells["domain_kind"],
                DOMAIN_KINDS,
                "write free (a free email provider), disposable (a throw-away address) or "
                "competitor",
            )

    def check_placeholder_names(self, table: Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            name = row.cells["name"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report("missing name", "write the placeholder name in lower case, e.g. test")
                continue
            if name != name.lower():
                report(
                    f"name {_q(name)} is not lower-case",
                    f"write it in lower case: {_q(name.lower())}",
                )
            if name.lower() in seen:
                report(
                    f"duplicate name {_q(name)}: already on line {seen[name.lower()]}",
                    "remove this row; each name is listed once",
                )
            else:
                seen[name.lower()] = row.line

    # --- number_buckets.csv -------------------------------------------------

    def check_number_buckets(self, table: Table) -> None:
        sets: dict[str, list[Bucket]] = {}
        for row in table.rows:
            name = row.cells.get("bucket_set", "")
            if not row.complete:
                if name:
                    sets.setdefault(name, [])  # rules naming it are not reported too
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing bucket_set",
                    "name the bucket set the rules name in their value column, e.g. visits",
                )
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"bucket set {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, e.g. "
                    f"{_q(_identifier(name, 'buckets'))}, here and in the rules that name it",
                )
            bounds: dict[str, Decimal | None] = {}
            for column, example in (("min_value", "1"), ("max_value", "10")):
                cell = cells[column]
                bounds[column] = _number(cell) if cell else None
                if cell and bounds[column] is None:
                    report(
                        f"{column} {_q(cell)} is not a number",
                        NUMBER_FIX.format(example=example) + ", or leave it empty for no bound",
                    )
            low, high = bounds["min_value"], bounds["max_value"]
            valid = not any(cells[c] and bounds[c] is None for c in bounds)
            if low is not None and high is not None and low >= high:
                report(
                    f"min_value {cells['min_value']} is not below max_value {cells['max_value']}",
                    "a bucket holds the values from min_value (inclusive) up to max_value "
                    "(exclusive): make min_value the smaller one, or leave one of them empty "
                    "for no bound",
                )
                valid = False
            points = cells["points"]
            number = _number(points) if points else None
            if not points:
                report(
                    "missing points",
                    "write the points a value in this bucket gives, e.g. 10 (below 0 to take "
                    "points away)",
                )
            elif number is None:
                report(f"points {_q(points)} is not a number", NUMBER_FIX.format(example="10"))
            if not name:
                continue
            buckets = sets.setdefault(name, [])
            if valid:
                bucket = Bucket(low, high, cells["min_value"], cells["max_value"], number, row.line)
                buckets.append(bucket)
        for name, buckets in sets.items():
            self._check_bucket_overlaps(table.shown, name, buckets)
        self.bucket_sets = sets

    def _check_bucket_overlaps(self, shown: str, name: str, buckets: list[Bucket]) -> None:
        """No two buckets of a set overlap: each bucket is reported against the first
        bucket above it in the file that it overlaps."""

        def overlap(one: Bucket, other: Bucket) -> bool:
            # [low, high) ranges; a missing bound is unbounded.
            starts_before_other_ends = one.low is None or other.high is None or one.low < other.high
            ends_after_other_starts = one.high is None or other.low is None or other.low < one.high
            return starts_before_other_ends and ends_after_other_starts

        for position, bucket in enumerate(buckets):
            earlier = next((b for b in buckets[:position] if overlap(b, bucket)), None)
            if earlier is None:
                continue
            fix = (
                "make the buckets of a set follow each other without overlapping (min_value "
                "is inclusive and max_value exclusive, so a bucket may start at the max_value "
                "of the one before)"
            )
            starts_after = earlier.low is None or (
                bucket.low is not None and earlier.low <= bucket.low
            )
            if earlier.high is not None and starts_after:
                fix += f", e.g. min_value {earlier.high_text} here"
            self.add(
                shown,
                bucket.line,
                f"bucket set {name}",
                f"the bucket {bucket.shown()} of bucket set {_q(name)} overlaps the bucket "
                f"{earlier.shown()} on line {earlier.line}",
                fix,
            )

    # --- point_caps.csv -----------------------------------------------------

    def check_point_caps(self, table: Table) -> None:
        groups: dict[tuple[str, str], int] = {}
        for row in table.rows:
            score_model, group = row.cells.get("score_model", ""), row.cells.get("cap_group", "")
            if not row.complete:
                if score_model and group:
                    groups.setdefault((score_model, group), row.line)
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_score_model(report, score_model)
            if not group:
                report("missing cap_group", "name the cap group, e.g. web")
            elif not IDENTIFIER_RE.fullmatch(group):
                report(
                    f"cap group {_q(group)} is not a lower-case identifier",
                    f"write it as {_q(_identifier(group, 'group'))} (lower-case letters, digits "
                    "and _, starting with a letter), here and in the rules that name it",
                )
            elif (score_model, group) in groups:
                report(
                    f"duplicate cap group {_q(group)} in score model {_q(score_model)}: already "
                    f"on line {groups[(score_model, group)]}",
                    "keep one row per cap group and score model",
                )
            else:
                groups[(score_model, group)] = row.line
            max_points = row.cells["max_points"]
            if not max_points:
                report(
                    "missing max_points",
                    "write the most points the group's rules give together, e.g. 40",
                )
            else:
                self._check_max_points(
                    report, max_points, "the most points the group's rules give together, above 0"
                )
        self.cap_groups = groups

    # --- score_model_segments.csv -------------------------------------------

    def check_segments(self, table: Table) -> None:
        conditions: dict[tuple[str, str], int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            score_model, condition = cells["score_model"], cells["condition_id"]
            self._check_score_model(report, score_model)
            if not condition:
                report("missing condition_id", "name the condition, e.g. emea_region")
            else:
                if not IDENTIFIER_RE.fullmatch(condition):
                    report(
                        f"condition id {_q(condition)} is not a lower-case identifier",
                        "use lower-case letters, digits and _, starting with a letter, e.g. "
                        f"{_q(_identifier(condition, 'condition'))}",
                    )
                key = (score_model, condition)
                if key in conditions:
                    report(
                        f"duplicate condition {_q(condition)} in score model {_q(score_model)}: "
                        f"already on line {conditions[key]}",
                        "give each condition of a score model its own id",
                    )
                else:
                    conditions[key] = row.line
            applies_to = self._check_applies_to(
                report,
                cells,
                SEGMENT_KINDS,
                "condition",
                "write attribute (the contact's attribute must match) or behaviour (the contact "
                "must have done something)",
            )
            if applies_to == "attribute":
                self._check_attribute_condition(report, cells, gives_points=False)
            elif applies_to == "behaviour":
                if not cells["event_type"] and not cells["page_category"]:
                    report(
                        "a behaviour condition needs event_type, page_category or both",
                        "name the event type and/or the page category of the events that count, "
                        "e.g. page_category pricing",
                    )
                self._check_event_type(report, cells["event_type"], required=False)
                self._check_page_category(report, cells["page_category"])
                self._check_count(
                    report, "min_occurrences", cells["min_occurrences"], empty="1", example="2"
                )
                self._check_days(report, "within_days", cells["within_days"], empty="all time")

    # --- the rule files -----------------------------------------------------

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

    # --- combination_rule_steps.csv -----------------------------------------

    def check_steps(self, table: Table) -> None:
        steps: dict[tuple[str, str], int] = {}
        counts: dict[str, int] = {}
        combinations = self.combination_rules
        for row in table.rows:
            rule_id, step = row.cells.get("rule_id", ""), row.cells.get("step", "")
            if rule_id:
                counts[rule_id] = counts.get(rule_id, 0) + 1
            if not row.complete:
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            rules_file = self.shown[COMBINATION_RULES]
            if not rule_id:
                report(
                    "missing rule_id",
                    f"name the rule of {rules_file} this step belongs to",
                )
            elif combinations is not None and rule_id not in combinations:
                if rule_id in self.rule_ids:
                    where, line = self.rule_ids[rule_id]
                    report(
                        f"rule {_q(rule_id)} is not a combination rule: it is in {where}, "
                        f"line {line}",
                        f"steps belong to the rules of {rules_file}: add the combination rule "
                        f"there under its own id and use that id here",
                    )
                else:
                    known = sorted(combinations)
                    add = f"add the rule {_q(rule_id)} to {rules_file}"
                    fix = (
                        f"{_choice_fix(rule_id, known, f'the rules of {rules_file}')}; or {add}"
                        if known
                        else add
                    )
                    report(f"unknown combination rule {_q(rule_id)}", fix)
            if not step:
                report("missing step", "name the step, e.g. pricing")
            else:
                if not IDENTIFIER_RE.fullmatch(step):
                    report(
                        f"step {_q(step)} is not a lower-case identifier",
                        "use lower-case letters, digits and _, starting with a letter, e.g. "
                        f"{_q(_identifier(step, 'step'))}",
                    )
                if rule_id and (rule_id, step) in steps:
                    report(
                        f"duplicate step {_q(step)} in rule {_q(rule_id)}: already on line "
                        f"{steps[(rule_id, step)]}",
                        "give each step of a rule its own name, or remove this row",
                    )
                elif rule_id:
                    steps[(rule_id, step)] = row.line
            self._check_event_condition(report, row.cells)
        for rule_id, rule in (combinations or {}).items():
            if not rule.complete:
                continue
            number = counts.get(rule_id, 0)
            if number >= 2:
                continue
            has = "no steps" if number == 0 else "only 1 step"
            self.add(
                self.shown[COMBINATION_RULES],
                rule.line,
                rule.subject,
                f"combination rule {_q(rule_id)} has {has} in {table.shown}",
                f"add one row per step to {table.shown}, at least 2, e.g. "
                f"{rule_id},step_{number + 1},page_view,,pricing",
            )

    # --- score_bands.csv, fit_grades.csv, engagement_levels.csv ---------------

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

    # --- everything ---------------------------------------------------------

    def run(self) -> tuple[list[Problem], Summary]:
        if not self.load_project():
            return self.sorted_problems(), Summary()
        for name in FILE_ORDER:
            self.locate(name)
        tables = {name: self.read_table(name) for name in FILE_ORDER}
        # The files other files refer to come first.
        first = (
            (SCORE_MODELS, self.check_score_models),
            (PAGE_CATEGORIES, self.check_page_categories),
            (EVENT_TYPES, self.check_event_types),
            (EMAIL_DOMAINS, self.check_email_domains),
            (PLACEHOLDER_NAMES, self.check_placeholder_names),
            (NUMBER_BUCKETS, self.check_number_buckets),
            (POINT_CAPS, self.check_point_caps),
            (SCORE_MODEL_SEGMENTS, self.check_segments),
        )
        buckets_path = self.paths[NUMBER_BUCKETS]
        if buckets_path is not None and not buckets_path.exists():
            self.bucket_sets = {}  # reported as missing; a buckets rule says to create it
        for name, check in first:
            table = tables[name]
            if table is not None:
                check(table)
        rules = rule_files = 0
        for name in RULE_FILES:
            table = tables[name]
            if table is not None:
                self.check_rules(name, table)
                rules += len(table.rows)
                rule_files += 1
        steps = tables[COMBINATION_RULE_STEPS]
        if steps is not None:
            self.check_steps(steps)
        for name in THRESHOLD_FILES:
            table = tables[name]
            if table is not None:
                self.check_thresholds(name, table)

        def size(name: str) -> int:
            table = tables[name]
            return len(table.rows) if table is not None else 0

        summary = Summary(
            rules=rules,
            rule_files=rule_files,
            bands=size(SCORE_BANDS),
            grades=size(FIT_GRADES),
            levels=size(ENGAGEMENT_LEVELS),
            score_models=size(SCORE_MODELS),
            notes=tuple(self.notes),
        )
        return self.sorted_problems(), summary


def validate_point_tables(
    project_dir: Path, cli_vars: str | None = None
) -> tuple[list[Problem], Summary]:
    """Check the point tables of the dbt project in ``project_dir``.

    ``cli_vars`` is a YAML mapping of vars, as dbt's ``--vars`` takes it: they
    override the project's vars (the declared attributes, for these checks).
    Returns every problem found (empty when all is well), in file and line
    order, and the counts of what was read.
    """
    return Validator(Path(project_dir), cli_vars).run()


def check_sources(project_dir: Path, cli_vars: str | None, target: str | None) -> int:
    """Run the project's source checks in the warehouse (dbt run-operation check_sources).

    The same checks as the build's on-run-start hook: every source table the
    vars name exists, with its required columns and every column a var maps.
    Prints one line per source, or dbt's message naming the table, the column,
    the var and the fix. Returns 0 when all is well, 1 otherwise.
    """
    command = [str(Path(sys.executable).with_name("dbt")), "run-operation", "check_sources"]
    command += ["--project-dir", str(project_dir)]
    if "DBT_PROFILES_DIR" not in os.environ and (project_dir / "profiles.yml").is_file():
        command += ["--profiles-dir", str(project_dir)]
    if cli_vars is not None:
        command += ["--vars", cli_vars]
    if target is not None:
        command += ["--target", target]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [
        re.sub(r"^(\x1b\[[0-9;]*m)*[0-9:]{8}\s+", "", line) for line in result.stdout.splitlines()
    ]
    found = [line for line in lines if line.startswith("source ")]
    if result.returncode == 0:
        print("\n".join(found))
        return 0
    start = next(
        (i for i, line in enumerate(lines) if "Encountered an error" in line or "Error" in line),
        max(0, len(lines) - 20),
    )
    print("\n".join(lines[start:]) or result.stderr, file=sys.stderr)
    print("\nThe sources are not ready for a build; fix them and run again.", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    """The ``validate`` subcommand: print the OK line, or the problems to stderr."""
    problems, summary = validate_point_tables(args.project_dir, args.vars)
    if problems:
        print("\n\n".join(str(problem) for problem in problems), file=sys.stderr)
        print(
            f"\nFound {len(problems)} problem(s) in the point tables; fix them and run again.",
            file=sys.stderr,
        )
        return 1
    print(summary.ok_line())
    for note in summary.notes:
        print(f"Not checked here: {note}.")
    if args.sources:
        return check_sources(args.project_dir, args.vars, args.target)
    return 0


HELP_DESCRIPTION = """\
Check the point tables (the CSV seeds, specified in docs/point_tables.md)
before a dbt build and report every problem with its file, line, rule id and
a fix:

  - every file is there (a file without rows holds its header line only),
    readable as CSV, with exactly the expected header: every column, each
    once, and no other header cell (the header becomes the seed's column
    names in the warehouse; a cell with blanks or capitals is another name);
  - rule ids are present, well-formed, not score_floor or score_ceiling, and
    unique across the five rule files (explicit, implicit, negative, repeat
    and combination rules);
  - score models are lower-case identifiers of at most 40 characters, with a
    description, a floor below the ceiling and day counts above 0;
  - score models, attributes, event types, page categories, cap groups,
    bucket sets and combination rules named by other files exist; the
    attributes are those of vars lead_scoring__attributes and
    lead_scoring__extra_contact_attributes, as dbt resolves them: --vars,
    then the project's vars in dbt_project.yml;
  - each operator has the value, list, dates, days or bounds it needs, and
    fits the attribute's kind: text (equals, in, contains, starts_with),
    number (between, per_unit, buckets), boolean (equals true or false),
    date (between dates, age_between days), any kind (is_present,
    is_missing); per_unit and buckets only in rules, not in segments; a
    buckets rule leaves points empty (its bucket set gives them);
  - bucket sets (number_buckets.csv): lower-case names, numbers, min_value
    below max_value, points given, and no two buckets of a set overlapping;
  - applies_to, count_mode, anchor, domain_kind and is_engagement hold one of
    their values, and the columns another kind of rule or condition uses are
    empty;
  - page patterns are path globs; points, max_points, day counts and counts
    are numbers of the right sign (negative points in explicit, negative,
    repeat and combination rules, which then take no cap_group; not in
    implicit rules);
  - every combination rule has at least 2 steps, each named once;
  - domains and placeholder names are lower-case and listed once;
  - bands, fit grades and engagement levels are unique, in ascending order of
    their minimum, every score model has at least one of each, and every score
    model has the same bands (grades, levels) in the same order.

Exit code 0 when all is well, 1 when there are problems.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="check the point tables (seeds) before a dbt build",
        description=HELP_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the dbt project directory, holding dbt_project.yml (default: the current directory)",
    )
    parser.add_argument(
        "--vars",
        metavar="YAML",
        default=None,
        help="vars as for dbt's --vars, a YAML mapping overriding the project's vars, e.g. "
        "'{lead_scoring__extra_contact_attributes: {nps: number}}': pass the same as to dbt",
    )
    parser.add_argument(
        "--sources",
        action="store_true",
        help="also check the raw tables in the warehouse (dbt run-operation check_sources, "
        "through the dbt profile): every source table exists, with its required columns and "
        "the columns the vars map; the same checks as the build's on-run-start hook",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="with --sources: the dbt target to connect with (default: the profile's)",
    )
    parser.set_defaults(handler=run)
