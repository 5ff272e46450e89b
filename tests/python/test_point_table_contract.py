"""The point tables' contract is the one description of the tables.

macros/point_tables/point_table_contract.sql names every point table and its
columns with their types and checks. These tests hold everything else to it:
the package's seeds and every other point-table folder of the repository have
its columns; every table has its staging model with the contract test; the docs
name every table, column and allowed value; and the staging models clean cells
as the contract says (on DuckDB and PostgreSQL, against values written here by
hand).
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from leadscoring.contract import load_contract, seed_file

from tests.python.warehouse import Warehouse, warehouses, write_raw_csvs

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = load_contract(ROOT)
DOCS = (ROOT / "docs" / "point_tables.md").read_text()


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_the_contract_names_the_nineteen_point_tables_in_order() -> None:
    assert list(CONTRACT) == [
        "score_models", "score_model_segments", "page_categories", "event_types",
        "email_domains", "placeholder_names", "number_buckets", "explicit_rules",
        "implicit_rules", "negative_rules", "repeat_rules", "combination_rules",
        "combination_rule_steps", "point_caps", "score_bands", "fit_grades",
        "engagement_levels", "predictive_weights", "sla_targets",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "folder",
    ["seeds", "tests/python/scoring_config"],
)
def test_every_point_table_folder_has_the_contract_columns(folder: str) -> None:
    files = sorted(path.name for path in (ROOT / folder).glob("*.csv"))
    assert files == sorted(seed_file(name) for name in CONTRACT)
    for name, table in CONTRACT.items():
        assert _header(ROOT / folder / seed_file(name)) == list(table.columns), name


def test_the_host_project_point_tables_have_the_contract_columns() -> None:
    """integration_tests supplies every table under its own names (vars in its dbt_project.yml)."""
    config = yaml.safe_load((ROOT / "integration_tests" / "dbt_project.yml").read_text())
    located = config["vars"]["lead_scoring"]
    for name, table in CONTRACT.items():
        ref = re.fullmatch(
            r"\{\{ ref\('lead_scoring_integration_tests', '(\w+)'\) \}\}", located[table.var]
        )
        assert ref is not None, name
        path = ROOT / "integration_tests" / "seeds" / "point_tables" / f"{ref.group(1)}.csv"
        assert _header(path) == list(table.columns), name


def test_every_point_table_has_a_var_and_a_staging_model_with_the_contract_test() -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    properties = yaml.safe_load(
        (ROOT / "models" / "staging" / "point_tables" / "_point_tables.yml").read_text()
    )
    models = {model["name"]: model for model in properties["models"]}
    assert sorted(models) == sorted(table.staging_model for table in CONTRACT.values())
    for name, table in CONTRACT.items():
        assert project["vars"][table.var] == f"{{{{ ref('lead_scoring', '{table.seed}') }}}}"
        sql = ROOT / "models" / "staging" / "point_tables" / f"{table.staging_model}.sql"
        assert f"lead_scoring.stage_point_table('{name}')" in sql.read_text()
        assert {"lead_scoring.point_table_contract": {"arguments": {"point_table": name}}} in (
            models[table.staging_model]["data_tests"]
        )


def _section(file_name: str) -> str:
    """The docs' section whose heading names the file, to the next heading."""
    match = re.search(
        r"^## [^\n]*`" + re.escape(file_name) + r"`[^\n]*\n(.*?)(?=^## |\Z)", DOCS, re.M | re.S
    )
    assert match is not None, f"docs/point_tables.md has no section for {file_name}"
    return match.group(1)


def test_the_docs_name_every_table_column_and_allowed_value() -> None:
    for name, table in CONTRACT.items():
        section = _section(seed_file(name))
        for column, spec in table.specs.items():
            assert f"`{column}" in section or f", {column}" in section, (name, column)
            for value in spec.allowed or ():
                # `once`, or `count_mode = once`: the value as code.
                assert re.search(r"`[^`\n]*\b" + value + r"\b[^`\n]*`", DOCS), (name, column, value)


# --- staging cleans each cell as the contract says -------------------------------------

# A few cells of two point tables as a marketer might type them, and what their staging
# models must hold (by hand): ids trimmed with their case, codes trimmed and lower-cased,
# text as written, patterns trimmed with their case, numbers read from trimmed text,
# booleans true only for 'true' in any case, empty cells null (text kept as written).
MESSY_EXPLICIT = [
    "rule_id,score_model,attribute,operator,value,min_value,max_value,points,cap_group,description",
    ' Fit_A ,default, Seniority , EQUALS ,  VP ,,,  12.5 , Fit ," Spaced, as written "',
    "fit_b,default,employee_count,between,, 200 ,,10,,",
]
MESSY_EVENT_TYPES = [
    "event_type,event_category,is_engagement,description",
    " Page_View , Web , TRUE ,Viewed",
    "email_sent,email,False,",
    "demo_request,form,,Asked",
]


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def staged(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    tmp = tmp_path_factory.mktemp(f"contract_{request.param}")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "tests" / "python" / "scoring_config", seeds)
    (seeds / seed_file("explicit_rules")).write_text("\n".join(MESSY_EXPLICIT) + "\n")
    (seeds / seed_file("event_types")).write_text("\n".join(MESSY_EVENT_TYPES) + "\n")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    for built in warehouses(request.param, tmp / "build", conninfo, "pytest_contract", seeds=seeds):
        built.load(write_raw_csvs(tmp / "raw", {}))
        built.dbt("seed", "--select", "lead_scoring__explicit_rules", "lead_scoring__event_types")
        built.dbt(
            "run", "--select", "stg_lead_scoring__explicit_rules", "stg_lead_scoring__event_types"
        )
        yield built


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def test_staging_cleans_each_cell_once_as_the_contract_says(staged: Warehouse) -> None:
    relation = staged.relation("staging", "stg_lead_scoring__explicit_rules")
    rules = staged.query(
        "select rule_id, score_model, attribute, operator, value, min_value, max_value, points, "
        f"cap_group, description from {relation} order by rule_id"
    )
    assert [tuple(_plain(v) for v in row) for row in rules] == [
        (
            "Fit_A",
            "default",
            "seniority",
            "equals",
            "  VP ",
            None,
            None,
            12.5,
            "fit",
            " Spaced, as written ",
        ),
        ("fit_b", "default", "employee_count", "between", None, "200", None, 10.0, None, None),
    ]
    types = staged.query(
        "select event_type, event_category, is_engagement, description "
        f"from {staged.relation('staging', 'stg_lead_scoring__event_types')} order by event_type"
    )
    assert types == [
        ("demo_request", "form", False, "Asked"),
        ("email_sent", "email", False, None),
        ("page_view", "web", True, "Viewed"),
    ]
