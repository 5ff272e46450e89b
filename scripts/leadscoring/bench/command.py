"""``leadscoring bench``: the command line and the rounds of a benchmark run.

A round, on a fresh copy of the generated data set:

1. ``dbt seed`` (timed apart; first round only, later rounds start from a
   copy of the data set with the point tables loaded);
2. (a) ``dbt run --full-refresh``: the full build (a project with snapshots,
   which must be taken between its staging models and the models reading
   them, is built with ``dbt build --full-refresh`` without seeds and tests);
3. (c) the hand-written query and (d) pandas, on the same data;
4. 1% new events appended (some late, a few new contacts);
5. (b) ``dbt run`` (or that ``dbt build`` without ``--full-refresh``): the
   incremental build (a full rebuild while the project has no incremental
   models);
6. (e) when asked for (``--steps ...,tests``): ``dbt test`` of the data tests
   (unit tests left out: they do not read the data) after (a) and again
   after (b), to show what the tests cost beside the models they check.

The first round also checks that the mart, the hand query and pandas hold
identical scores before the append, and, after it, that the incremental build
agrees with the hand query and pandas run on the appended data. Any mismatch
makes the command exit with 1. docs/benchmarks.md explains every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

from leadscoring.bench import compare, datagen, report
from leadscoring.bench.measure import Measurement, StepFailed, run_measured

FULL = "(a) dbt full build"
INCREMENTAL = "(b) dbt incremental build"
HAND = "(c) hand query"
PANDAS = "(d) pandas"
TESTS_AFTER_FULL = "(e) dbt test after (a)"
TESTS_AFTER_INCREMENTAL = "(e) dbt test after (b)"
DATA_TESTS = ["test", "--exclude-resource-type", "unit_test"]
# dbt build without seeds and tests: models and snapshots in the order they need
BUILD_MODELS = [
    "build", "--exclude-resource-type", "seed", "--exclude-resource-type", "test",
    "--exclude-resource-type", "unit_test",
]  # fmt: skip
STEP_CHOICES = ("full", "incremental", "hand", "pandas", "tests")
DEFAULT_STEPS = ("full", "incremental", "hand", "pandas")
PANDAS_LIMIT = 20_000_000  # above this many events pandas needs more memory than a laptop has
REPO_ROOT = Path(__file__).resolve().parents[3]


def parse_count(text: str) -> int:
    """'10M' -> 10000000, '20k' -> 20000, '1.5M', '100000'."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count such as 20000, 20k, 10M")
    factor = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}[match.group(2).lower()]
    value = int(float(match.group(1)) * factor)
    if value < 1_000:
        raise argparse.ArgumentTypeError(f"at least 1000 events, got {value}")
    return value


def _steps(text: str) -> list[str]:
    steps = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEP_CHOICES]
    if unknown or not steps:
        raise argparse.ArgumentTypeError(
            f"steps are a comma-separated list of {', '.join(STEP_CHOICES)}"
        )
    return steps


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench:
    """One benchmark run: its settings, work files and figures."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.project = Path(args.project_dir).resolve()
        self.workdir = Path(args.workdir).resolve()
        self.as_of = f"{args.end_date.isoformat()} 00:00:00"
        self.seeds = self.project / "seeds"
        self.base = self.workdir / f"base-{args.events}-{args.seed}-{args.end_date}.duckdb"
        self.work = self.workdir / "work.duckdb"
        self.logs = self.workdir / "logs"
        self.dbt = self._dbt_executable()
        self.figures: dict[str, report.StepFigures] = {}
        self.checks: list[compare.Comparison] = []
        has_snapshots = any((self.project / "snapshots").glob("*.sql"))
        self.incremental_args = BUILD_MODELS if has_snapshots else ["run"]
        self.full_args = [*self.incremental_args, "--full-refresh"]

    @staticmethod
    def _dbt_executable() -> str:
        beside = Path(sys.executable).with_name("dbt")
        return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")

    # ------------------------------------------------------------------ steps

    def record(self, name: str, measurement: Measurement) -> Measurement:
        self.figures.setdefault(name, report.StepFigures(name)).runs.append(measurement)
        _say(
            f"  {name}: {measurement.wall_s:.1f} s wall, {measurement.cpu_s:.1f} s CPU, "
            f"{measurement.max_rss_bytes / 2**30:.2f} GiB peak"
        )
        return measurement

    def _worker(self, label: str, task: str, log: str, *options: str) -> Measurement:
        command = [sys.executable, "-m", "leadscoring.bench.worker", task, *options]
        return run_measured(
            label,
            command,
            self.logs / log,
            progress_every=self.args.progress_every,
            say=_say,
        )

    def dbt_command(self, name: str, *arguments: str, log: str) -> Measurement:
        target = self.workdir / "target"
        command = [
            self.dbt, *arguments, "--project-dir", str(self.project),
            "--profiles-dir", str(self.project), "--target", "duckdb",
            "--target-path", str(target), "--log-path", str(self.logs / "dbt"),
            "--vars", json.dumps({"lead_scoring__as_of": self.as_of}),
        ]  # fmt: skip
        env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(self.project),
            "LEAD_SCORING_DUCKDB_PATH": str(self.work),
            "LEAD_SCORING_TARGET": "duckdb",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        if self.args.memory_limit:
            env["LEAD_SCORING_DUCKDB_MEMORY_LIMIT"] = self.args.memory_limit
        measured = run_measured(
            name,
            command,
            self.logs / log,
            env=env,
            cwd=self.project,
            progress_every=self.args.progress_every,
            say=_say,
        )
        span = report.dbt_node_span(target / "run_results.json")
        measured.extra.update({"dbt_nodes_s": span, "dbt_startup_s": measured.wall_s - span})
        return measured

    def scores(self, kind: str, output: Path, log: str) -> Measurement:
        label = HAND if kind == "hand" else PANDAS
        limit = ["--memory-limit", self.args.memory_limit] if self.args.memory_limit else []
        return self._worker(
            label, kind, log, "--database", str(self.work), "--seeds-dir", str(self.seeds),
            "--as-of", self.as_of, "--output", str(output), *limit,
        )  # fmt: skip

    # ------------------------------------------------------------------ data

    def prepare_data(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        settings = self.base.with_suffix(".json")
        wanted = {"events": self.args.events, "seed": self.args.seed,
                  "end_date": self.args.end_date.isoformat()}  # fmt: skip
        reusable = self.args.reuse and self.base.exists() and settings.exists()
        if reusable and json.loads(settings.read_text()) == wanted:
            _say(f"reusing {self.base}")
            return
        for path in (self.base, settings):
            path.unlink(missing_ok=True)
        _say(f"generating {self.args.events:,} events into {self.base}")
        measured = self._worker(
            "generate", "generate", "generate.log", "--database", str(self.base),
            "--events", str(self.args.events), "--seed", str(self.args.seed),
            "--end-date", self.args.end_date.isoformat(),
        )  # fmt: skip
        self.record("generate data", measured)
        settings.write_text(json.dumps(wanted))
        _say(
            f"generated in {measured.wall_s:.1f} s (peak {measured.max_rss_bytes / 2**30:.2f} GiB)"
        )

    def fresh_copy(self, source: Path | None = None) -> None:
        self.work.unlink(missing_ok=True)
        Path(str(self.work) + ".wal").unlink(missing_ok=True)
        shutil.copyfile(source or self.base, self.work)

    # ------------------------------------------------------------------ checks

    def check(self, phase: str, sources: list[tuple[str, str]]) -> None:
        for i, left in enumerate(sources):
            for right in sources[i + 1 :]:
                result = compare.compare(self.work, left, right)
                self.checks.append(result)
                _say(f"check {phase}: {result.describe()}")

    # ------------------------------------------------------------------ rounds

    def run_round(self, number: int, steps: list[str]) -> None:
        rounds = self.args.rounds
        tag = f"round {number}/{rounds}"
        check = number == 1
        # The point tables are loaded once, in the first round; later rounds
        # start from a copy of the data set with them.
        seeded = self.workdir / "seeded.duckdb"
        if number == 1:
            self.fresh_copy()
            _say(f"{tag}: dbt seed")
            self.record("dbt seed", self.dbt_command("dbt seed", "seed", log=f"r{number}-seed.log"))
            shutil.copyfile(self.work, seeded)
        else:
            self.fresh_copy(seeded)
        sources = []
        if "full" in steps or "incremental" in steps:
            _say(f"{tag}: {FULL}: dbt {' '.join(self.full_args)}")
            measured = self.dbt_command(FULL, *self.full_args, log=f"r{number}-full.log")
            if "full" in steps:
                self.record(FULL, measured)
            sources.append(("dbt", compare.mart_source()))
            if "tests" in steps and "full" in steps:
                _say(f"{tag}: {TESTS_AFTER_FULL}")
                self.record(
                    TESTS_AFTER_FULL,
                    self.dbt_command(TESTS_AFTER_FULL, *DATA_TESTS, log=f"r{number}-test-full.log"),
                )
        for kind, name in (("hand", HAND), ("pandas", PANDAS)):
            if kind in steps:
                _say(f"{tag}: {name}")
                output = self.workdir / f"{kind}-r{number}.parquet"
                self.record(name, self.scores(kind, output, f"r{number}-{kind}.log"))
                sources.append((name, compare.parquet_source(output)))
        if check:
            self.check("before the append", sources)
        if "incremental" not in steps:
            return
        _say(f"{tag}: appending 1% new events")
        self.record(
            "append 1%",
            self._worker(
                "append", "append", f"r{number}-append.log", "--database", str(self.work),
                "--seed", str(self.args.seed), "--end-date", self.args.end_date.isoformat(),
            ),
        )  # fmt: skip
        _say(f"{tag}: {INCREMENTAL}: dbt {' '.join(self.incremental_args)}")
        self.record(
            INCREMENTAL,
            self.dbt_command(INCREMENTAL, *self.incremental_args, log=f"r{number}-incr.log"),
        )
        if "tests" in steps:
            _say(f"{tag}: {TESTS_AFTER_INCREMENTAL}")
            self.record(
                TESTS_AFTER_INCREMENTAL,
                self.dbt_command(
                    TESTS_AFTER_INCREMENTAL, *DATA_TESTS, log=f"r{number}-test-incr.log"
                ),
            )
        if not check:
            return
        after = [("dbt incremental", compare.mart_source())]
        for kind, name in (("hand", HAND), ("pandas", PANDAS)):
            if kind in steps:
                _say(f"{tag}: {name} on the appended data")
                output = self.workdir / f"{kind}-appended.parquet"
                self.record(
                    f"{name} (appended)", self.scores(kind, output, f"r{number}-{kind}-after.log")
                )
                after.append((f"{name} (appended)", compare.parquet_source(output)))
        self.check("after the append", after)

    def run(self) -> int:
        steps = self.args.steps
        if self.args.steps_given is None and self.args.events > PANDAS_LIMIT:
            steps = [s for s in steps if s != "pandas"]
            _say(
                f"pandas left out above {PANDAS_LIMIT:,} events (it needs more memory than "
                "the machine has); ask for it with --steps"
            )
        started = datetime.now(timezone.utc)
        self.prepare_data()
        for number in range(1, self.args.rounds + 1):
            self.run_round(number, steps)
            # Saved after every round: a long run stopped part-way keeps the
            # rounds it finished.
            self.save((datetime.now(timezone.utc) - started).total_seconds(), rounds_done=number)
        (self.workdir / "seeded.duckdb").unlink(missing_ok=True)
        elapsed = (datetime.now(timezone.utc) - started).total_seconds()
        self.print_report(elapsed)
        if not self.args.keep:
            for path in [self.work, self.base, self.base.with_suffix(".json"),
                         *self.workdir.glob("*.parquet")]:  # fmt: skip
                path.unlink(missing_ok=True)
            for spill in self.workdir.glob("*.tmp"):
                shutil.rmtree(spill, ignore_errors=True)
        failed = [c for c in self.checks if not c.identical]
        if failed:
            print(f"\nMISMATCH: {len(failed)} comparison(s) found different scores", flush=True)
            return 1
        return 0

    # ------------------------------------------------------------------ output

    def print_report(self, elapsed: float) -> None:
        print(
            f"\nleadscoring bench: {self.args.events:,} events, {self.args.rounds} round(s), "
            f"as of {self.as_of}, project {self.project}"
        )
        print(f"total {elapsed / 60:.1f} min, work files in {self.workdir}")
        print(f"full build: dbt {' '.join(self.full_args)}")
        print(f"incremental build: dbt {' '.join(self.incremental_args)}\n")
        print(report.format_steps(self.figures.values()))
        print()
        print(report.format_ratios(self.figures))
        print("\nchecks:")
        for result in self.checks:
            print("  " + result.describe().replace("\n", "\n  "))
        if not self.checks:
            print("  none (a single step was asked for)")

    def save(self, elapsed: float, rounds_done: int) -> None:
        results = {
            "events": self.args.events,
            "rounds": self.args.rounds,
            "rounds_done": rounds_done,
            "as_of": self.as_of,
            "elapsed_s": elapsed,
            "steps": {name: [asdict(r) for r in f.runs] for name, f in self.figures.items()},
            "checks": [
                {"left": c.left, "right": c.right, "left_rows": c.left_rows,
                 "right_rows": c.right_rows, "mismatches": c.mismatches}
                for c in self.checks
            ],
        }  # fmt: skip
        (self.workdir / "results.json").write_text(json.dumps(results, indent=2, default=str))


def _run(args: argparse.Namespace) -> int:
    if not (Path(args.project_dir) / "dbt_project.yml").is_file():
        print(f"error: {args.project_dir} has no dbt_project.yml", file=sys.stderr)
        return 2
    if args.end_date > datetime.now(timezone.utc).date():
        print("error: --end-date must not be in the future (staging rejects future events)",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        return Bench(args).run()
    except StepFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bench`` subcommand."""
    parser = subparsers.add_parser(
        "bench",
        help="benchmark the dbt project against a hand-written query and pandas",
        description=(
            "Generate scale data with DuckDB, then time, round by round, a full dbt build, "
            "an incremental build after appending 1% new events, a hand-written DuckDB "
            "query and a pandas implementation of the same scores, and check that all four "
            "agree. See docs/benchmarks.md."
        ),
    )
    parser.add_argument("--events", type=parse_count, default=parse_count("10M"), metavar="N",
                        help="good raw events: 20k, 1M, 10M, 100M (default: 10M)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: %(default)s)")
    parser.add_argument("--workdir", default="/tmp/leadscoring-bench", metavar="DIR",
                        help="where data, logs and results go (default: %(default)s)")  # fmt: skip
    parser.add_argument("--project-dir", default=str(REPO_ROOT), metavar="DIR",
                        help="the dbt project to build (default: this checkout)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=42, help="data seed (default: %(default)s)")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=datagen.DEFAULT_END_DATE,
        metavar="YYYY-MM-DD",
        help="the data ends at 00:00 UTC of this day, the as-of of every step "
        "(default: %(default)s)",
    )
    parser.add_argument("--steps", type=_steps, default=None, metavar="LIST",
                        help="comma-separated subset of full,incremental,hand,pandas,tests "
                        "(default: all but tests; pandas only up to 20M events)")  # fmt: skip
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the generated data set of an earlier --keep run")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="keep the data set and result files in the work dir")  # fmt: skip
    parser.add_argument("--memory-limit", metavar="SIZE",
                        help="DuckDB's memory limit for dbt (LEAD_SCORING_DUCKDB_MEMORY_LIMIT) "
                        "and the hand query, e.g. 4GB (default: each its own)")  # fmt: skip
    parser.add_argument("--progress-every", type=float, default=30.0, metavar="S",
                        help="a progress line every S s of a long step (default: 30)")  # fmt: skip

    def handler(args: argparse.Namespace) -> int:
        args.steps_given = args.steps
        if args.steps is None:
            args.steps = list(DEFAULT_STEPS)
        if args.rounds < 1:
            parser.error("--rounds must be at least 1")
        if "tests" in args.steps and not {"full", "incremental"} & set(args.steps):
            parser.error("--steps tests needs full or incremental: the tests check a build")
        return _run(args)

    parser.set_defaults(handler=handler)
