"""Small helpers shared by the generators: random draws that no Python release has
changed, weighted choice, name folding and fast timestamp text.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from leadscoring.demo_data.catalogue import DAY, WINDOW_DAYS

# --------------------------------------------------------------------------- helpers


def _sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _chance(pair: tuple[float, float], x: float) -> float:
    """sigmoid(bias + slope * x) for one (bias, slope) pair of BEHAVIOUR_MODEL."""
    return _sigmoid(pair[0] + pair[1] * x)


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw from Random.random/gauss, whose output no Python release has changed."""
    if lam <= 0:
        return 0
    if lam > 30:
        # Normal approximation: Knuth's loop would cost ~lam draws.
        return max(0, round(lam + math.sqrt(lam) * rng.gauss(0.0, 1.0)))
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Weighted:
    """Weighted choice by bisecting cumulative weights (rng.choices re-sums on every call)."""

    def __init__(self, pairs: tuple[tuple[Any, float], ...] | list[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total
        # random() * total can round up to total itself; the last bucket must
        # still catch it.
        self.cumulative[-1] = math.inf

    def pick(self, rng: random.Random) -> Any:
        """Return one item, with probability proportional to its weight."""
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _one_of(rng: random.Random, items: tuple[Any, ...] | list[Any]) -> Any:
    """Uniform choice; int(random()*n) is faster than rng.choice and stable across versions."""
    return items[int(rng.random() * len(items))]


def _ascii(name: str) -> str:
    """'Chloé' -> 'chloe', "O'Brien" -> 'obrien': the form a name takes in an email address."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


def _money(value: float) -> str:
    """A numeric(18,2) literal."""
    return f"{value:.2f}"


class _Clock:
    """Time as integer seconds since the start of the window, formatted fast.

    strftime costs about a microsecond per call, a third of the per-event budget,
    so inside the window the text comes from two tables: days and seconds of a day.
    """

    def __init__(self, end_date: date) -> None:
        self.end = datetime(end_date.year, end_date.month, end_date.day)
        self.start = self.end - timedelta(days=WINDOW_DAYS)
        self.window = WINDOW_DAYS * DAY  # every good timestamp is < window
        days = [self.start + timedelta(days=d) for d in range(WINDOW_DAYS)]
        self.day_text = [d.strftime("%Y-%m-%d ") for d in days]
        self.day_dates = [d.date() for d in days]
        self.time_text = [
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        ]

    def text(self, seconds: int) -> str:
        """'YYYY-MM-DD HH:MM:SS' for a moment given in seconds since the window start."""
        if 0 <= seconds < self.window:
            return self.day_text[seconds // DAY] + self.time_text[seconds % DAY]
        return (self.start + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")
