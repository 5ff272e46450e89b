"""number_buckets: the bucket sets of the buckets operator, none overlapping."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leadscoring.validation.problems import _identifier, _number, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import IDENTIFIER_RE, NUMBER_FIX


@dataclass(frozen=True)
class Bucket:
    """A row of number_buckets.csv: values from low (inclusive) to high (exclusive)."""

    low: Decimal | None  # None: no lower bound
    high: Decimal | None  # None: no upper bound
    low_text: str
    high_text: str
    points: Decimal | None
    line: int

    def shown(self) -> str:
        if self.low is None and self.high is None:
            return "every value"
        if self.low is None:
            return f"below {self.high_text}"
        if self.high is None:
            return f"{self.low_text} or more"
        return f"{self.low_text} to below {self.high_text}"


class BucketChecks:
    """Checks number_buckets and records its bucket sets."""

    def check_number_buckets(self, table: Table) -> None:
        sets: dict[str, list[Bucket]] = {}
        for row in table.rows:
            name = row.cells.get("bucket_set", "")
            if not row.complete:
                if name:
                    sets.setdefault(name, [])  # rules naming it are not reported too
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing bucket_set",
                    "name the bucket set the rules name in their value column, e.g. visits",
                )
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"bucket set {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, e.g. "
                    f"{_q(_identifier(name, 'buckets'))}, here and in the rules that name it",
                )
            bounds: dict[str, Decimal | None] = {}
            for column, example in (("min_value", "1"), ("max_value", "10")):
                cell = cells[column]
                bounds[column] = _number(cell) if cell else None
                if cell and bounds[column] is None:
                    report(
                        f"{column} {_q(cell)} is not a number",
                        NUMBER_FIX.format(example=example) + ", or leave it empty for no bound",
                    )
            low, high = bounds["min_value"], bounds["max_value"]
            valid = not any(cells[c] and bounds[c] is None for c in bounds)
            if low is not None and high is not None and low >= high:
                report(
                    f"min_value {cells['min_value']} is not below max_value {cells['max_value']}",
                    "a bucket holds the values from min_value (inclusive) up to max_value "
                    "(exclusive): make min_value the smaller one, or leave one of them empty "
                    "for no bound",
                )
                valid = False
            points = cells["points"]
            number = _number(points) if points else None
            if not points:
                report(
                    "missing points",
                    "write the points a value in this bucket gives, e.g. 10 (below 0 to take "
                    "points away)",
                )
            elif number is None:
                report(f"points {_q(points)} is not a number", NUMBER_FIX.format(example="10"))
            if not name:
                continue
            buckets = sets.setdefault(name, [])
            if valid:
                bucket = Bucket(low, high, cells["min_value"], cells["max_value"], number, row.line)
                buckets.append(bucket)
        for name, buckets in sets.items():
            self._check_bucket_overlaps(table.shown, name, buckets)
        self.bucket_sets = sets

    def _check_bucket_overlaps(self, shown: str, name: str, buckets: list[Bucket]) -> None:
        """No two buckets of a set overlap: each bucket is reported against the first
        bucket above it in the file that it overlaps."""

        def overlap(one: Bucket, other: Bucket) -> bool:
            # [low, high) ranges; a missing bound is unbounded.
            starts_before_other_ends = one.low is None or other.high is None or one.low < other.high
            ends_after_other_starts = one.high is None or other.low is None or other.low < one.high
            return starts_before_other_ends and ends_after_other_starts

        for position, bucket in enumerate(buckets):
            earlier = next((b for b in buckets[:position] if overlap(b, bucket)), None)
            if earlier is None:
                continue
            fix = (
                "make the buckets of a set follow each other without overlapping (min_value "
                "is inclusive and max_value exclusive, so a bucket may start at the max_value "
                "of the one before)"
            )
            starts_after = earlier.low is None or (
                bucket.low is not None and earlier.low <= bucket.low
            )
            if earlier.high is not None and starts_after:
                fix += f", e.g. min_value {earlier.high_text} here"
            self.add(
                shown,
                bucket.line,
                f"bucket set {name}",
                f"the bucket {bucket.shown()} of bucket set {_q(name)} overlaps the bucket "
                f"{earlier.shown()} on line {earlier.line}",
                fix,
            )
