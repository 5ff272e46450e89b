"""``leadscoring validate``: check the point tables (the CSV seeds) before a dbt build.

Every problem is reported, each on one line naming the file, the line, the rule
(or band, score model, event type) and what to do about it, so a marketer can
fix the tables in one pass instead of reading dbt test failures one at a time.
The checks mirror the seed tests of ``seeds/_seeds.yml``; nothing is imported
from dbt and no database is needed.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml

PROJECT_FILE = "dbt_project.yml"
DEFAULT_SEED_PATHS = ("seeds",)

SCORE_MODELS = "score_models.csv"
EVENT_TYPES = "event_types.csv"
EXPLICIT_RULES = "explicit_rules.csv"
IMPLICIT_RULES = "implicit_rules.csv"
NEGATIVE_RULES = "negative_rules.csv"
SCORE_BANDS = "score_bands.csv"
RULE_FILES = (EXPLICIT_RULES, IMPLICIT_RULES, NEGATIVE_RULES)
# The order files are checked and reported in.
FILE_ORDER = (SCORE_MODELS, EVENT_TYPES, *RULE_FILES, SCORE_BANDS)

ATTRIBUTE_COLUMNS = ("attribute", "operator", "value", "min_value", "max_value")
EVENT_COLUMNS = ("event_type", "page_pattern", "max_occurrences")

COLUMNS: dict[str, tuple[str, ...]] = {
    SCORE_MODELS: ("score_model", "description"),
    EVENT_TYPES: ("event_type", "event_category", "description"),
    EXPLICIT_RULES: ("rule_id", "score_model", *ATTRIBUTE_COLUMNS, "points", "description"),
    IMPLICIT_RULES: (
        "rule_id",
        "score_model",
        "event_type",
        "page_pattern",
        "points",
        "max_occurrences",
        "description",
    ),
    NEGATIVE_RULES: (
        "rule_id",
        "score_model",
        "applies_to",
        *ATTRIBUTE_COLUMNS,
        "event_type",
        "page_pattern",
        "points",
        "max_occurrences",
        "description",
    ),
    SCORE_BANDS: ("score_model", "band", "min_score", "description"),
}
# The column naming a row in messages: "(rule fit_seniority_vp)", "(band warm)".
SUBJECTS: dict[str, tuple[str, str]] = {
    SCORE_MODELS: ("score_model", "score model"),
    EVENT_TYPES: ("event_type", "event type"),
    EXPLICIT_RULES: ("rule_id", "rule"),
    IMPLICIT_RULES: ("rule_id", "rule"),
    NEGATIVE_RULES: ("rule_id", "rule"),
    SCORE_BANDS: ("band", "band"),
}

OPERATORS = ("equals", "in", "contains", "starts_with", "between", "is_present", "is_missing")
VALUE_OPERATORS = ("equals", "in", "contains", "starts_with")
PRESENCE_OPERATORS = ("is_present", "is_missing")
APPLIES_TO = ("attribute", "event")
ATTRIBUTE_KINDS = ("text", "number")
ATTRIBUTE_VARS = ("lead_scoring__attributes", "lead_scoring__extra_contact_attributes")
EXTRA_ATTRIBUTES_VAR = ATTRIBUTE_VARS[1]
PAGE_VIEW = "page_view"

RULE_ID_RE = re.compile(r"[A-Za-z0-9_.-]+")
IDENTIFIER_RE = re.compile(r"[a-z][a-z0-9_]*")
# The same shapes as the is_number seed test (macros/tests/is_number.sql).
NUMBER_RE = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
WHOLE_NUMBER_RE = re.compile(r"[0-9]+")
SIGNED_WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")

NUMBER_FIX = (
    "write a plain number such as {example} (digits, an optional sign and decimal point; "
    "no units, spaces or thousands separators)"
)
CSV_QUOTING_FIX = (
    "put a cell that holds a comma, a double quote or a line break in double quotes, and double "
    'every double quote inside it, e.g. "Directors, VPs" or "the ""hot"" band"'
)


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
    score_models: int = 0

    def ok_line(self) -> str:
        return (
            f"Point tables OK: {self.rules} rules in {self.rule_files} rule files, "
            f"{self.bands} bands, {self.score_models} score models."
        )

    def __str__(self) -> str:
        return self.ok_line()


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    subject: str | None
    complete: bool  # False when the row has more or fewer cells than the header


@dataclass
class _Table:
    shown: str
    rows: list[_Row]


@dataclass
class _Band:
    band: str
    min_score: Decimal
    text: str
    line: int


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


def _yaml_line(text: str, keys: Sequence[str]) -> int:
    """The line of the deepest of ``keys`` found in the YAML text (1 when none is)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                line = key_node.start_mark.line + 1
                node = value_node
                break
        else:
            break
    return line


class _Validator:
    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.problems: list[Problem] = []
        self.seed_paths: list[str] = list(DEFAULT_SEED_PATHS)
        self.shown: dict[str, str] = {}
        self.paths: dict[str, Path] = {}
        # None when unknown (the file or config could not be read): checks
        # against them are skipped rather than flooding the report.
        self.attributes: dict[str, str | None] | None = None
        self.score_models: dict[str, int] | None = None
        self.event_types: dict[str, int] | None = None
        self.rule_ids: dict[str, tuple[str, int]] = {}

    # --- reporting ----------------------------------------------------------

    def add(self, file: str, line: int, subject: str | None, message: str, fix: str) -> None:
        if not fix.endswith((".", "?", "!")):
            fix += "."
        self.problems.append(Problem(file, line, subject, message, fix))

    def reporter(self, file: str, line: int, subject: str | None) -> Report:
        def report(message: str, fix: str) -> None:
            self.add(file, line, subject, message, fix)

        return report

    def sorted_problems(self) -> list[Problem]:
        rank = {PROJECT_FILE: 0}
        for position, name in enumerate(FILE_ORDER, start=1):
            rank[self.shown.get(name, name)] = position
        return sorted(self.problems, key=lambda p: (rank.get(p.file, len(rank)), p.line))

    # --- dbt_project.yml ----------------------------------------------------

    def load_project(self) -> bool:
        """Read seed-paths and the attribute vars; False when there is no project."""
        path = self.project_dir / PROJECT_FILE
        if not path.is_file():
            self.add(
                PROJECT_FILE,
                0,
                None,
                f"not found in {self.project_dir.resolve()}",
                "run the command in the dbt project's directory, or pass --project-dir DIR",
            )
            return False
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            self.add(PROJECT_FILE, 0, None, f"cannot be read ({err})", "save it as UTF-8 text")
            return True
        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problem = getattr(err, "problem", None) or "syntax error"
            self.add(
                PROJECT_FILE,
                mark.line + 1 if mark is not None else 0,
                None,
                f"is not valid YAML ({problem})",
                "correct the YAML near that line (indentation, a missing colon or quote)",
            )
            return True
        if not isinstance(config, dict):
            self.add(
                PROJECT_FILE,
                1,
                None,
                "does not hold a YAML mapping",
                "restore the project file: name, version, profile, seed-paths, vars",
            )
            return True
        self._load_seed_paths(config, text)
        self._load_attributes(config, text)
        return True

    def _load_seed_paths(self, config: dict, text: str) -> None:
        seed_paths = config.get("seed-paths", list(DEFAULT_SEED_PATHS))
        if isinstance(seed_paths, str):
            seed_paths = [seed_paths]
        if (
            not isinstance(seed_paths, list)
            or not seed_paths
            or not all(isinstance(p, str) and p.strip() for p in seed_paths)
        ):
            self.add(
                PROJECT_FILE,
                _yaml_line(text, ["seed-paths"]),
                None,
                f"seed-paths is {seed_paths!r}, not a list of directories",
                'write the directories holding the seeds as a list, e.g. seed-paths: ["seeds"]',
            )
            return
        self.seed_paths = [p.strip() for p in seed_paths]

    def _load_attributes(self, config: dict, text: str) -> None:
        all_vars = config.get("vars") or {}
        if not isinstance(all_vars, dict):
            self.add(
                PROJECT_FILE,
                _yaml_line(text, ["vars"]),
                None,
                "vars is not a mapping",
                "write vars as 'name: value' lines under vars:",
            )
            return
        # Vars scoped to this project (vars: {lead_scoring: {...}}) win over global ones.
        scoped = all_vars.get(config.get("name"))
        scoped = scoped if isinstance(scoped, dict) else {}
        attributes: dict[str, str | None] = {}
        for var in ATTRIBUTE_VARS:
            keys = ["vars", config.get("name"), var] if var in scoped else ["vars", var]
            declared = scoped[var] if var in scoped else all_vars.get(var)
            if declared is None:
                continue
            if not isinstance(declared, dict):
                self.add(
                    PROJECT_FILE,
                    _yaml_line(text, keys),
                    None,
                    f"var {var} is {declared!r}, not a mapping of attribute names to kinds",
                    "map each attribute to its kind, e.g. {lifecycle_stage: text, nps: number}",
                )
                continue
            for name, kind in declared.items():
                if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name):
                    self.add(
                        PROJECT_FILE,
                        _yaml_line(text, [*keys, str(name)]),
                        None,
                        f"var {var} names the attribute {_q(str(name))}",
                        "attribute names are lower-case column names (letters, digits and _, "
                        f"starting with a letter), e.g. {_q(_identifier(str(name), 'attr'))}",
                    )
                    continue
                if kind not in ATTRIBUTE_KINDS:
                    self.add(
                        PROJECT_FILE,
                        _yaml_line(text, [*keys, name]),
                        None,
                        f"var {var} gives the attribute {_q(name)} the kind {_q(str(kind))}",
                        "use text or number",
                    )
                    attributes[name] = None
                else:
                    attributes[name] = kind
        self.attributes = attributes

    # --- reading CSV --------------------------------------------------------

    def locate(self, name: str) -> None:
        """Find the seed file in the seed paths (directly, then in sub-directories)."""
        candidates = [self.project_dir / seed_path / name for seed_path in self.seed_paths]
        chosen = next((path for path in candidates if path.exists()), None)
        if chosen is None:
            # dbt also finds seeds in sub-directories of the seed paths.
            for path in candidates:
                found = sorted(path.parent.rglob(name)) if path.parent.is_dir() else []
                if found:
                    chosen = found[0]
                    break
        path = chosen or candidates[0]
        try:
            shown = path.relative_to(self.project_dir).as_posix()
        except ValueError:
            shown = str(path)
        self.paths[name] = path
        self.shown[name] = str(PurePosixPath(shown))

    def read_table(self, name: str) -> _Table | None:
        """Read a seed; None (with a problem) when it is missing or unreadable."""
        columns = COLUMNS[name]
        header_text = ",".join(columns)
        path, shown = self.paths[name], self.shown[name]
        if not path.is_file():
            what = "is a directory, not a file" if path.is_dir() else "file not found"
            self.add(
                shown,
                0,
                None,
                what,
                f"create {shown} with the header line {header_text} and one row per line",
            )
            return None
        try:
            data = path.read_bytes()
        except OSError as err:
            self.add(
                shown,
                0,
                None,
                f"cannot read the file ({err.strerror or err})",
                "check the file's permissions",
            )
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            self.add(
                shown,
                data[: err.start].count(b"\n") + 1,
                None,
                f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} cannot be decoded)",
                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
            )
            return None

        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        header_line = 1
        rows: list[_Row] = []
        last_line = 0
        try:
            for cells in reader:
                start, last_line = last_line + 1, reader.line_num
                if not cells:  # a blank line
                    continue
                if header is None:
                    header, header_line = [c.strip() for c in cells], start
                    if not self._header_ok(shown, header, header_line, columns):
                        return None
                    continue
                row = self._row(name, header, cells, start)
                if row is not None:
                    rows.append(row)
        except csv.Error as err:
            start = last_line + 1
            if "unexpected end of data" in str(err):
                message = "a quoted cell opened in this row is never closed"
            else:
                message = f"the row cannot be read as CSV ({err})"
            self.add(shown, start, None, message, CSV_QUOTING_FIX)
            return None
        if header is None:
            self.add(
                shown,
                1,
                None,
                "the file is empty: it has no header line",
                f"make line 1 read: {header_text}",
            )
            return None
        return _Table(shown, rows)

    def _header_ok(self, shown: str, header: list[str], line: int, columns: Sequence[str]) -> bool:
        missing = [column for column in columns if column not in header]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self.add(
                shown,
                line,
                None,
                f"the header lacks the column{plural} {_join([_q(c) for c in missing])}",
                f"make the header read: {','.join(columns)}",
            )
            return False
        repeated = sorted({c for c in header if c and header.count(c) > 1})
        if repeated:
            plural = "s" if len(repeated) > 1 else ""
            self.add(
                shown,
                line,
                None,
                f"the header repeats the column{plural} {_join([_q(c) for c in repeated])}",
                f"keep one column of each name: make the header read {','.join(columns)}",
            )
            return False
        return True

    def _row(self, name: str, header: list[str], cells: list[str], line: int) -> _Row | None:
        """The row's trimmed cells by column; None (with a problem) for an empty row."""
        shown = self.shown[name]
        values = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
        column, label = SUBJECTS[name]
        subject = f"{label} {_one_line(values[column])}" if values.get(column) else None
        if not any(cell.strip() for cell in cells):
            self.add(
                shown,
                line,
                None,
                "empty row",
                "delete the line (spreadsheets sometimes save empty rows as a line of commas)",
            )
            return None
        shape = (
            f"the row has {_count(len(cells), 'cell')} but the header has "
            f"{_count(len(header), 'column')}"
        )
        if len(cells) > len(header):
            self.add(
                shown,
                line,
                subject,
                shape,
                CSV_QUOTING_FIX + ", or remove the extra commas",
            )
        elif len(cells) < len(header):
            self.add(
                shown,
                line,
                subject,
                shape,
                f"add the missing cells (an empty cell is just a comma) so the row has "
                f"{len(header)} cells",
            )
        return _Row(line, values, subject, complete=len(cells) == len(header))

    # --- score_models.csv and event_types.csv --------------------------------

    def check_score_models(self, table: _Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            name = row.cells.get("score_model", "")
            if not row.complete:
                # Already reported; keep the name so rules naming it are not reported too.
                if name:
                    seen.setdefault(name, row.line)
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing score_model",
                    "name the score model with a lower-case identifier, e.g. default",
                )
                continue
            if not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"score model {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, e.g. "
                    f"{_q(_identifier(name, 'model'))}",
                )
            if name in seen:
                report(
                    f"duplicate score model {_q(name)}: already on line {seen[name]}",
                    "remove this row or give the score model another name",
                )
            else:
                seen[name] = row.line
        if not table.rows:
            self.add(
                table.shown,
                1,
                None,
                "no score models",
                "add at least one row under the header, e.g. default,The lead score",
            )
        self.score_models = seen or None

    def check_event_types(self, table: _Table) -> None:
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
        if not table.rows:
            self.add(
                table.shown,
                1,
                None,
                "no event types",
                "add the event types of the raw events, one per row, e.g. "
                "page_view,web,A page of the website was viewed",
            )
        self.event_types = seen or None

    # --- the rule files -----------------------------------------------------

    def check_rules(self, name: str, table: _Table) -> None:
        for row in table.rows:
            if not row.complete:
                # Cells may be shifted: only remember the id, to catch duplicates.
                rule_id = row.cells.get("rule_id", "")
                if rule_id and rule_id not in self.rule_ids:
                    self.rule_ids[rule_id] = (table.shown, row.line)
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_rule_id(report, cells["rule_id"], table.shown, row.line)
            self._check_score_model(report, cells["score_model"])
            if name == EXPLICIT_RULES:
                self._check_attribute_condition(report, cells)
            elif name == IMPLICIT_RULES:
                self._check_event_condition(report, cells)
            else:
                self._check_negative_condition(report, cells)
            self._check_points(report, cells["points"], name)

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

    def _check_negative_condition(self, report: Report, cells: dict[str, str]) -> None:
        applies_to = cells["applies_to"]
        if not applies_to:
            report(
                "missing applies_to",
                "write attribute (points off when a contact attribute matches) or event "
                "(points off per event)",
            )
            return
        if applies_to not in APPLIES_TO:
            report(f"unknown applies_to {_q(applies_to)}", _choice_fix(applies_to, APPLIES_TO))
            return
        if applies_to == "attribute":
            used, unused, other = ATTRIBUTE_COLUMNS, EVENT_COLUMNS, "event"
        else:
            used, unused, other = EVENT_COLUMNS, ATTRIBUTE_COLUMNS, "attribute"
        filled = [c for c in unused if cells[c]]
        if filled:
            one = len(filled) == 1
            report(
                f"applies_to is {applies_to} but {_join(filled)} {'is' if one else 'are'} filled",
                f"empty {_join(filled)} ({'it is' if one else 'they are'} for applies_to {other} "
                f"rules), or make it an {other} rule: applies_to {other}, with {_join(used)} empty",
            )
        if applies_to == "attribute":
            self._check_attribute_condition(report, cells)
        else:
            self._check_event_condition(report, cells)

    def _check_attribute_condition(self, report: Report, cells: dict[str, str]) -> None:
        attribute, operator = cells["attribute"], cells["operator"]
        known = sorted(self.attributes) if self.attributes is not None else []
        declare = (
            f"declare it with its kind (text or number) in var {EXTRA_ATTRIBUTES_VAR} "
            f"in {PROJECT_FILE}"
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

        if not operator:
            report("missing operator", f"use one of {', '.join(OPERATORS)}")
            return
        if operator not in OPERATORS:
            report(f"unknown operator {_q(operator)}", _choice_fix(operator, OPERATORS))
            return

        value, min_value, max_value = cells["value"], cells["min_value"], cells["max_value"]
        if operator in VALUE_OPERATORS:
            self._check_value(report, operator, value)
            bounds = [c for c in ("min_value", "max_value") if cells[c]]
            if bounds:
                report(
                    f"operator {operator} takes no {_join(bounds, 'or')}",
                    "empty min_value and max_value; they are only for between",
                )
            if kind == "number":
                report(
                    f"operator {operator} does not apply to the number attribute {_q(attribute)}",
                    "use between with min_value and/or max_value to test a number "
                    "(or is_present, is_missing)",
                )
        elif operator == "between":
            if value:
                report(
                    f"operator between takes no value (got {_q(value)})",
                    "empty the value column and put the bounds in min_value and/or max_value",
                )
            if not min_value and not max_value:
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
                    report(
                        f"{column} {_q(cell)} is not a number",
                        NUMBER_FIX.format(example=example),
                    )
            if len(numbers) == 2 and numbers["min_value"] > numbers["max_value"]:
                report(
                    f"min_value {min_value} is greater than max_value {max_value}",
                    f"swap them: min_value {max_value}, max_value {min_value}",
                )
            if kind == "text":
                report(
                    f"operator between does not apply to the text attribute {_q(attribute)}",
                    "use equals, in, contains or starts_with with a value to test text "
                    "(or is_present, is_missing)",
                )
        else:
            given = [c for c in ("value", "min_value", "max_value") if cells[c]]
            if given:
                report(
                    f"operator {operator} takes no value, min_value or max_value, but "
                    f"{_join(given)} {'is' if len(given) == 1 else 'are'} filled",
                    f"empty {_join(given)}; {operator} only tests whether the attribute has a "
                    "value",
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
        event_type = cells["event_type"]
        known = sorted(self.event_types) if self.event_types else []
        shown = self.shown[EVENT_TYPES]
        checked_type: str | None = None
        if not event_type:
            listed = f": {', '.join(known)}" if known else ""
            report("missing event_type", f"name one of the event types of {shown}{listed}")
        elif self.event_types is not None and event_type not in self.event_types:
            report(
                f"unknown event type {_q(event_type)}",
                f"{_choice_fix(event_type, known, f'the event types of {shown}')}; "
                f"or add {_q(event_type)} to {shown}",
            )
        elif self.event_types is not None:
            checked_type = event_type
        self._check_page_pattern(report, cells["page_pattern"], checked_type)
        self._check_max_occurrences(report, cells["max_occurrences"])

    @staticmethod
    def _check_page_pattern(report: Report, pattern: str, event_type: str | None) -> None:
        if not pattern:
            return
        if event_type is not None and event_type != PAGE_VIEW:
            report(
                f"page_pattern {_q(pattern)} on event type {_q(event_type)}",
                f"remove the page pattern, or use event type {PAGE_VIEW}: only page views "
                "have a page path",
            )
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
            report(
                f"page_pattern {_q(pattern)} matches every page",
                "empty page_pattern to count every page view, or narrow it to a path "
                "such as '/pricing*'",
            )

    @staticmethod
    def _check_max_occurrences(report: Report, value: str) -> None:
        if not value:
            return
        if WHOLE_NUMBER_RE.fullmatch(value) and int(value) >= 1:
            return
        if SIGNED_WHOLE_NUMBER_RE.fullmatch(value) and int(value) < 1:
            message = f"max_occurrences {value} is below 1"
        else:
            message = f"max_occurrences {_q(value)} is not a whole number"
        report(message, "write a whole number of 1 or more, e.g. 3, or leave it empty for no cap")

    def _check_points(self, report: Report, points: str, name: str) -> None:
        negative = name == NEGATIVE_RULES
        example = "-10" if negative else "10"
        if not points:
            report("missing points", f"write the points the rule gives, e.g. {example}")
            return
        if not NUMBER_RE.fullmatch(points):
            report(f"points {_q(points)} is not a number", NUMBER_FIX.format(example=example))
            return
        number = Decimal(points)
        if not negative and number < 0:
            kind = "an explicit" if name == EXPLICIT_RULES else "an implicit"
            report(
                f"negative points ({points}) in {kind} rule",
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

    # --- score_bands.csv ----------------------------------------------------

    def check_bands(self, table: _Table) -> set[str]:
        """Check the bands; return the score models that have at least one."""
        names: dict[tuple[str, str], int] = {}
        scores: dict[str, list[_Band]] = {}
        highest: dict[str, _Band] = {}
        models: set[str] = set()
        for row in table.rows:
            if not row.complete:
                if row.cells.get("score_model"):
                    models.add(row.cells["score_model"])
                continue
            cells = row.cells
            score_model, band, min_score = cells["score_model"], cells["band"], cells["min_score"]
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_score_model(report, score_model)
            if score_model:
                models.add(score_model)
            if not band:
                report("missing band", "name the band, e.g. warm")
            elif score_model and (score_model, band) in names:
                report(
                    f"duplicate band {_q(band)} in score model {_q(score_model)}: already on line "
                    f"{names[(score_model, band)]}",
                    "give each band of a score model its own name",
                )
            elif score_model:
                names[(score_model, band)] = row.line
            if not min_score:
                report("missing min_score", "write the lowest total score in the band, e.g. 20")
                continue
            if not NUMBER_RE.fullmatch(min_score):
                report(f"min_score {_q(min_score)} is not a number", NUMBER_FIX.format(example=20))
                continue
            if not score_model:
                continue
            this = _Band(band, Decimal(min_score), min_score, row.line)
            same = next(
                (b for b in scores.get(score_model, []) if b.min_score == this.min_score), None
            )
            top = highest.get(score_model)
            if same is not None:
                report(
                    f"band {_q(band)} has the same min_score {min_score} as band {_q(same.band)} "
                    f"on line {same.line}",
                    "give each band of a score model its own min_score",
                )
            elif top is not None and this.min_score < top.min_score:
                report(
                    f"bands not in ascending order: min_score {min_score} comes after band "
                    f"{_q(top.band)} with min_score {top.text} (line {top.line}) in score model "
                    f"{_q(score_model)}",
                    "list the bands of a score model from the lowest min_score to the highest",
                )
            scores.setdefault(score_model, []).append(this)
            if top is None or this.min_score > top.min_score:
                highest[score_model] = this
        return models

    def check_models_have_bands(self, models_with_bands: set[str]) -> None:
        if not self.score_models:
            return
        bands_file = self.shown[SCORE_BANDS]
        for model, line in self.score_models.items():
            if model not in models_with_bands:
                self.add(
                    self.shown[SCORE_MODELS],
                    line,
                    f"score model {model}",
                    f"score model {_q(model)} has no bands in {bands_file}",
                    f"add its bands to {bands_file}, at least one, e.g. the row {model},cold,0,",
                )

    # --- everything ---------------------------------------------------------

    def run(self) -> tuple[list[Problem], Summary]:
        if not self.load_project():
            return self.sorted_problems(), Summary()
        for name in FILE_ORDER:
            self.locate(name)
        tables = {name: self.read_table(name) for name in FILE_ORDER}
        if tables[SCORE_MODELS] is not None:
            self.check_score_models(tables[SCORE_MODELS])
        if tables[EVENT_TYPES] is not None:
            self.check_event_types(tables[EVENT_TYPES])
        rules = rule_files = 0
        for name in RULE_FILES:
            table = tables[name]
            if table is not None:
                self.check_rules(name, table)
                rules += len(table.rows)
                rule_files += 1
        bands = tables[SCORE_BANDS]
        if bands is not None:
            self.check_models_have_bands(self.check_bands(bands))
        summary = Summary(
            rules=rules,
            rule_files=rule_files,
            bands=len(bands.rows) if bands is not None else 0,
            score_models=len(tables[SCORE_MODELS].rows) if tables[SCORE_MODELS] else 0,
        )
        return self.sorted_problems(), summary


def validate_point_tables(project_dir: Path) -> tuple[list[Problem], Summary]:
    """Check the point tables of the dbt project in ``project_dir``.

    Returns every problem found (empty when all is well), in file and line
    order, and the counts of what was read.
    """
    return _Validator(Path(project_dir)).run()


def run(args: argparse.Namespace) -> int:
    """The ``validate`` subcommand: print the OK line, or the problems to stderr."""
    problems, summary = validate_point_tables(args.project_dir)
    if not problems:
        print(summary.ok_line())
        return 0
    print("\n\n".join(str(problem) for problem in problems), file=sys.stderr)
    print(
        f"\nFound {len(problems)} problem(s) in the point tables; fix them and run again.",
        file=sys.stderr,
    )
    return 1


HELP_DESCRIPTION = """\
Check the point tables (the CSV seeds) before a dbt build and report every
problem with its file, line, rule id and a fix:

  - every file is there, readable as CSV, with the expected header;
  - rule ids are present, well-formed and unique across the three rule files;
  - score models, attributes (vars in dbt_project.yml) and event types exist;
  - each operator has the value, list or min/max bounds it needs, and fits the
    attribute's kind (text or number);
  - page patterns are path globs on page_view rules; points and
    max_occurrences are numbers (negative points only in negative_rules.csv);
  - bands are unique, in ascending order of min_score, and every score model
    has at least one.

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
    parser.set_defaults(handler=run)
