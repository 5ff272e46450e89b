"""Row-by-row comparison of score sets: the mart, the hand-written query, pandas.

Every (contact_id, score_model) of either side is compared on every column of
``RESULT_COLUMNS`` (point sums to 6 decimals, as the mart's numeric holds them;
band, grade, level and matrix as text; rules fired). A row missing on one side
is a mismatch too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leadscoring.bench.handquery import RESULT_COLUMNS

KEY = ("contact_id", "score_model")
VALUES = tuple(c for c in RESULT_COLUMNS if c not in KEY)


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing two score sets."""

    left: str
    right: str
    left_rows: int
    right_rows: int
    mismatches: int
    examples: list[dict[str, object]]

    @property
    def identical(self) -> bool:
        return self.mismatches == 0 and self.left_rows == self.right_rows

    def describe(self) -> str:
        """A few lines: counts, and the differing columns of some examples."""
        verdict = "identical" if self.identical else f"{self.mismatches:,} rows differ"
        lines = [
            f"{self.left} ({self.left_rows:,} rows) vs {self.right} ({self.right_rows:,} rows): "
            f"{verdict}"
        ]
        for example in self.examples:
            lines.append(f"    {example}")
        return "\n".join(lines)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mart_source(schema: str = "main") -> str:
    """SQL of the mart's rows, in the columns compared."""
    return f"SELECT {', '.join(RESULT_COLUMNS)} FROM {schema}.lead_scoring__scores"


def parquet_source(path: Path) -> str:
    """SQL of a Parquet file written by the hand query or pandas."""
    return f"SELECT {', '.join(RESULT_COLUMNS)} FROM read_parquet({_literal(str(path))})"


def compare(
    database: Path,
    left: tuple[str, str],
    right: tuple[str, str],
    examples: int = 5,
) -> Comparison:
    """Compare two sources, each (name, SQL), inside `database` (opened read-only)."""
    import duckdb

    left_name, left_sql = left
    right_name, right_sql = right
    differs = " OR ".join(f"l.{c} IS DISTINCT FROM r.{c}" for c in VALUES)
    on = " AND ".join(f"l.{c} = r.{c}" for c in KEY)
    keys = ", ".join(f"coalesce(l.{c}, r.{c}) AS {c}" for c in KEY)
    sides = ", ".join(f"l.{c} AS left_{c}, r.{c} AS right_{c}" for c in VALUES)
    query = f"""
        SELECT {keys}, l.contact_id IS NULL AS only_right, r.contact_id IS NULL AS only_left,
               {sides}
        FROM ({left_sql}) AS l FULL OUTER JOIN ({right_sql}) AS r ON {on}
        WHERE l.contact_id IS NULL OR r.contact_id IS NULL OR {differs}
        ORDER BY 1, 2
    """
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("SET enable_progress_bar = false")
        left_rows = con.execute(f"SELECT count(*) FROM ({left_sql})").fetchone()[0]
        right_rows = con.execute(f"SELECT count(*) FROM ({right_sql})").fetchone()[0]
        mismatches = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        cursor = con.execute(f"{query} LIMIT {int(examples)}")
        names = [d[0] for d in cursor.description]
        found = []
        for row in cursor.fetchall():
            record = dict(zip(names, row, strict=True))
            example: dict[str, object] = {c: record[c] for c in KEY}
            if record["only_left"]:
                example["only in"] = left_name
            elif record["only_right"]:
                example["only in"] = right_name
            else:
                for column in VALUES:
                    a, b = record[f"left_{column}"], record[f"right_{column}"]
                    if a != b:
                        example[column] = f"{left_name} {a} / {right_name} {b}"
            found.append(example)
    return Comparison(left_name, right_name, left_rows, right_rows, mismatches, found)
