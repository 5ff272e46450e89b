"""The validator: the state the checks share (what each table defines, for the
tables naming it) and the order the tables are read and checked in.
"""

from __future__ import annotations

from pathlib import Path

from leadscoring.validation.checks.buckets import Bucket, BucketChecks
from leadscoring.validation.checks.caps import CapChecks
from leadscoring.validation.checks.catalogues import CatalogueChecks
from leadscoring.validation.checks.cells import CellChecks
from leadscoring.validation.checks.combinations import CombinationStepChecks
from leadscoring.validation.checks.conditions import ConditionChecks
from leadscoring.validation.checks.project_file import ProjectFileChecks
from leadscoring.validation.checks.rules import RuleChecks
from leadscoring.validation.checks.score_models import ScoreModelChecks
from leadscoring.validation.checks.segments import SegmentChecks
from leadscoring.validation.checks.thresholds import ThresholdChecks
from leadscoring.validation.problems import Problem, Reporting, Summary
from leadscoring.validation.project import Project
from leadscoring.validation.reader import Row, TableReader
from leadscoring.validation.spec import (
    COMBINATION_RULE_STEPS,
    EMAIL_DOMAINS,
    ENGAGEMENT_LEVELS,
    EVENT_TYPES,
    FILE_ORDER,
    FIT_GRADES,
    NUMBER_BUCKETS,
    PAGE_CATEGORIES,
    PLACEHOLDER_NAMES,
    POINT_CAPS,
    RULE_FILES,
    SCORE_BANDS,
    SCORE_MODEL_SEGMENTS,
    SCORE_MODELS,
    THRESHOLD_FILES,
)


class Validator(
    Reporting,
    TableReader,
    ProjectFileChecks,
    ScoreModelChecks,
    CatalogueChecks,
    BucketChecks,
    CapChecks,
    SegmentChecks,
    RuleChecks,
    ConditionChecks,
    CellChecks,
    CombinationStepChecks,
    ThresholdChecks,
):
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
