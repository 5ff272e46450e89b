"""The ``leadscoring`` command line: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from leadscoring import (
    __version__,
    activate,
    calibrate,
    demo_data,
    export,
    html_report,
    load,
    report,
    validate,
)
from leadscoring.bench import register as register_bench
from leadscoring.bench.calibration import register as register_bench_calibration
from leadscoring.bench.export import register as register_bench_export


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="leadscoring",
        description=(
            "Tooling for the lead-scoring dbt project: generate demo data, validate "
            "the point tables before a build, report the top leads and export the scores."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo_data.register(subparsers)
    validate.register(subparsers)
    report.register(subparsers)
    load.register(subparsers)
    calibrate.register(subparsers)
    activate.register(subparsers)
    html_report.register(subparsers)
    export.register(subparsers)
    register_bench(subparsers)
    register_bench_calibration(subparsers)
    register_bench_export(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the chosen subcommand and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
