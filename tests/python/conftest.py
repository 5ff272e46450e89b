"""Shared fixtures of the Python tests."""

from __future__ import annotations

import os

import pytest

PG_CONNINFO_VARIABLE = "LEAD_SCORING_TEST_PG_CONNINFO"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"postgres: needs a PostgreSQL server, reached through ${PG_CONNINFO_VARIABLE}"
    )


@pytest.fixture(scope="session")
def pg_conninfo() -> str:
    """The libpq connection string of the PostgreSQL server the tests may use.

    A missing server is a failure, not a skip: a skipped database test looks
    green in CI while nothing was tested. Deselect with `-m "not postgres"`.
    """
    conninfo = os.environ.get(PG_CONNINFO_VARIABLE, "").strip()
    if not conninfo:
        pytest.fail(
            f"{PG_CONNINFO_VARIABLE} is not set. Set it to a libpq connection string, e.g. "
            f"{PG_CONNINFO_VARIABLE}='host=127.0.0.1 port=5432 dbname=lead_scoring "
            "user=lead_scoring password=lead_scoring' (`make postgres` starts that server), "
            'or deselect these tests with -m "not postgres".',
            pytrace=False,
        )
    return conninfo


# The modules that take longest (`make test` prints the slowest tests), run first: under
# pytest-xdist (--dist loadfile) a long module started last keeps one worker busy while the
# other has nothing left to do. Only the order changes, the same on every worker.
SLOW_MODULES_FIRST = (
    "test_incremental",
    "test_calibration",
    "test_calibration_targets",
    "test_input_edge_cases",
    "test_publication",
    "test_carry_forward",
    "test_end_to_end",
    "test_export",
    "test_integration_project",
    "test_point_table_contract",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if name in SLOW_MODULES_FIRST:
            return SLOW_MODULES_FIRST.index(name)
        return len(SLOW_MODULES_FIRST)

    items.sort(key=rank)  # stable: the order within a module, and of the others, is kept
