"""``leadscoring bench-export``: peak memory and time of ``leadscoring export`` by size.

Builds a synthetic ``lead_scoring__scores`` (the mart's columns and types,
rows made by SQL ``range``) in one DuckDB file per size, then exports it to
each format in a child process (``leadscoring export`` through this project's
``duckdb`` target), measuring the child's wall time and peak resident memory
(max RSS from the rusage of the reaped child: dbt's start-up included). Runs are
interleaved (every format at the first size, then at the next, then again) so
that a slow spell of the machine does not land on one size, and the median,
min and max of each format and size are printed. Flat memory means the peak
at 10M rows is close to the peak at 1M.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from leadscoring.bench.command import REPO_ROOT, parse_count
from leadscoring.bench.measure import Measurement, run_measured
from leadscoring.export import FORMATS

SCORES_SQL = """
create or replace table main.lead_scoring__scores as
with numbers as (select range as i from range({rows}))
select
    'con_' || lpad(cast(i as varchar), 9, '0') as contact_id,
    ['default', 'emea', 'semantic_layer'][1 + i % 3] as score_model,
    'user' || i || '@example.com' as email,
    'First' || (i % 1000) as first_name,
    'Last' || (i % 5000) as last_name,
    case when i % 7 = 0 then null else 'Job title ' || (i % 50) end as job_title,
    'Company ' || (i % 20000) as company_name,
    cast((i % 4500) / 100 as decimal(28, 6)) as fit_points,
    cast((i % 6000) / 100 as decimal(28, 6)) as engagement_points,
    cast(-((i % 3) * 5) as decimal(28, 6)) as negative_points,
    cast(0 as decimal(28, 6)) as adjustment_points,
    cast((i % 4500) / 100 as decimal(28, 6)) as fit_score,
    cast((i % 6000) / 100 - (i % 3) * 5 as decimal(28, 6)) as engagement_score,
    cast((i % 4500) / 100 + (i % 6000) / 100 - (i % 3) * 5 as decimal(28, 6)) as total_score,
    ['cold', 'warm', 'hot', 'MQL', 'SQL'][1 + i % 5] as score_band,
    cast(1 + i % 5 as bigint) as score_band_rank,
    ['A', 'B', 'C', 'D'][1 + i % 4] as fit_grade,
    cast(1 + i % 4 as varchar) as engagement_level,
    ['A', 'B', 'C', 'D'][1 + i % 4] || cast(1 + i % 4 as varchar) as score_matrix,
    cast(i % 9 as bigint) as rules_fired,
    i % 5 >= 3 as is_mql,
    i % 5 = 4 as is_sql,
    i % 7 = 0 as has_converted,
    timestamp '2026-07-01 00:00:00' as as_of
from numbers
"""


def build_mart(path: Path, rows: int) -> None:
    """A DuckDB file holding a synthetic lead_scoring__scores of `rows` rows."""
    import duckdb

    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute("select count(*) from main.lead_scoring__scores").fetchone()
        if found and found[0] == rows:
            return
        path.unlink()
    with duckdb.connect(str(path)) as con:
        con.execute(SCORES_SQL.format(rows=int(rows)))


def _label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def run(args: argparse.Namespace) -> int:
    """Build the marts, run the interleaved exports, print the medians."""
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for rows in args.sizes:
        print(f"==> synthetic lead_scoring__scores, {rows:,} rows", file=sys.stderr, flush=True)
        # In a child process: a child's peak RSS (ru_maxrss) starts from its parent's RSS
        # at fork (Linux keeps it across exec), so this process must stay small.
        path = workdir / f"scores_{_label(rows)}.duckdb"
        subprocess.run(
            [sys.executable, "-c", "import sys; from leadscoring.bench.export import build_mart; "
             "from pathlib import Path; build_mart(Path(sys.argv[1]), int(sys.argv[2]))",
             str(path), str(rows)],
            check=True,
        )  # fmt: skip
    results: dict[tuple[str, int], list[Measurement]] = {}
    for round_number in range(1, args.rounds + 1):
        for rows in args.sizes:
            for file_format in args.formats:
                out = workdir / f"export_{_label(rows)}.{file_format}"
                command = [
                    sys.executable, "-m", "leadscoring", "export", "--project-dir",
                    str(args.project_dir), "--target", "duckdb", "--out", str(out), "--no-progress",
                ]  # fmt: skip
                env = {
                    **os.environ,
                    "LEAD_SCORING_DUCKDB_PATH": str(workdir / f"scores_{_label(rows)}.duckdb"),
                }
                label = f"round {round_number}: {_label(rows)} {file_format}"
                log = workdir / f"{_label(rows)}_{file_format}_{round_number}.log"
                measured = run_measured(label, command, log, env=env, cwd=workdir)
                size = out.stat().st_size
                print(f"  {label}: {measured.wall_s:.1f} s, peak RSS "
                      f"{measured.max_rss_bytes / 2**20:.0f} MiB, file {size / 2**20:.0f} MiB",
                      file=sys.stderr, flush=True)  # fmt: skip
                results.setdefault((file_format, rows), []).append(measured)
                out.unlink()
    print(
        f"leadscoring export of a synthetic lead_scoring__scores (DuckDB), {args.rounds} "
        "interleaved rounds: median (min-max)"
    )
    print(f"{'format':<8} {'rows':>5} {'wall s':>22} {'peak RSS MiB':>22} {'rows/s':>10}")
    for file_format in args.formats:
        for rows in args.sizes:
            runs = results[(file_format, rows)]
            walls = [m.wall_s for m in runs]
            peaks = [m.max_rss_bytes / 2**20 for m in runs]
            wall = f"{statistics.median(walls):.1f} ({min(walls):.1f}-{max(walls):.1f})"
            peak = f"{statistics.median(peaks):.0f} ({min(peaks):.0f}-{max(peaks):.0f})"
            rate = rows / statistics.median(walls)
            print(f"{file_format:<8} {_label(rows):>5} {wall:>22} {peak:>22} {rate:>10,.0f}")
    return 0


def _formats(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}")
    return names


def _sizes(text: str) -> list[int]:
    return [parse_count(part.strip()) for part in text.split(",") if part.strip()]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bench-export`` subcommand."""
    parser = subparsers.add_parser(
        "bench-export",
        help="peak memory and time of `leadscoring export` at 1M and 10M rows",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("--sizes", type=_sizes, default=_sizes("1M,10M"), metavar="N,N",
                        help="rows of the synthetic mart, e.g. 1M,10M (default)")  # fmt: skip
    parser.add_argument("--formats", type=_formats, default=list(FORMATS), metavar="LIST",
                        help="a subset of csv,parquet,jsonl (default: all)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: %(default)s)")
    parser.add_argument("--workdir", default="/tmp/leadscoring-bench-export", metavar="DIR",
                        help="where the DuckDB files and exports go (kept for a rerun; "
                        "default: %(default)s)")  # fmt: skip
    parser.add_argument("--project-dir", default=str(REPO_ROOT), metavar="DIR",
                        help="the dbt project whose duckdb target is used (default: this "
                        "checkout)")  # fmt: skip
    parser.set_defaults(handler=run)
