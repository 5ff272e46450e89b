"""The Spark test imports the settings of tests/python/test_end_to_end.py, whose marks
are registered by tests/python/conftest.py, which pytest loads for that folder only."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs a PostgreSQL server (tests/python)")
