"""Figures of a benchmark run: per step medians with min and max, and the ratios.

A step's wall and CPU times are reported as ``median (min-max)`` over the
rounds, its peak memory as the largest max RSS of any round. For dbt steps the
wall time is also split into dbt's fixed start-up and the span of its nodes
(see :func:`dbt_node_span`).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from leadscoring.bench.measure import Measurement

GIB = 1024**3
MEMORY_BUDGET_BYTES = 8 * GIB


def dbt_node_span(run_results: Path) -> float:
    """Seconds from the first node's start to the last node's end, from run_results.json.

    The rest of dbt's wall time is its fixed start-up and shutdown: importing
    Python packages, parsing (or reading) the project, opening the adapter,
    writing artifacts. It does not grow with the data.
    """
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    starts, ends = [], []
    for node in results:
        for phase in node.get("timing", []):
            if phase.get("started_at") and phase.get("completed_at"):
                starts.append(datetime.fromisoformat(phase["started_at"].replace("Z", "+00:00")))
                ends.append(datetime.fromisoformat(phase["completed_at"].replace("Z", "+00:00")))
    if not starts:
        return 0.0
    return (max(ends) - min(starts)).total_seconds()


@dataclass
class StepFigures:
    """Every measurement of one step, over the rounds."""

    name: str
    runs: list[Measurement] = field(default_factory=list)

    def values(self, attribute: str) -> list[float]:
        if attribute in ("wall_s", "cpu_s", "max_rss_bytes"):
            return [float(getattr(run, attribute)) for run in self.runs]
        return [run.extra[attribute] for run in self.runs if attribute in run.extra]

    def median(self, attribute: str) -> float:
        values = self.values(attribute)
        return statistics.median(values) if values else float("nan")

    def spread(self, attribute: str) -> str:
        """'median (min-max)' in seconds, or just the value for one round."""
        values = self.values(attribute)
        if not values:
            return "-"
        if len(values) == 1:
            return f"{values[0]:.1f}"
        return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"

    @property
    def peak_bytes(self) -> int:
        return max((run.max_rss_bytes for run in self.runs), default=0)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows)
    return "\n".join(lines)


def format_steps(steps: Iterable[StepFigures]) -> str:
    """The table of every step: wall, CPU, peak memory, dbt's start-up and node span."""
    rows = []
    for step in steps:
        if not step.runs:
            continue
        rows.append(
            [
                step.name,
                str(len(step.runs)),
                step.spread("wall_s"),
                step.spread("cpu_s"),
                f"{step.peak_bytes / GIB:.2f}",
                f"{100 * step.peak_bytes / MEMORY_BUDGET_BYTES:.0f}%",
                step.spread("dbt_startup_s"),
                step.spread("dbt_nodes_s"),
            ]
        )
    headers = [
        "step", "runs", "wall s, median (min-max)", "CPU s (user+sys)", "peak GiB", "of 8 GB",
        "dbt start-up s", "dbt nodes s",
    ]  # fmt: skip
    return _table(headers, rows)


def _ratio(numerator: float, denominator: float) -> str:
    if denominator != denominator or numerator != numerator or denominator <= 0:
        return "-"
    return f"{numerator / denominator:.1f}x"


def format_ratios(figures: dict[str, StepFigures]) -> str:
    """The ratios the benchmark is about, from the medians."""
    full = figures.get("(a) dbt full build")
    incremental = figures.get("(b) dbt incremental build")
    hand = figures.get("(c) hand query")
    pandas = figures.get("(d) pandas")
    tests_full = figures.get("(e) dbt test after (a)")
    tests_incremental = figures.get("(e) dbt test after (b)")
    lines = []

    def median(step: StepFigures | None, attribute: str) -> float:
        return step.median(attribute) if step and step.runs else float("nan")

    lines.append(
        "full build / hand query, wall:              "
        f"{_ratio(median(full, 'wall_s'), median(hand, 'wall_s'))} with dbt's start-up, "
        f"{_ratio(median(full, 'dbt_nodes_s'), median(hand, 'wall_s'))} without it"
    )
    lines.append(
        "full build / hand query, CPU:               "
        f"{_ratio(median(full, 'cpu_s'), median(hand, 'cpu_s'))}"
    )
    lines.append(
        "incremental / full build, wall:             "
        f"{_ratio(median(incremental, 'wall_s'), median(full, 'wall_s'))} with start-up, "
        f"{_ratio(median(incremental, 'dbt_nodes_s'), median(full, 'dbt_nodes_s'))} without"
    )
    lines.append(
        "pandas / full build, wall:                  "
        f"{_ratio(median(pandas, 'wall_s'), median(full, 'wall_s'))} with dbt's start-up, "
        f"{_ratio(median(pandas, 'wall_s'), median(full, 'dbt_nodes_s'))} without it"
    )
    if tests_full or tests_incremental:
        after_full = _ratio(median(tests_full, "dbt_nodes_s"), median(full, "dbt_nodes_s"))
        after_incremental = _ratio(
            median(tests_incremental, "dbt_nodes_s"), median(incremental, "dbt_nodes_s")
        )
        lines.append(
            "data tests / models, wall without start-up: "
            f"{after_full} after the full build, {after_incremental} after the incremental build"
        )
    peaks = [
        f"{name} {100 * step.peak_bytes / MEMORY_BUDGET_BYTES:.0f}%"
        for name, step in figures.items()
        if step.runs
    ]
    lines.append("peak memory against 8 GB:                  " + ", ".join(peaks))
    return "\n".join(lines)
