"""``leadscoring calibration-report``: a calibration as one self-contained HTML page.

Reads the folder ``leadscoring calibrate`` writes (evaluation.json and calibration.json,
required; diff.csv, distribution.csv and contributions.csv; bias.csv and bias_rules.csv
when present) and renders one HTML file for people who would rather look than read:
headline figures, the score distribution, the conversion rate per band, the cumulative
gains, the calibration of the regression's probability, the rules that give the most
points, what the proposal changes, the criteria with too little evidence, the bias check
and the notes.

The page is self-contained: no script, no external stylesheet, font or image (a
Content-Security-Policy forbids them). Charts are inline ``<svg data-chart="NAME">``
elements whose plotted marks are ``<rect>``, ``<path>`` and ``<circle>`` elements (axes,
grid lines and zones are ``<line>`` and ``<polygon>``, labels ``<text>``). Every text
read from the folder goes through :func:`html.escape`: data never becomes markup.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_FOLDER = Path("target/calibration")
REPORT_NAME = "report.html"
REQUIRED = ("evaluation.json", "calibration.json")
SCORINGS = ("current", "proposed", "regression")

# The colour of each scoring, the same in every chart and legend.
COLOURS = {"current": "#64748b", "proposed": "#2563eb", "regression": "#ea580c"}
LABELS = {
    "current": "Current point table",
    "proposed": "Proposed point table",
    "regression": "Regression (probability)",
}
CONTACTS_COLOUR = "#bfdbfe"
CONVERTED_COLOUR = "#1d4ed8"
PREDICTED_COLOUR = "#fdba74"
OBSERVED_COLOUR = "#c2410c"
POSITIVE_COLOUR = "#2563eb"
NEGATIVE_COLOUR = "#dc2626"
FLAGGED_COLOUR = "#dc2626"
UNFLAGGED_COLOUR = "#64748b"
GRID_COLOUR = "#e5e7eb"
AXIS_COLOUR = "#9ca3af"
TOP_RULES = 12
NONE = "\u2013"  # en dash: no value
MINUS = "\u2212"  # typographic minus
TIMES = "\u00d7"  # multiplication sign: 3.28 times
DEFAULT_BIAS_MAX_RATIO = 1.25  # var lead_scoring__bias_max_ratio's default
SENSITIVE_BADGE = ' <span class="badge">sensitive</span>'


class ReportError(Exception):
    """The folder cannot be rendered (missing, or without what calibrate writes)."""


# --------------------------------------------------------------------------- formatting


def esc(value: object) -> str:
    """Text from the data, safe in element content and in quoted attributes."""
    return "" if value is None else html.escape(str(value), quote=True)


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal: 0.2323 -> 23.2%."""
    return NONE if value is None else f"{value * 100:.1f}%"


def auc(value: float | None) -> str:
    """An AUC with three decimals."""
    return NONE if value is None else f"{value:.3f}"


def count(value: float | None) -> str:
    """A number of contacts: 1370 -> 1,370."""
    return NONE if value is None else f"{round(value):,}"


def number(value: float | None, decimals: int = 2) -> str:
    """A number without trailing zeros: 12.50 -> 12.5, 8620.0 -> 8,620."""
    if value is None:
        return NONE
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def points(value: float | None) -> str:
    """Points with their sign: 4 -> +4, -15 -> -15 (with a typographic minus)."""
    if value is None:
        return NONE
    text = number(abs(value))
    return "0" if value == 0 else ("+" if value > 0 else MINUS) + text


def lift(value: float | None) -> str:
    """A lift as a multiple: 3.2847 -> 3.28 times."""
    return NONE if value is None else f"{value:.2f}{TIMES}"


def _c(value: float) -> str:
    """An SVG coordinate."""
    return f"{value:.1f}"


def _float(value: object) -> float | None:
    """A number from a CSV cell or JSON value; None when empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    if not text:
        return None
    try:
        result = float(text)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in {"true", "t", "1", "yes", "y"}


# --------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    """What the report reads; None for an optional file the folder does not hold."""

    folder: Path
    evaluation: dict[str, Any]
    calibration: dict[str, Any]
    diff: list[dict[str, str]] | None
    distribution: list[dict[str, str]] | None
    contributions: list[dict[str, str]] | None
    bias: list[dict[str, str]] | None
    bias_rules: list[dict[str, str]] | None

    @property
    def score_model(self) -> str:
        return str((self.calibration.get("options") or {}).get("score_model") or "default")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ReportError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(payload, dict):
        raise ReportError(f"{path} does not hold a JSON object")
    return payload


def _read_csv(path: Path) -> list[dict[str, str]] | None:
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {k: (v or "") for k, v in row.items() if k is not None}
            for row in csv.DictReader(handle)
        ]


def load(folder: Path) -> Inputs:
    """Read a calibration folder; :class:`ReportError` when it lacks a required file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(
            f"{folder} is not a folder. Run `leadscoring calibrate --out {folder}` first."
        )
    for name in REQUIRED:
        if not (folder / name).is_file():
            raise ReportError(
                f"{folder / name} not found: not a calibration folder. "
                f"Run `leadscoring calibrate --out {folder}` first."
            )
    return Inputs(
        folder=folder,
        evaluation=_read_json(folder / "evaluation.json"),
        calibration=_read_json(folder / "calibration.json"),
        diff=_read_csv(folder / "diff.csv"),
        distribution=_read_csv(folder / "distribution.csv"),
        contributions=_read_csv(folder / "contributions.csv"),
        bias=_read_csv(folder / "bias.csv"),
        bias_rules=_read_csv(folder / "bias_rules.csv"),
    )


def _scoring(inputs: Inputs, key: str) -> dict[str, Any]:
    value = inputs.evaluation.get(key)
    return value if isinstance(value, dict) else {}


def _absent(name: str, what: str) -> str:
    return f'<p class="absent">No {what} in this folder ({esc(name)} is absent).</p>'


# --------------------------------------------------------------------------- charts


def _nice_step(span: float, target: int) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about ``target`` steps."""
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis_top(value: float, target: int = 4) -> tuple[float, float]:
    """The top of an axis from zero to at least ``value``, and its tick step."""
    step = _nice_step(value, target) if value > 0 else 1.0
    return max(step, math.ceil(value / step - 1e-9) * step), step


def _svg(chart: str, width: int, height: int, body: Iterable[str], label: str, **data: str) -> str:
    extra = "".join(f' data-{k.replace("_", "-")}="{esc(v)}"' for k, v in data.items())
    return (
        f'<svg data-chart="{esc(chart)}"{extra} viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{esc(label)}">'
        f"<title>{esc(label)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_c(x)}" y="{_c(y)}" text-anchor="{anchor}"{klass}>{esc(text)}</text>'


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str = GRID_COLOUR, dash: str = ""
) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_c(x1)}" y1="{_c(y1)}" x2="{_c(x2)}" y2="{_c(y2)}" '
        f'stroke="{colour}" stroke-width="1"{dashed}/>'
    )


def _y_grid(
    left: float, right: float, top: float, bottom: float, y_max: float, step: float, fmt
) -> list[str]:
    """Horizontal grid lines with their labels, from 0 to y_max."""
    parts = []
    ticks = round(y_max / step)
    for i in range(ticks + 1):
        value = i * step
        y = bottom - (bottom - top) * value / y_max
        parts.append(_line(left, y, right, y, AXIS_COLOUR if i == 0 else GRID_COLOUR))
        parts.append(_text(left - 6, y + 4, fmt(value), "end", "tick"))
    return parts


def _legend(items: Sequence[tuple[str, str]], dashed: Sequence[str] = ()) -> str:
    spans = []
    for colour, label in items:
        style = (
            f"border-top:2px dashed {colour};height:0;background:none"
            if label in dashed
            else f"background:{colour}"
        )
        spans.append(
            f'<span class="key"><span class="swatch" style="{style}"></span>{esc(label)}</span>'
        )
    return f'<div class="legend">{"".join(spans)}</div>'


# --------------------------------------------------------------------------- sections


def section_header(inputs: Inputs) -> str:
    options = inputs.calibration.get("options") or {}
    current = _scoring(inputs, "current")
    contacts, converted = _float(current.get("contacts")), _float(current.get("converted"))
    rate = converted / contacts if contacts and converted is not None else None
    facts = [
        f"Score model <strong>{esc(inputs.score_model)}</strong>",
        f"measured on the <strong>{esc(inputs.evaluation.get('split', 'test'))}</strong> contacts: "
        f"{count(contacts)} contacts, {count(converted)} converted ({pct(rate)})",
        f"cutoff {esc(options.get('cutoff') or 'now')}",
    ]
    return (
        '<header><div class="wrap"><h1>Lead scoring calibration</h1>'
        f'<p class="meta">{" · ".join(facts)}</p>'
        f'<p class="meta">Folder: {esc(inputs.folder.resolve().name)}</p>'
        "</div></header>"
    )


NAV = (
    ("headline", "Headline"),
    ("distribution", "Scores"),
    ("bands", "Bands"),
    ("gains", "Gains"),
    ("calibration", "Probability"),
    ("contributions", "Top rules"),
    ("diff", "Changes"),
    ("evidence", "Little evidence"),
    ("bias", "Bias check"),
    ("notes", "Notes"),
)


def _section(anchor: str, title: str, explain: str, body: str) -> str:
    intro = f'<p class="explain">{explain}</p>' if explain else ""
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{intro}{body}</section>'


def section_headline(inputs: Inputs) -> str:
    aucs = {key: _float(_scoring(inputs, key).get("auc")) for key in SCORINGS}
    cards = []
    for key in SCORINGS:
        scoring = _scoring(inputs, key)
        if not scoring:
            continue
        cards.append(
            f'<div class="card" style="border-top-color:{COLOURS[key]}">'
            f'<div class="card-label">{esc(LABELS[key])}</div>'
            f'<div class="big" data-figure="auc-{key}">{auc(aucs[key])}</div>'
            f'<div class="sub">AUC · {esc(scoring.get("name", ""))}</div></div>'
        )
    mql_cards = []
    for key in ("current", "proposed"):
        mql = _scoring(inputs, key).get("mql")
        if not isinstance(mql, dict):
            continue
        mql_cards.append(
            f'<div class="card" style="border-top-color:{COLOURS[key]}">'
            f'<div class="card-label">{esc(LABELS[key])}: MQLs (score ≥ '
            f"{number(_float(mql.get('threshold')))})</div>"
            '<div class="pair">'
            f'<div><div class="big" data-figure="precision-{key}">'
            f"{pct(_float(mql.get('precision')))}</div>"
            '<div class="sub">precision: of the MQLs, converted</div></div>'
            f'<div><div class="big" data-figure="recall-{key}">'
            f"{pct(_float(mql.get('recall')))}</div>"
            '<div class="sub">recall: of the conversions, were MQLs</div></div>'
            f'</div><div class="sub">{count(_float(mql.get("contacts")))} MQLs</div></div>'
        )
    return _section(
        "headline",
        "Headline figures",
        _verdict(aucs)
        + " <br>AUC is the chance that a contact who converted scores above one who did not: "
        "0.5 is a coin toss, 1.0 a perfect ranking.",
        f'<div class="cards">{"".join(cards)}</div>'
        + (f'<div class="cards two">{"".join(mql_cards)}</div>' if mql_cards else ""),
    )


def _verdict(aucs: dict[str, float | None]) -> str:
    current, proposed = aucs.get("current"), aucs.get("proposed")
    if current is None or proposed is None:
        return "The evaluation lacks the AUC of the current or the proposed point table."
    difference = proposed - current
    if difference > 0.005:
        how = "<strong>better</strong> than"
    elif difference < -0.005:
        how = "<strong>worse</strong> than"
    else:
        how = "about as well as"
    return (
        f"On contacts the calibration did not learn from, the proposed point table ranks "
        f"them {how} the current one (AUC {auc(proposed)} vs {auc(current)})."
    )


def _histogram(
    model: str, rows: list[tuple[float, float, float]], thresholds: dict[str, float]
) -> str:
    width, height = 330, 210
    left, right, top, bottom = 44, 10, 16, height - 34
    scores = [score for score, _, _ in rows]
    low, high = min(scores), max(scores)
    step = _nice_step(high - low, 14) if high > low else 1.0
    start = math.floor(low / step) * step
    bins = int((high - start) // step) + 1
    contacts = [0.0] * bins
    converted = [0.0] * bins
    for score, n, c in rows:
        index = min(bins - 1, max(0, int((score - start) // step)))
        contacts[index] += n
        converted[index] += c
    y_max, y_step = _axis_top(max(contacts))
    plot_width, plot_height = width - left - right, bottom - top
    bar = plot_width / bins
    parts = _y_grid(left, width - right, top, bottom, y_max, y_step, count)
    for i in range(bins):
        lo, hi = start + i * step, start + (i + 1) * step
        x = left + i * bar
        for series, value, colour in (
            ("contacts", contacts[i], CONTACTS_COLOUR),
            ("converted", converted[i], CONVERTED_COLOUR),
        ):
            if value <= 0:
                continue
            h = plot_height * value / y_max
            parts.append(
                f'<rect x="{_c(x + 1)}" y="{_c(bottom - h)}" width="{_c(max(bar - 2, 1))}" '
                f'height="{_c(h)}" fill="{colour}" data-series="{series}" '
                f'data-{series}="{number(value)}"><title>{number(lo)} to {number(hi)} points: '
                f"{count(value)} {series}</title></rect>"
            )
    label_every = max(1, math.ceil(bins / 6))
    for i in range(0, bins + 1, label_every):
        parts.append(_text(left + i * bar, bottom + 15, number(start + i * step), cls="tick"))
    for band, minimum in sorted(thresholds.items(), key=lambda item: item[1]):
        if minimum <= start or minimum >= start + bins * step:
            continue
        x = left + plot_width * (minimum - start) / (bins * step)
        parts.append(_line(x, top, x, bottom, "#6b7280", "3 3"))
        parts.append(
            f'<text transform="translate({_c(x + 3)} {top}) rotate(90)" class="band-label">'
            f"{esc(band)}</text>"
        )
    parts.append(_text(left + plot_width / 2, height - 3, "score", cls="axis-label"))
    return _svg(
        "distribution",
        width,
        height,
        parts,
        f"Distribution of the current scores of score model {model}",
        score_model=model,
    )


def section_distribution(inputs: Inputs) -> str:
    title = "Score distribution per score model"
    if inputs.distribution is None:
        return _section(
            "distribution", title, "", _absent("distribution.csv", "score distribution")
        )
    by_model: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    bands: dict[str, dict[tuple[float, str], float]] = defaultdict(lambda: defaultdict(float))
    splits = set()
    for row in inputs.distribution:
        score, n = _float(row.get("total_score")), _float(row.get("contacts"))
        if score is None or not n:
            continue
        model = row.get("score_model", "")
        by_model[model].append((score, n, _float(row.get("converted")) or 0.0))
        rank = _float(row.get("score_band_rank"))
        bands[model][(rank if rank is not None else math.inf, row.get("score_band", ""))] += n
        splits.add(row.get("split", ""))
    if not by_model:
        return _section(
            "distribution", title, "", '<p class="absent">distribution.csv holds no scores.</p>'
        )
    current_bands = _scoring(inputs, "current").get("bands") or []
    thresholds = {
        str(b.get("band")): _float(b.get("min_score")) or 0.0
        for b in current_bands
        if isinstance(b, dict)
    }
    charts = []
    for model in sorted(by_model, key=lambda m: (m != inputs.score_model, m)):
        rows = by_model[model]
        total = sum(n for _, n, _ in rows)
        converted = sum(c for _, _, c in rows)
        band_text = " · ".join(
            f"{esc(band)} {pct(n / total)}" for (_, band), n in sorted(bands[model].items())
        )
        charts.append(
            '<figure class="small">'
            f"<figcaption><strong>{esc(model)}</strong> · {count(total)} contacts, "
            f"{pct(converted / total)} converted</figcaption>"
            + _histogram(model, rows, thresholds if model == inputs.score_model else {})
            + f'<div class="sub">{band_text}</div></figure>'
        )
    which = " and ".join(sorted(esc(s) for s in splits if s)) or "all"
    return _section(
        "distribution",
        title,
        f"How many contacts have each current score ({which} contacts of the calibration), "
        f"and how many of them converted. Dashed lines: the band thresholds of "
        f"{esc(inputs.score_model)}.",
        _legend([(CONTACTS_COLOUR, "contacts"), (CONVERTED_COLOUR, "converted")])
        + f'<div class="grid3">{"".join(charts)}</div>',
    )


def section_bands(inputs: Inputs) -> str:
    title = "Conversion rate by band"
    series = {
        key: [b for b in (_scoring(inputs, key).get("bands") or []) if isinstance(b, dict)]
        for key in ("current", "proposed")
    }
    if not any(series.values()):
        return _section("bands", title, "", '<p class="absent">The evaluation has no bands.</p>')
    order: list[str] = []
    for key in ("current", "proposed"):
        for band in sorted(series[key], key=lambda b: _float(b.get("min_score")) or 0.0):
            if str(band.get("band")) not in order:
                order.append(str(band.get("band")))
    cells = {key: {str(b.get("band")): b for b in series[key]} for key in series}
    width, height = 1000, 320
    left, right, top, bottom = 56, 10, 24, height - 62
    rates = [_float(b.get("conversion_rate")) or 0.0 for key in series for b in series[key]]
    y_max, y_step = _axis_top(max(rates) if rates else 0.0)
    parts = _y_grid(left, width - right, top, bottom, y_max, y_step, lambda v: f"{v * 100:.0f}%")
    group = (width - left - right) / len(order)
    bar = min(70.0, group * 0.32)
    for i, band in enumerate(order):
        centre = left + group * (i + 0.5)
        for j, key in enumerate(("current", "proposed")):
            cell = cells[key].get(band)
            if cell is None:
                continue
            rate = _float(cell.get("conversion_rate")) or 0.0
            h = (bottom - top) * rate / y_max
            x = centre - bar - 3 if j == 0 else centre + 3
            parts.append(
                f'<rect x="{_c(x)}" y="{_c(bottom - h)}" width="{_c(bar)}" height="{_c(h)}" '
                f'fill="{COLOURS[key]}" data-series="{key}" data-band="{esc(band)}" '
                f'data-rate="{rate:.6f}"><title>{esc(LABELS[key])}, {esc(band)}: '
                f"{pct(rate)} of {count(_float(cell.get('contacts')))} converted</title></rect>"
            )
            parts.append(_text(x + bar / 2, bottom - h - 5, pct(rate), cls="value"))
        parts.append(_text(centre, bottom + 18, band, cls="band-name"))
        limits = " · ".join(
            f"{'now' if key == 'current' else 'new'} "
            f"≥{number(_float(cells[key][band].get('min_score')))}"
            for key in ("current", "proposed")
            if band in cells[key]
        )
        parts.append(_text(centre, bottom + 34, limits, cls="tick"))
        sizes = " · ".join(
            count(_float(cells[key][band].get("contacts")))
            for key in ("current", "proposed")
            if band in cells[key]
        )
        parts.append(_text(centre, bottom + 49, f"contacts {sizes}", cls="tick"))
    chart = _svg("bands", width, height, parts, "Conversion rate by band, current vs proposed")
    return _section(
        "bands",
        title,
        "The share of contacts in each band who converted. A good point table climbs from "
        "cold to SQL. Under each band: its threshold now and in the proposal, and how many "
        "contacts it holds in each.",
        _legend(
            [(COLOURS["current"], LABELS["current"]), (COLOURS["proposed"], LABELS["proposed"])]
        )
        + chart,
    )


def _deciles(inputs: Inputs, key: str) -> list[dict[str, Any]]:
    deciles = _scoring(inputs, key).get("deciles") or []
    return sorted(
        (d for d in deciles if isinstance(d, dict)), key=lambda d: _float(d.get("decile")) or 0.0
    )


def section_gains(inputs: Inputs) -> str:
    title = "Cumulative gains"
    width, height = 560, 400
    left, right, top, bottom = 56, 16, 16, height - 46
    size_x, size_y = width - left - right, bottom - top
    parts: list[str] = []
    for i in range(0, 11, 2):
        x = left + size_x * i / 10
        y = bottom - size_y * i / 10
        parts.append(_line(x, top, x, bottom, AXIS_COLOUR if i == 0 else GRID_COLOUR))
        parts.append(_line(left, y, width - right, y, AXIS_COLOUR if i == 0 else GRID_COLOUR))
        parts.append(_text(x, bottom + 16, f"{i * 10}%", cls="tick"))
        parts.append(_text(left - 6, y + 4, f"{i * 10}%", "end", "tick"))
    parts.append(
        _text(
            left + size_x / 2, height - 8, "share of contacts, best scored first", cls="axis-label"
        )
    )
    parts.append(
        f'<text transform="translate(14 {_c(top + size_y / 2)}) rotate(-90)" '
        'text-anchor="middle" class="axis-label">share of all conversions</text>'
    )
    parts.append(
        f'<path d="M{_c(left)} {_c(bottom)} L{_c(left + size_x)} {_c(top)}" fill="none" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1.5" stroke-dasharray="6 5" data-series="random">'
        "<title>random order</title></path>"
    )
    table_rows = []
    present = []
    for key in SCORINGS:
        deciles = _deciles(inputs, key)
        if not deciles:
            continue
        present.append(key)
        n = len(deciles)
        points_ = [(0.0, 0.0)] + [
            ((i + 1) / n, _float(d.get("cumulative_gain")) or 0.0) for i, d in enumerate(deciles)
        ]
        d_attr = " ".join(
            f"{'M' if i == 0 else 'L'}{_c(left + size_x * x)} {_c(bottom - size_y * y)}"
            for i, (x, y) in enumerate(points_)
        )
        parts.append(
            f'<path d="{d_attr}" fill="none" stroke="{COLOURS[key]}" stroke-width="2.5" '
            f'stroke-linejoin="round" data-series="{key}"><title>{esc(LABELS[key])}</title></path>'
        )
        gains = {round(x * 100): y for x, y in points_}
        table_rows.append(
            f'<tr><td><span class="swatch" style="background:{COLOURS[key]}"></span>'
            f"{esc(LABELS[key])}</td>"
            + "".join(f'<td class="num">{pct(gains.get(share))}</td>' for share in (10, 20, 30, 50))
            + "</tr>"
        )
    if not present:
        return _section("gains", title, "", '<p class="absent">The evaluation has no deciles.</p>')
    chart = _svg(
        "gains", width, height, parts, "Cumulative gains: current, proposed, regression, random"
    )
    table = (
        '<table class="compact"><thead><tr><th>Conversions reached by calling the top…</th>'
        '<th class="num">10%</th><th class="num">20%</th><th class="num">30%</th>'
        '<th class="num">50%</th></tr></thead><tbody>' + "".join(table_rows) + "</tbody></table>"
    )
    return _section(
        "gains",
        title,
        "Call the contacts from the highest score down: how much of all conversions have you "
        "reached after each share of them? The higher the curve, the better; the dashed "
        "diagonal is calling in random order.",
        _legend(
            [(COLOURS[k], LABELS[k]) for k in present] + [(AXIS_COLOUR, "random order")],
            dashed=("random order",),
        )
        + f'<div class="side">{chart}<div>{table}</div></div>',
    )


def section_calibration(inputs: Inputs) -> str:
    title = "Calibration of the probability"
    deciles = _deciles(inputs, "regression")
    if not deciles:
        return _section(
            "calibration", title, "", '<p class="absent">The evaluation has no regression.</p>'
        )
    width, height = 1000, 290
    left, right, top, bottom = 56, 10, 24, height - 40
    values = [
        (
            _float(d.get("mean_predicted")) or 0.0,
            _float(d.get("conversion_rate")) or 0.0,
            _float(d.get("contacts")) or 0.0,
        )
        for d in deciles
    ]
    y_max, y_step = _axis_top(max(max(p, o) for p, o, _ in values))
    parts = _y_grid(left, width - right, top, bottom, y_max, y_step, lambda v: f"{v * 100:.0f}%")
    group = (width - left - right) / len(values)
    bar = min(34.0, group * 0.34)
    for i, (predicted, observed, _) in enumerate(values):
        centre = left + group * (i + 0.5)
        for j, (series, value, colour) in enumerate(
            (("predicted", predicted, PREDICTED_COLOUR), ("observed", observed, OBSERVED_COLOUR))
        ):
            h = (bottom - top) * value / y_max
            x = centre - bar - 2 if j == 0 else centre + 2
            parts.append(
                f'<rect x="{_c(x)}" y="{_c(bottom - h)}" width="{_c(bar)}" height="{_c(h)}" '
                f'fill="{colour}" data-series="{series}" data-value="{value:.6f}">'
                f"<title>decile {i + 1}, {series}: {pct(value)}</title></rect>"
            )
            parts.append(_text(x + bar / 2, bottom - h - 5, pct(value), cls="value small"))
        parts.append(_text(centre, bottom + 16, f"{i + 1}", cls="tick"))
    parts.append(
        _text(
            left + (width - left - right) / 2,
            height - 6,
            "decile (1 = highest predicted probability)",
            cls="axis-label",
        )
    )
    chart = _svg(
        "calibration", width, height, parts, "Predicted vs observed conversion rate per decile"
    )
    contacts = sum(n for _, _, n in values)
    mean_predicted = sum(p * n for p, _, n in values) / contacts if contacts else None
    mean_observed = sum(o * n for _, o, n in values) / contacts if contacts else None
    summary = (
        f'<p>Over all {count(contacts)} contacts: predicted <strong data-figure="mean-predicted">'
        f'{pct(mean_predicted)}</strong>, observed <strong data-figure="mean-observed">'
        f"{pct(mean_observed)}</strong>.</p>"
    )
    return _section(
        "calibration",
        title,
        "The regression gives every contact a probability of converting. Contacts are split "
        "into ten groups of equal size by that probability; in each group, the average "
        "probability predicted beside the share that actually converted. Bars of the same "
        "height: the probability can be read as is.",
        _legend([(PREDICTED_COLOUR, "predicted"), (OBSERVED_COLOUR, "observed")]) + chart + summary,
    )


def _contribution_chart(model: str, rows: list[dict[str, str]]) -> str:
    items = [
        (row.get("rule_id", ""), row.get("rule_kind", ""), _float(row.get("total_points")) or 0.0,
         _float(row.get("contacts")) or 0.0)
        for row in rows
    ]  # fmt: skip
    items.sort(key=lambda item: (-abs(item[2]), item[0]))
    shown = items[:TOP_RULES]
    row_height = 26
    width, height = 1000, 24 + row_height * len(shown)
    label_width, value_width = 300, 220
    plot_left, plot_right = label_width, width - value_width
    largest_positive = max([p for _, _, p, _ in shown if p > 0] + [0.0])
    largest_negative = max([-p for _, _, p, _ in shown if p < 0] + [0.0])
    scale = (plot_right - plot_left) / ((largest_positive + largest_negative) or 1.0)
    zero = plot_left + largest_negative * scale
    parts = [_line(zero, 4, zero, height - 4, AXIS_COLOUR)]
    for i, (rule, kind, total, contacts) in enumerate(shown):
        y = 12 + i * row_height
        x = zero if total >= 0 else zero + total * scale
        w = max(abs(total) * scale, 1.0)
        colour = POSITIVE_COLOUR if total >= 0 else NEGATIVE_COLOUR
        shown_rule = rule if len(rule) <= 40 else rule[:39] + "…"
        parts.append(
            f'<text x="{_c(label_width - 10)}" y="{_c(y + 14)}" text-anchor="end" class="rule">'
            f'{esc(shown_rule)}<tspan class="kind"> {esc(kind)}</tspan>'
            f"<title>{esc(rule)}</title></text>"
        )
        parts.append(
            f'<rect x="{_c(x)}" y="{_c(y)}" width="{_c(w)}" height="{row_height - 8}" rx="2" '
            f'fill="{colour}" data-rule="{esc(rule)}" data-points="{number(total)}">'
            f"<title>{esc(rule)}: {number(total)} points to {count(contacts)} contacts</title>"
            "</rect>"
        )
        parts.append(
            _text(
                plot_right + 12,
                y + 14,
                f"{points(round(total))} pts · {count(contacts)} contacts",
                "start",
                "value",
            )
        )
    return _svg(
        "contributions",
        width,
        height,
        parts,
        f"Points given per rule, score model {model}",
        score_model=model,
    )


def section_contributions(inputs: Inputs) -> str:
    title = "Top rules by contribution"
    if inputs.contributions is None:
        return _section(
            "contributions", title, "", _absent("contributions.csv", "rule contributions")
        )
    by_model: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in inputs.contributions:
        by_model[row.get("score_model", "")].append(row)
    if not by_model:
        return _section(
            "contributions", title, "", '<p class="absent">contributions.csv holds no rules.</p>'
        )
    blocks = []
    for model in sorted(by_model, key=lambda m: (m != inputs.score_model, m)):
        rows = by_model[model]
        total = sum(abs(_float(r.get("total_points")) or 0.0) for r in rows)
        shown = sorted((abs(_float(r.get("total_points")) or 0.0) for r in rows), reverse=True)[
            :TOP_RULES
        ]
        others = len(rows) - len(shown)
        rest = (
            f"; the other {others} {'rule gives' if others == 1 else 'give'} "
            f"{pct(1 - sum(shown) / total) if total else NONE} of the points"
            if others
            else ""
        )
        blocks.append(
            f"<h3>{esc(model)}</h3>"
            f'<p class="sub">{len(shown)} of {len(rows)} rules, by points given{rest}.</p>'
            + _contribution_chart(model, rows)
        )
    return _section(
        "contributions",
        title,
        "What drives the current scores: the points each current rule gave, summed over all "
        "the contacts it applied to. Blue adds points, red takes them away.",
        "".join(blocks),
    )


CHANGE_TEXT = {
    "replaced": (
        "replaced",
        "The rule goes; the criteria in the last column score its attribute or events instead.",
    ),
    "removed": ("removed", "The rule goes and nothing replaces it."),
    "new": ("new", "Rules the proposal adds, with the points the calibration learned."),
}


def section_diff(inputs: Inputs) -> str:
    title = "Proposed vs current"
    if inputs.diff is None:
        return _section("diff", title, "", _absent("diff.csv", "list of changes"))
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in inputs.diff:
        groups[row.get("change", "")].append(row)
    if not groups:
        return _section("diff", title, "", "<p>The proposal changes no rule.</p>")
    order = [c for c in ("removed", "replaced", "new") if c in groups] + sorted(
        c for c in groups if c not in CHANGE_TEXT
    )
    chips = "".join(
        f'<span class="chip change-{esc(c)}"><strong data-figure="changes-{esc(c)}">'
        f"{len(groups[c])}</strong> {esc(CHANGE_TEXT.get(c, (c, ''))[0])}</span>"
        for c in order
    )
    blocks = []
    for change in order:
        rows = groups[change]
        label, explain = CHANGE_TEXT.get(change, (change, ""))
        if change == "new":  # the largest points first
            rows = sorted(rows, key=lambda r: -abs(_float(r.get("new_points")) or 0.0))
        body = "".join(_diff_row(row) for row in rows)
        blocks.append(
            f"<details{' open' if len(rows) <= 15 else ''}><summary>{len(rows)} {esc(label)}"
            f' <span class="sub">{esc(explain)}</span></summary>'
            f'<div class="scroll"><table class="diff">{DIFF_COLUMNS}'
            "<thead><tr><th>Rule (table)</th>"
            '<th class="num">Points now</th><th class="num">Proposed</th>'
            '<th class="num">Contacts</th><th class="num">Converted with</th>'
            '<th class="num">without</th><th class="num">Lift</th><th>Note</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div></details>"
        )
    return _section(
        "diff",
        title,
        "What adopting the proposal changes in the point tables. <em>Converted with</em> "
        "and <em>without</em>: the conversion rate of contacts who meet the rule and of those "
        "who do not; <em>lift</em>: how many times more likely they convert than average.",
        f'<p class="chips">{chips}</p>' + "".join(blocks),
    )


DIFF_COLUMNS = (
    "<colgroup>"
    + "".join(f'<col style="width:{w}%">' for w in (23, 7, 9, 9, 9, 8, 7, 28))
    + "</colgroup>"
)


def _diff_row(row: dict[str, str]) -> str:
    old, new = _float(row.get("old_points")), _float(row.get("new_points"))
    return (
        f'<tr data-change="{esc(row.get("change", ""))}">'
        f'<td><span class="mono">{esc(row.get("rule_id", ""))}</span>'
        f'<div class="sub">{esc(row.get("table", ""))}</div></td>'
        f'<td class="num">{points(old) if old is not None else "—"}</td>'
        f'<td class="num strong">{points(new) if new is not None else "—"}</td>'
        f'<td class="num">{count(_float(row.get("contacts_with")))}</td>'
        f'<td class="num">{pct(_float(row.get("rate_with")))}</td>'
        f'<td class="num">{pct(_float(row.get("rate_without")))}</td>'
        f'<td class="num">{lift(_float(row.get("lift")))}</td>'
        f'<td class="note">{esc(row.get("note", ""))}</td></tr>'
    )


def section_evidence(inputs: Inputs) -> str:
    title = "Criteria with too little evidence"
    criteria = [c for c in inputs.calibration.get("criteria") or [] if isinstance(c, dict)]
    candidates = [c for c in criteria if c.get("kind") != "rule"]
    thin = [c for c in candidates if not c.get("eligible")]
    weighed = len(candidates) - len(thin)
    lead = (
        f'<p><strong class="figure-inline" data-figure="thin-count">{len(thin)}</strong> of '
        f"{len(candidates)} criteria had too little evidence to be weighed ({weighed} were "
        "weighed). The proposal gives them no points; more contacts, or a longer window, may "
        "change that.</p>"
    )
    if not thin:
        return _section("evidence", title, "", lead)
    rows = "".join(
        f"<tr><td>{esc(c.get('label', ''))}</td><td>{esc(c.get('kind', ''))}</td>"
        f'<td class="num">{count(_float(c.get("contacts")))}</td>'
        f'<td class="num">{count(_float(c.get("converted")))}</td>'
        f"<td>{esc(c.get('reason', ''))}</td></tr>"
        for c in sorted(thin, key=lambda c: str(c.get("label", "")))
    )
    return _section(
        "evidence",
        title,
        "",
        lead + f"<details><summary>Show the {len(thin)} criteria</summary>"
        '<div class="scroll"><table><thead><tr><th>Criterion</th><th>Kind</th>'
        '<th class="num">Contacts</th><th class="num">Converted</th><th>Why</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></details>",
    )


def _bias_chart(model: str, rows: list[dict[str, str]]) -> str:
    ratios = [_float(r.get("mql_rate_ratio")) for r in rows]
    limits = [_float(r.get("max_ratio")) for r in rows]
    max_ratio = next((v for v in limits if v and v > 1), DEFAULT_BIAS_MAX_RATIO)
    x_max = max([2.0, max_ratio * 1.2] + [r * 1.1 for r in ratios if r is not None])
    row_height = 22
    width, height = 1000, 44 + row_height * len(rows)
    left, right, top = 300, 30, 12
    bottom = height - 28
    scale = (width - left - right) / x_max
    low, high = _c(left + scale / max_ratio), _c(left + scale * max_ratio)
    parts = [
        f'<polygon points="{low},{top} {high},{top} {high},{_c(bottom)} {low},{_c(bottom)}" '
        'fill="#dcfce7"/>'
    ]
    step = _nice_step(x_max, 8)
    for i in range(int(x_max / step) + 1):
        x = left + scale * i * step
        parts.append(_line(x, top, x, bottom, AXIS_COLOUR if i == 0 else GRID_COLOUR))
        parts.append(_text(x, bottom + 16, f"{number(i * step)}{TIMES}", cls="tick"))
    x_one = left + scale
    parts.append(_line(x_one, top, x_one, bottom, "#15803d", "4 3"))
    for i, (row, ratio) in enumerate(zip(rows, ratios, strict=True)):
        y = top + 10 + i * row_height
        label = f"{row.get('attribute', '')} = {row.get('attribute_value', '')}"
        sensitive = " (sensitive)" if _truthy(row.get("is_sensitive")) else ""
        parts.append(_text(left - 10, y + 4, label + sensitive, "end", "rule"))
        if ratio is None:
            parts.append(_text(left + 6, y + 4, "no MQL at all", "start", "tick"))
            continue
        flagged = _truthy(row.get("is_flagged"))
        parts.append(
            f'<circle cx="{_c(left + scale * ratio)}" cy="{_c(y)}" r="6" '
            f'fill="{FLAGGED_COLOUR if flagged else UNFLAGGED_COLOUR}" '
            f'data-flagged="{"true" if flagged else "false"}"><title>{esc(label)}: MQL rate '
            f"{number(ratio)}{TIMES} the overall rate</title></circle>"
        )
    return _svg(
        "bias",
        width,
        height,
        parts,
        f"MQL rate of each group vs all contacts, score model {model}",
        score_model=model,
    )


def _average_score(row: dict[str, str]) -> float | None:
    # bias.csv says avg_score; model lead_scoring__bias_check calls it avg_total_score.
    return _float(row.get("avg_score") or row.get("avg_total_score"))


def section_bias(inputs: Inputs) -> str:
    title = "Bias check"
    if inputs.bias is None:
        return _section("bias", title, "", _absent("bias.csv", "bias check"))
    by_model: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in inputs.bias:
        by_model[row.get("score_model", "")].append(row)
    flagged = [r for r in inputs.bias if _truthy(r.get("is_flagged"))]
    lead = (
        f'<p><strong class="figure-inline" data-figure="bias-flagged">{len(flagged)}</strong> of '
        f"{len(inputs.bias)} groups flagged: their share of MQLs is far from that of all "
        "contacts (outside the green zone). Small groups vary by chance: read the flag with "
        "the number of contacts.</p>"
    )
    blocks = []
    for model in sorted(by_model, key=lambda m: (m != inputs.score_model, m)):
        rows = sorted(
            by_model[model], key=lambda r: (r.get("attribute", ""), r.get("attribute_value", ""))
        )
        table = "".join(
            f'<tr class="{"flagged" if _truthy(r.get("is_flagged")) else ""}">'
            f"<td>{esc(r.get('attribute', ''))}"
            f"{SENSITIVE_BADGE if _truthy(r.get('is_sensitive')) else ''}</td>"
            f"<td>{esc(r.get('attribute_value', ''))}</td>"
            f'<td class="num">{count(_float(r.get("contacts")))}</td>'
            f'<td class="num">{number(_average_score(r), 1)}</td>'
            f'<td class="num">{pct(_float(r.get("mql_rate")))}</td>'
            f'<td class="num">{pct(_float(r.get("overall_mql_rate")))}</td>'
            f'<td class="num">{lift(_float(r.get("mql_rate_ratio")))}</td>'
            f"<td>{'flagged' if _truthy(r.get('is_flagged')) else ''}</td></tr>"
            for r in rows
        )
        blocks.append(
            f"<h3>{esc(model)}</h3>"
            + _bias_chart(model, rows)
            + '<details><summary>The figures</summary><div class="scroll"><table><thead><tr>'
            '<th>Attribute</th><th>Value</th><th class="num">Contacts</th>'
            '<th class="num">Avg score</th><th class="num">MQL rate</th>'
            '<th class="num">Overall</th><th class="num">Ratio</th><th>Flag</th></tr></thead>'
            f"<tbody>{table}</tbody></table></div></details>"
        )
    return _section(
        "bias",
        title,
        "Does the current score favour or disfavour a group of contacts? Each dot: a group's "
        f"share of MQLs divided by the share of all contacts (1{TIMES} = the same).",
        lead + "".join(blocks) + _bias_rules(inputs),
    )


def _bias_rules(inputs: Inputs) -> str:
    if inputs.bias_rules is None:
        return _absent("bias_rules.csv", "list of rules on sensitive attributes")
    if not inputs.bias_rules:
        return "<p>No rule scores a sensitive attribute directly.</p>"
    items = "".join(
        f'<li><span class="mono">{esc(r.get("rule_id", ""))}</span> '
        f"({esc(r.get('score_model', ''))}) "
        f"scores <strong>{esc(r.get('attribute', ''))}</strong>: "
        f"{points(_float(r.get('points')))} points</li>"
        for r in inputs.bias_rules
    )
    return (
        f'<div class="warning"><p><strong>{len(inputs.bias_rules)} '
        f"{'rule scores' if len(inputs.bias_rules) == 1 else 'rules score'} a sensitive "
        "attribute directly.</strong> That may be deliberate; it is a decision to review.</p>"
        f"<ul>{items}</ul></div>"
    )


OPTION_LABELS = (
    ("split", "Split"),
    ("test_percent", "Held out (%)"),
    ("seed", "Seed"),
    ("cutoff", "Cutoff"),
    ("outcome_window_days", "Outcome window (days)"),
    ("event_window_days", "Event window (days)"),
    ("min_support", "Minimum contacts per criterion"),
    ("min_expected_conversions", "Minimum expected conversions"),
    ("points_to_double_odds", "Points that double the odds"),
    ("regularisation", "Regularisation (C)"),
)


def _option(value: object) -> object:
    return "—" if value is None or value == {} else value


def section_notes(inputs: Inputs) -> str:
    notes = [n for n in inputs.calibration.get("notes") or [] if n is not None]
    body = (
        "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
        if notes
        else "<p>The calibration left no notes.</p>"
    )
    options = inputs.calibration.get("options") or {}
    totals = inputs.calibration.get("totals") or {}
    facts = [
        f"<dt>{esc(label)}</dt><dd>{esc(_option(options.get(key)))}</dd>"
        for key, label in OPTION_LABELS
        if key in options
    ]
    for split, value in totals.items():
        if isinstance(value, list) and len(value) == 2:
            facts.append(
                f"<dt>{esc(split).capitalize()} contacts</dt>"
                f"<dd>{count(_float(value[0]))} ({count(_float(value[1]))} converted)</dd>"
            )
    return _section(
        "notes",
        "Notes",
        "",
        body + (f"<h3>How this was computed</h3><dl>{''.join(facts)}</dl>" if facts else ""),
    )


# --------------------------------------------------------------------------- page

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6f8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui,
  -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { background: #0f172a; color: #f8fafc; padding: 26px 0 18px; }
header h1 { margin: 0 0 6px; font-size: 28px; font-weight: 650; letter-spacing: -0.01em; }
header .meta { margin: 2px 0; color: #cbd5e1; }
nav { position: sticky; top: 0; z-index: 1; background: #fff;
  border-bottom: 1px solid var(--line); }
nav .wrap { display: flex; flex-wrap: wrap; gap: 4px 18px; padding-top: 8px; padding-bottom: 8px; }
nav a { color: #334155; text-decoration: none; font-size: 14px; }
nav a:hover { color: #2563eb; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 20px 24px; margin: 18px 0; }
h2 { font-size: 20px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 18px 0 2px; }
.explain { color: var(--muted); margin: 0 0 14px; max-width: 860px; }
.sub { color: var(--muted); font-size: 13px; font-weight: normal; }
.absent { color: var(--muted); font-style: italic; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 14px;
  margin: 10px 0; }
.cards.two { grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
.card { border: 1px solid var(--line); border-top: 5px solid #94a3b8; border-radius: 8px;
  padding: 12px 16px; }
.card-label { font-weight: 600; font-size: 14px; }
.big { font-size: 34px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.pair { display: flex; gap: 28px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 4px 0 8px; font-size: 13px; }
.key { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 12px; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px; }
.key .swatch { margin-right: 0; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font-size: 12px; fill: #374151; }
svg .tick { fill: #6b7280; font-size: 11px; }
svg .axis-label { fill: #6b7280; font-size: 12px; }
svg .value { font-weight: 600; font-size: 12px; }
svg .value.small { font-size: 10px; }
svg .band-name { font-weight: 700; font-size: 14px; }
svg .band-label { fill: #4b5563; font-size: 10px; }
svg .rule { font-size: 12.5px; }
svg .kind { fill: #9ca3af; font-size: 11px; }
figure.small { margin: 0; }
figcaption { font-size: 14px; margin-bottom: 4px; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 18px; }
.side { display: grid; grid-template-columns: minmax(0, 560px) minmax(260px, 1fr); gap: 24px;
  align-items: center; }
@media (max-width: 900px) { .side { grid-template-columns: 1fr; } }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted);
  font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.strong { font-weight: 700; }
td.note { color: #4b5563; font-size: 12.5px; }
table.diff { table-layout: fixed; min-width: 900px; }
table.diff th.num { white-space: normal; }
table.diff td:first-child { overflow-wrap: anywhere; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 12.5px; }
.scroll { overflow-x: auto; }
details { margin: 10px 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
summary { cursor: pointer; font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; }
.chip { border-radius: 999px; padding: 3px 12px; background: #f1f5f9; font-size: 14px; }
.chip.change-new { background: #dbeafe; }
.chip.change-removed { background: #fee2e2; }
.chip.change-replaced { background: #fef3c7; }
.figure-inline { font-size: 20px; }
tr.flagged td { background: #fef2f2; }
.badge { background: #fde68a; border-radius: 4px; padding: 0 6px; font-size: 11px; }
.warning { background: #fffbeb; border: 1px solid #fcd34d; border-radius: 8px; padding: 4px 14px;
  margin-top: 14px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; font-size: 14px; }
dt { color: var(--muted); }
dd { margin: 0; }
footer { color: var(--muted); font-size: 12px; padding: 8px 0 28px; }
@media print { nav { display: none; } section { break-inside: avoid; border: none; } }
"""

SECTIONS = (
    section_headline,
    section_distribution,
    section_bands,
    section_gains,
    section_calibration,
    section_contributions,
    section_diff,
    section_evidence,
    section_bias,
    section_notes,
)


def render(folder: Path) -> str:
    """The HTML report of a calibration folder, as one self-contained page."""
    inputs = load(folder)
    nav = "".join(f'<a href="#{anchor}">{esc(label)}</a>' for anchor, label in NAV)
    body = "".join(section(inputs) for section in SECTIONS)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Lead scoring calibration · {esc(inputs.score_model)}</title>"
        f"<style>{CSS}</style></head><body>"
        + section_header(inputs)
        + f'<nav><div class="wrap">{nav}</div></nav>'
        + f'<main class="wrap">{body}</main>'
        + '<footer class="wrap">Written by <code>leadscoring calibration-report</code> from the '
        "files of <code>leadscoring calibrate</code>.</footer>" + "</body></html>\n"
    )


def write(folder: Path, out: Path) -> Path:
    """Render the report of ``folder`` into ``out`` (its folder is created); return ``out``."""
    text = render(folder)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


# --------------------------------------------------------------------------- command


def _run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.calibration / REPORT_NAME
    try:
        path = write(args.calibration, out)
    except ReportError as error:
        print(f"calibration-report: {error}", file=sys.stderr)
        return 1
    print(f"Calibration report: {path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibration-report`` subcommand."""
    parser = subparsers.add_parser(
        "calibration-report",
        help="write a calibration as one self-contained HTML page with charts",
        description=(
            "Render the folder `leadscoring calibrate` wrote as one HTML page to open in a "
            "browser or send by e-mail: AUC, MQL precision and recall, the score distribution, "
            "the conversion rate per band, the cumulative gains, the calibration of the "
            "probability, the rules that give the most points, what the proposal changes, the "
            "criteria with too little evidence, the bias check (when the folder has bias.csv) "
            "and the notes. The page needs no network: no script, no external file, charts "
            "as inline SVG."
        ),
    )
    parser.add_argument(
        "--calibration",
        type=Path,
        default=DEFAULT_FOLDER,
        metavar="DIR",
        help="the folder `leadscoring calibrate` wrote (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the HTML file to write (default: DIR/{REPORT_NAME})",
    )
    parser.set_defaults(handler=_run)
