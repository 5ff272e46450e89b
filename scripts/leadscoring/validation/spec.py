"""The specification the point tables are checked against: the tables' names and
columns (the contract's, ``leadscoring.contract``), the columns naming a row in
messages, the operators, kinds and allowed values, the reserved rule ids and the
shapes of the cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from leadscoring.contract import load_contract

# The package's own files (the contract), beside this Python package in the repository.
PACKAGE_DIR = Path(__file__).resolve().parents[3]

# The point tables are named as in the contract (macros/point_tables/point_table_contract.sql);
# each is read from the file var lead_scoring__<table> locates (validation/project.py).

SCORE_MODELS = "score_models"
SCORE_MODEL_SEGMENTS = "score_model_segments"
PAGE_CATEGORIES = "page_categories"
EVENT_TYPES = "event_types"
EMAIL_DOMAINS = "email_domains"
PLACEHOLDER_NAMES = "placeholder_names"
NUMBER_BUCKETS = "number_buckets"
EXPLICIT_RULES = "explicit_rules"
IMPLICIT_RULES = "implicit_rules"
NEGATIVE_RULES = "negative_rules"
REPEAT_RULES = "repeat_rules"
COMBINATION_RULES = "combination_rules"
COMBINATION_RULE_STEPS = "combination_rule_steps"
POINT_CAPS = "point_caps"
SCORE_BANDS = "score_bands"
FIT_GRADES = "fit_grades"
ENGAGEMENT_LEVELS = "engagement_levels"
EVENTS_IDENTIFIER_VAR = "lead_scoring__events_identifier"
# The files whose rule ids must be unique across all of them.
RULE_FILES = (EXPLICIT_RULES, IMPLICIT_RULES, NEGATIVE_RULES, REPEAT_RULES, COMBINATION_RULES)
THRESHOLD_FILES = (SCORE_BANDS, FIT_GRADES, ENGAGEMENT_LEVELS)
# Every seed is read by a model, so every file must be there (with its header at least).
OPTIONAL_FILES: tuple[str, ...] = ()
# The order files are reported in (the order of docs/point_tables.md).
FILE_ORDER = (
    SCORE_MODELS,
    SCORE_MODEL_SEGMENTS,
    PAGE_CATEGORIES,
    EVENT_TYPES,
    EMAIL_DOMAINS,
    PLACEHOLDER_NAMES,
    NUMBER_BUCKETS,
    *RULE_FILES,
    COMBINATION_RULE_STEPS,
    POINT_CAPS,
    *THRESHOLD_FILES,
)

ATTRIBUTE_COLUMNS = ("attribute", "operator", "value", "min_value", "max_value")
DECAY_COLUMNS = ("half_life_days", "timeframe_days")
PAGE_COLUMNS = ("page_pattern", "page_category")

# The columns of each point table, in order: the contract's (one description, read by dbt too).
_CONTRACT = load_contract(PACKAGE_DIR)
COLUMNS: dict[str, tuple[str, ...]] = {name: tuple(_CONTRACT[name].columns) for name in FILE_ORDER}
# The columns naming a row in messages: "(rule fit_seniority_vp)", "(band warm)",
# "(rule combo_evaluation, step pricing)".
SUBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    SCORE_MODELS: (("score_model", "score model"),),
    SCORE_MODEL_SEGMENTS: (("condition_id", "condition"),),
    PAGE_CATEGORIES: (("page_category", "page category"),),
    EVENT_TYPES: (("event_type", "event type"),),
    EMAIL_DOMAINS: (("domain", "domain"),),
    PLACEHOLDER_NAMES: (("name", "name"),),
    NUMBER_BUCKETS: (("bucket_set", "bucket set"),),
    EXPLICIT_RULES: (("rule_id", "rule"),),
    IMPLICIT_RULES: (("rule_id", "rule"),),
    NEGATIVE_RULES: (("rule_id", "rule"),),
    REPEAT_RULES: (("rule_id", "rule"),),
    COMBINATION_RULES: (("rule_id", "rule"),),
    COMBINATION_RULE_STEPS: (("rule_id", "rule"), ("step", "step")),
    POINT_CAPS: (("cap_group", "cap group"),),
    SCORE_BANDS: (("band", "band"),),
    FIT_GRADES: (("grade", "grade"),),
    ENGAGEMENT_LEVELS: (("level", "level"),),
}


def _allowed(table: str, column: str) -> tuple[str, ...]:
    """The values the contract allows in a column."""
    allowed = _CONTRACT[table].specs[column].allowed
    assert allowed is not None, f"the contract lists no values for {table}.{column}"
    return allowed


# The values of the columns that hold one of a list: the contract's.
OPERATORS = _allowed(EXPLICIT_RULES, "operator")
VALUE_OPERATORS = ("equals", "in", "contains", "starts_with")
PRESENCE_OPERATORS = ("is_present", "is_missing")
# Operators that give points (per unit of a number, or by bucket): rules
# only; a segment condition holds or not.
POINTS_OPERATORS = ("per_unit", "buckets")
# A segment condition is matched per profile, not per moment: no age_between, and
# holds or not: no points operators.
CONDITION_OPERATORS = _allowed(SCORE_MODEL_SEGMENTS, "operator")
# What each kind of attribute can be tested with.
KIND_OPERATORS: dict[str, tuple[str, ...]] = {
    "text": (*VALUE_OPERATORS, *PRESENCE_OPERATORS),
    "number": ("between", "per_unit", "buckets", *PRESENCE_OPERATORS),
    "boolean": ("equals", *PRESENCE_OPERATORS),
    "date": ("between", "age_between", *PRESENCE_OPERATORS),
}
ATTRIBUTE_KINDS = tuple(KIND_OPERATORS)
# An attribute declared as a mapping: its kind (required) and the raw column holding it.
ATTRIBUTE_KEYS = ("kind", "column")
ATTRIBUTE_VARS = ("lead_scoring__attributes", "lead_scoring__extra_contact_attributes")
EXTRA_ATTRIBUTES_VAR = ATTRIBUTE_VARS[1]
# Where problems of vars given on the command line are reported.
CLI_VARS = "--vars"
AS_OF_VAR = "lead_scoring__as_of"
AS_OF_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")
# The columns each kind of negative rule (applies_to) fills; the others stay empty.
NEGATIVE_KINDS: dict[str, tuple[str, ...]] = {
    "attribute": ATTRIBUTE_COLUMNS,
    "event": (
        "event_type",
        *PAGE_COLUMNS,
        "max_occurrences",
        "max_points",
        *DECAY_COLUMNS,
    ),
    "inactivity": ("inactive_days",),
}
# The same for the conditions of score_model_segments.csv.
SEGMENT_KINDS: dict[str, tuple[str, ...]] = {
    "attribute": ATTRIBUTE_COLUMNS,
    "behaviour": ("event_type", "page_category", "min_occurrences", "within_days"),
}
COUNT_MODES = _allowed(REPEAT_RULES, "count_mode")
ANCHORS = _allowed(COMBINATION_RULES, "anchor")
DOMAIN_KINDS = _allowed(EMAIL_DOMAINS, "domain_kind")
BOOLEANS = _allowed(EVENT_TYPES, "is_engagement")
assert set(_allowed(NEGATIVE_RULES, "applies_to")) == set(NEGATIVE_KINDS)
assert set(_allowed(SCORE_MODEL_SEGMENTS, "applies_to")) == set(SEGMENT_KINDS)
MAX_SCORE_MODEL_LENGTH = 40

# The rule ids of the adjustment rows of lead_scoring__score_details (floor and ceiling).
RESERVED_RULE_IDS = ("score_floor", "score_ceiling")

RULE_ID_RE = re.compile(r"[A-Za-z0-9_.-]+")
IDENTIFIER_RE = re.compile(r"[a-z][a-z0-9_]*")
# The same shapes as the is_number seed test (macros/tests/is_number.sql).
NUMBER_RE = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
WHOLE_NUMBER_RE = re.compile(r"[0-9]+")
SIGNED_WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DOMAIN_RE = re.compile(r"[^\s@/:?#.]+([.][^\s@/:?#.]+)+")

NUMBER_FIX = (
    "write a plain number such as {example} (digits, an optional sign and decimal point; "
    "no units, spaces or thousands separators)"
)
CSV_QUOTING_FIX = (
    "put a cell that holds a comma, a double quote or a line break in double quotes, and double "
    'every double quote inside it, e.g. "Directors, VPs" or "the ""hot"" band"'
)
