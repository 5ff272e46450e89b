"""The selectors of scheduled builds (selectors.yml), by the nodes `dbt ls` selects.

No warehouse: `dbt ls` parses the project and lists what `dbt build --selector <name>`
would run. The expected sets are derived from what each build is for (README,
"Scheduling"), not copied from dbt's output: engagement_refresh must build and test
everything the five published marts are built from, since the publication at the end
of a run needs all five built and their tests passed; it leaves out what new events do
not change or what only the nightly build needs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
PUBLISHED = {
    "lead_scoring__scores",
    "lead_scoring__score_details",
    "lead_scoring__scores_wide",
    "lead_scoring__score_history",
    "lead_scoring__score_transitions",
}
# Models that new events do not change, or that nothing published reads: the reports,
# the predictions and the point tables only they read, the time spine, and the
# quarantine views (views: they read the raw rows as they are whenever queried).
NOT_REFRESHED = {
    "lead_scoring__sla_monthly",
    "lead_scoring__bias_check",
    "lead_scoring__bias_rules",
    "lead_scoring__score_predictions",
    "stg_lead_scoring__predictive_weights",
    "stg_lead_scoring__sla_targets",
    "lead_scoring__time_spine_days",
    "stg_lead_scoring__contacts_rejected",
    "stg_lead_scoring__accounts_rejected",
    "stg_lead_scoring__events_rejected",
    "stg_lead_scoring__conversions_rejected",
    "stg_lead_scoring__attribute_issues",
}


def _ls(target_path: Path, *args: str) -> dict[str, str]:
    """dbt ls of the project: unique id -> resource type of every node selected."""
    result = subprocess.run(
        [DBT, "ls", "--quiet", "--output", "json", "--output-keys", "unique_id resource_type",
         "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(target_path), *args],
        cwd=PROJECT_DIR, env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    nodes = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {node["unique_id"]: node["resource_type"] for node in nodes}


@pytest.fixture(scope="module")
def selections(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """What each selector selects, and everything the project holds (from the manifest
    the first `dbt ls` writes; the second reuses its parse)."""
    target_path = tmp_path_factory.mktemp("selectors") / "target"
    refresh = _ls(target_path, "--selector", "engagement_refresh")
    manifest = json.loads((target_path / "manifest.json").read_text())
    # The tests of the calibration models (disabled unless var lead_scoring__calibration
    # is true) are in the manifest, disabled with them.
    everything = {
        uid: node["resource_type"]
        for group in ("nodes", "unit_tests")
        for uid, node in manifest[group].items()
        if node["config"].get("enabled", True)
    }
    nightly = _ls(target_path, "--selector", "nightly")
    return {"everything": everything, "engagement_refresh": refresh, "nightly": nightly}


def _names(nodes: dict[str, str], resource_type: str) -> set[str]:
    return {uid.split(".")[-1] for uid, kind in nodes.items() if kind == resource_type}


def test_nightly_builds_everything(selections: dict[str, dict[str, str]]) -> None:
    """nightly is a plain `dbt build`: every seed, snapshot, model, data test and unit test."""
    everything = selections["everything"]
    buildable = {
        uid: kind
        for uid, kind in everything.items()
        if kind in ("seed", "snapshot", "model", "test", "unit_test")
    }
    nightly = {
        uid: kind for uid, kind in selections["nightly"].items() if kind in buildable.values()
    }
    assert nightly == buildable
    assert _names(nightly, "snapshot") == {
        "lead_scoring__contacts_snapshot",
        "lead_scoring__accounts_snapshot",
    }
    assert _names(nightly, "model") >= NOT_REFRESHED | PUBLISHED
    assert _names(nightly, "unit_test")


def test_engagement_refresh_builds_the_scoring_path(selections: dict[str, dict[str, str]]) -> None:
    """The five published marts and every model they are built from, the rescore state written
    after them, their seeds and tests; not the reports, snapshots or unit tests."""
    refresh = selections["engagement_refresh"]
    everything = selections["everything"]
    models = _names(refresh, "model")
    assert models == _names(everything, "model") - NOT_REFRESHED
    assert models >= PUBLISHED
    # Not read by a mart but written after the models scored by contact: without it the
    # next refresh would rescore the same contacts (README, "Incremental builds").
    assert "int_lead_scoring__contact_rescore_state" in models
    # The incremental event steps, and a point table's staging, seed and contract test.
    assert {"base_lead_scoring__events", "int_lead_scoring__event_matches"} <= models
    assert {"stg_lead_scoring__score_bands", "int_lead_scoring__score_thresholds_ranked"} <= models
    assert _names(refresh, "seed") == _names(everything, "seed") - {
        "lead_scoring__predictive_weights",
        "lead_scoring__sla_targets",
    }
    assert _names(refresh, "snapshot") == set()
    assert _names(refresh, "unit_test") == set()
    tests = _names(refresh, "test")
    # The tests the publication waits for: the marts' keys and the singular checks.
    assert {
        "lead_scoring__assert_details_sum_to_totals",
        "lead_scoring__assert_wide_scores_match_lead_scores",
        "lead_scoring__assert_bands_match_thresholds",
        "lead_scoring__assert_raw_rows_are_staged_or_rejected",
    } <= tests
    assert not any("sla_monthly" in name or "bias_" in name for name in tests), tests
    assert "lead_scoring__assert_no_rule_scores_a_sensitive_attribute" not in tests


SELECTOR_USE = re.compile(r"--selector[ =]([A-Za-z0-9_]+)")


def test_every_selector_named_in_the_docs_exists() -> None:
    """Every `--selector <name>` in the README and docs/examples is defined in selectors.yml."""
    defined = {
        s["name"] for s in yaml.safe_load((PROJECT_DIR / "selectors.yml").read_text())["selectors"]
    }
    files = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs" / "examples").glob("*"))]
    named = {
        (path.name, name)
        for path in files
        for name in SELECTOR_USE.findall(path.read_text(encoding="utf-8"))
    }
    assert {name for _, name in named} >= {"engagement_refresh", "nightly"}, named
    assert {(file, name) for file, name in named if name not in defined} == set()
