"""``leadscoring validate``: check the point tables (the CSV seeds) before a dbt build.

Every problem is reported, each on one line naming the file, the line, the rule
(or band, score model, event type, page category...) and what to do about it,
so a marketer can fix the tables in one pass instead of reading dbt test
failures one at a time. The checks follow the specification of every seed in
``docs/point_tables.md`` and mirror the seed tests of ``seeds/_seeds.yml``;
nothing is imported from dbt and no database is needed.

The checks live in the package ``leadscoring.validation``; this module keeps the
names the command line and the tests import.
"""

from __future__ import annotations

from leadscoring.validation.cli import (
    HELP_DESCRIPTION,
    check_sources,
    register,
    run,
    validate_point_tables,
)
from leadscoring.validation.problems import Problem, Summary

__all__ = [
    "HELP_DESCRIPTION",
    "Problem",
    "Summary",
    "check_sources",
    "register",
    "run",
    "validate_point_tables",
]
