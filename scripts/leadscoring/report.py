"""``leadscoring top``: a short report of the top leads in a built DuckDB file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

TOP_LEADS_SQL = """
select
    contact_id,
    coalesce(first_name || ' ' || last_name, first_name, last_name, email, '') as name,
    coalesce(job_title, '') as job_title,
    coalesce(company_name, '') as company,
    fit_points,
    engagement_points,
    negative_points,
    adjustment_points,
    total_score,
    score_band,
    score_matrix
from {schema}.lead_scoring__scores
where score_model = ?
order by total_score desc, contact_id
limit ?
"""

TRANSITIONS_SQL = """
select transitioned_on, direction, to_band, count(*) as contacts
from {schema}.lead_scoring__score_transitions
where
    score_model = ?
    and transitioned_on = (
        select max(transitioned_on) from {schema}.lead_scoring__score_transitions
        where score_model = ?
    )
group by transitioned_on, direction, to_band, to_band_rank
order by direction, to_band_rank desc
"""

BAND_COUNTS_SQL = """
select score_model, score_band, count(*) as contacts
from {schema}.lead_scoring__scores
group by score_model, score_band, score_band_rank
order by score_model, score_band_rank desc
"""


def _number(value: object) -> str:
    """Format a score without trailing zeros: 12.000000 -> 12, 2.5 -> 2.5."""
    text = f"{value:f}" if value is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """Render rows as an aligned plain-text table."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def top_leads_report(
    database: Path, score_model: str = "default", limit: int = 10, schema: str = "main"
) -> str:
    """Return the text report: contacts per band, then the `limit` best leads."""
    with duckdb.connect(str(database), read_only=True) as con:
        all_bands = con.execute(BAND_COUNTS_SQL.format(schema=schema)).fetchall()
        leads = con.execute(TOP_LEADS_SQL.format(schema=schema), [score_model, limit]).fetchall()
        as_of = con.execute(
            f"select max(as_of) from {schema}.lead_scoring__scores where score_model = ?",
            [score_model],
        ).fetchone()[0]
        has_transitions = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = 'lead_scoring__score_transitions'",
            [schema],
        ).fetchone()[0]
        transitions = (
            con.execute(
                TRANSITIONS_SQL.format(schema=schema), [score_model, score_model]
            ).fetchall()
            if has_transitions
            else []
        )
    by_model: dict[str, list[tuple[str, int]]] = {}
    for model, band, count in all_bands:
        by_model.setdefault(model, []).append((band, count))
    bands = by_model.get(score_model, [])
    total = sum(count for _, count in bands)
    lines = [
        f"Lead scores in {database} (score model '{score_model}', as of {as_of}): "
        f"{total:,} contacts",
        "  " + ", ".join(f"{band}: {count:,}" for band, count in bands),
    ]
    others = [model for model in by_model if model != score_model]
    if others:
        lines.append("Other score models (contacts they apply to):")
        for model in others:
            counts = by_model[model]
            lines.append(
                f"  {model}: {sum(c for _, c in counts):,} ("
                + ", ".join(f"{band}: {count:,}" for band, count in counts)
                + ")"
            )
    lines += _transition_lines(transitions, score_model)
    lines += [
        "",
        f"Top {len(leads)} leads ('{score_model}'; matrix: fit grade A-D, engagement 1-4):",
    ]
    rows = [
        [
            str(r[0]),
            r[1][:28],
            r[2][:30],
            r[3][:24],
            _number(r[4]),
            _number(r[5]),
            _number(r[6]),
            _number(r[7]),
            _number(r[8]),
            str(r[9]),
            str(r[10]),
        ]
        for r in leads
    ]
    headers = [
        "contact",
        "name",
        "job title",
        "company",
        "fit",
        "engagement",
        "negative",
        "floor/ceiling",
        "total",
        "band",
        "matrix",
    ]
    lines.append(_table(headers, rows, right={4, 5, 6, 7, 8}))
    lines.append("")
    lines.append(
        "Why a lead scored what it did: select * from lead_scoring__score_details "
        "where contact_id = '<contact>' order by score_model, points desc"
    )
    return "\n".join(lines)


def _transition_lines(transitions: list[tuple], score_model: str) -> list[str]:
    """One line on the band changes of the last day with any (lead_scoring__score_transitions)."""
    if not transitions:
        return []
    day = transitions[0][0]
    by_direction: dict[str, list[tuple[str, int]]] = {}
    for _, direction, to_band, count in transitions:
        by_direction.setdefault(direction, []).append((to_band, count))
    parts = []
    for direction in ("up", "down", "entered", "left"):
        counts = by_direction.get(direction)
        if not counts:
            continue
        total = sum(count for _, count in counts)
        if direction == "left":
            parts.append(f"{direction} {total:,}")
        else:
            into = ", ".join(f"{band}: {count:,}" for band, count in counts)
            parts.append(f"{direction} {total:,} (into {into})")
    return [
        f"Band changes on {day} ('{score_model}', lead_scoring__score_transitions): "
        + "; ".join(parts)
    ]


def _run(args: argparse.Namespace) -> int:
    database = Path(args.duckdb)
    if not database.exists():
        print(
            f"error: {database} does not exist. Fix: run `make demo` first, or pass "
            "--duckdb with the path of a built DuckDB file.",
            file=sys.stderr,
        )
        return 2
    try:
        print(top_leads_report(database, args.score_model, args.limit, args.schema))
    except duckdb.Error as error:
        print(
            f"error: could not read lead_scoring__scores from {database}: {error}. Fix: run "
            "`make demo` (or `dbt build`) to build the marts first.",
            file=sys.stderr,
        )
        return 2
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``top`` subcommand."""
    parser = subparsers.add_parser(
        "top",
        help="print the top leads of a built DuckDB file",
        description="Print how many contacts fall in each band and the best-scored leads.",
    )
    parser.add_argument(
        "--duckdb",
        default="lead_scoring.duckdb",
        help="the DuckDB file dbt built (default: %(default)s)",
    )
    parser.add_argument(
        "--score-model",
        default="default",
        help="which score model to report (default: %(default)s)",
    )
    parser.add_argument(
        "--schema", default="main", help="schema of the marts (default: %(default)s)"
    )
    parser.add_argument("--limit", type=int, default=10, help="how many leads (default: 10)")
    parser.set_defaults(handler=_run)
