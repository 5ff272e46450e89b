"""The point tables' contract, read from the one place it is written.

macros/point_tables/point_table_contract.sql holds, between the markers
``{#- contract:begin -#}`` and ``{#- contract:end -#}``, a YAML block (inside a
Jinja ``set``) that names every point table and its columns with their types.
dbt reads it through the macro (the staging models and the tests are
generated from it); ``leadscoring validate`` and the docs check read it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTRACT_FILE = Path("macros") / "point_tables" / "point_table_contract.sql"
PACKAGE_NAME = "lead_scoring"
SEED_PREFIX = PACKAGE_NAME + "__"
_BLOCK = re.compile(
    r"\{#- contract:begin -#\}\s*\{%-? set contract_yaml -?%\}(.*?)\{%-? endset -?%\}",
    re.S,
)

KINDS = (
    *("id", "code", "pattern", "bound", "text", "lower"),
    *("number", "float", "whole", "boolean", "date"),
)


def seed_name(table: str) -> str:
    """The package's seed of point table `table` (e.g. lead_scoring__explicit_rules)."""
    return SEED_PREFIX + table


def seed_file(table: str) -> str:
    """The CSV file of the package's seed of point table `table`."""
    return seed_name(table) + ".csv"


@dataclass(frozen=True)
class Column:
    """A column of a point table and its checks (see the contract's comment)."""

    name: str
    type: str
    required: bool = False
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    check: str | None = None
    references: tuple[str, str] | None = None  # (table, column)


@dataclass(frozen=True)
class PointTable:
    name: str
    # column -> its type, in order
    columns: dict[str, str]
    specs: dict[str, Column] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def seed(self) -> str:
        """The package's own seed of this table (its default location)."""
        return SEED_PREFIX + self.name

    @property
    def var(self) -> str:
        """The var that locates the table."""
        return SEED_PREFIX + self.name

    @property
    def staging_model(self) -> str:
        return "stg_" + SEED_PREFIX + self.name


def load_contract(package_dir: Path) -> dict[str, PointTable]:
    """The point tables, in the contract's order, from the package at package_dir."""
    text = (package_dir / CONTRACT_FILE).read_text()
    match = _BLOCK.search(text)
    if match is None:
        raise ValueError(f"{package_dir / CONTRACT_FILE}: no contract block between the markers")
    raw = yaml.safe_load(match.group(1))
    tables = {}
    for name, spec in raw.items():
        specs = {}
        for column, entry in spec["columns"].items():
            entry = entry if isinstance(entry, dict) else {"type": entry}
            if entry["type"] not in KINDS:
                raise ValueError(f"contract: {name}.{column} has an unknown type {entry['type']!r}")
            references = entry.get("references")
            specs[column] = Column(
                name=column,
                type=entry["type"],
                required=bool(entry.get("required", False)),
                unique=bool(entry.get("unique", False)),
                allowed=tuple(str(v) for v in entry["allowed"]) if "allowed" in entry else None,
                check=entry.get("check"),
                references=tuple(references.split(".")) if references else None,
            )
        tables[name] = PointTable(
            name,
            {column: s.type for column, s in specs.items()},
            specs,
            tuple(spec.get("key", ())),
            tuple(tuple(c) for c in spec.get("unique", ())),
        )
    return tables
