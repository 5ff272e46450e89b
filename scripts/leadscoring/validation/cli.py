"""The ``validate`` subcommand: its arguments and help, the problems or the OK line,
and the optional source checks in the warehouse.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from leadscoring.validation.problems import Problem, Summary
from leadscoring.validation.validator import Validator


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
