"""Run one benchmark step in its own child process and measure it.

Each step (a dbt command, the hand-written query, pandas, data generation) runs
as a child process, so its figures are its own: wall time from start to exit,
CPU time (user + system) and peak resident memory (max RSS) from the
``rusage`` the kernel reports when the child is reaped (``os.wait4``). dbt
runs DuckDB in its own process, so dbt's figures include the engine's work.
While a step runs, a progress line is printed every ``progress_every`` seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    """What one run of a step cost."""

    wall_s: float
    user_s: float
    system_s: float
    max_rss_bytes: int
    returncode: int
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_s(self) -> float:
        """User plus system CPU time, in seconds."""
        return self.user_s + self.system_s


class StepFailed(RuntimeError):
    """A step's child process exited with a non-zero code."""


def run_measured(
    label: str,
    command: Sequence[str],
    log_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    progress_every: float = 30.0,
    say: Callable[[str], None] | None = None,
) -> Measurement:
    """Run `command`, its output to `log_path`, and return its measurement.

    Raises StepFailed (naming the log) when the command fails.
    """
    say = say or (lambda message: print(message, file=sys.stderr, flush=True))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=str(cwd) if cwd is not None else None,
        )
        next_report = started + progress_every
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == process.pid:
                break
            now = time.perf_counter()
            if now >= next_report:
                say(f"  ... {label}: still running, {now - started:.0f} s")
                next_report = now + progress_every
            time.sleep(0.05)
        wall = time.perf_counter() - started
    # The child is reaped: tell Popen so it does not wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    measurement = Measurement(
        wall_s=wall,
        user_s=usage.ru_utime,
        system_s=usage.ru_stime,
        # Linux reports ru_maxrss in kilobytes.
        max_rss_bytes=usage.ru_maxrss * 1024,
        returncode=process.returncode,
    )
    if process.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise StepFailed(
            f"{label} failed with exit code {process.returncode}; log: {log_path}\n{tail}"
        )
    return measurement
