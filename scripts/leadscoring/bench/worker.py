"""The child processes of ``leadscoring bench``: one task per process, measured from outside.

``python -m leadscoring.bench.worker TASK ...`` with TASK one of ``generate``,
``append``, ``hand`` (the hand-written query) and ``pandas``. Running each in
its own process gives each its own CPU time and peak memory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from leadscoring.bench import datagen, handquery, pandas_scores


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    """The worker's arguments: a task and what it works on."""
    parser = argparse.ArgumentParser(prog="python -m leadscoring.bench.worker")
    parser.add_argument("task", choices=["generate", "append", "hand", "pandas"])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=datagen.DEFAULT_END_DATE)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seeds-dir", type=Path)
    parser.add_argument("--as-of")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--memory-limit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one task; exit code 0 on success."""
    args = build_parser().parse_args(argv)
    if args.task == "generate":
        datagen.generate(args.database, args.events, args.seed, args.end_date, progress=_say)
    elif args.task == "append":
        datagen.append(args.database, args.seed, args.end_date, args.batch, progress=_say)
    elif args.task == "hand":
        rows = handquery.run(
            args.database, args.seeds_dir, args.as_of, args.output, memory_limit=args.memory_limit
        )
        _say(f"hand query: {rows:,} rows")
    else:
        rows = pandas_scores.run(args.database, args.seeds_dir, args.as_of, args.output)
        _say(f"pandas: {rows:,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
