"""Tests of ``leadscoring calibration-report``: the calibration as one HTML page.

The fixture calibration_sample/ is a trimmed copy of a real `leadscoring calibrate`
folder (see its README). The unit tests read the rendered HTML with the standard
library's parser; the browser tests open the written file in headless Chromium (Debian
package `chromium`, installed by `bash .ci/chromium.sh`), read back the DOM it built
and decode its screenshot (zlib and struct: no imaging library).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from leadscoring import html_report

FIXTURE = Path(__file__).parent / "calibration_sample"
MARKS = ("rect", "path", "circle")
CHROMIUM_FIX = "Install it with `bash .ci/chromium.sh` (apt package chromium, needs root)."


# --------------------------------------------------------------------------- helpers


class Page(HTMLParser):
    """The charts (svg[data-chart] with their marks), figures and tags of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: list[dict[str, Any]] = []
        self.figures: dict[str, str] = {}
        self.tags: Counter[str] = Counter()
        self.text: list[str] = []
        self._chart: dict[str, Any] | None = None
        self._figure: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        if tag == "svg" and "data-chart" in values:
            self._chart = {"name": values["data-chart"], "attrs": values, "marks": []}
            self.charts.append(self._chart)
        elif self._chart is not None and tag in MARKS:
            self._chart["marks"].append((tag, values))
        if "data-figure" in values:
            self._figure = values["data-figure"]
            self.figures[self._figure] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None
        self._figure = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._figure is not None:
            self.figures[self._figure] += data

    def named(self, name: str) -> list[dict[str, Any]]:
        return [chart for chart in self.charts if chart["name"] == name]

    def one(self, name: str) -> dict[str, Any]:
        charts = self.named(name)
        assert len(charts) == 1, f"{len(charts)} charts named {name}"
        return charts[0]


def marks(chart: dict[str, Any], tag: str, **attrs: str) -> list[dict[str, str]]:
    """The marks of a chart with that tag and those data-* attributes."""
    return [
        values
        for kind, values in chart["marks"]
        if kind == tag and all(values.get(f"data-{k}") == v for k, v in attrs.items())
    ]


def mark_counts(page: Page) -> list[tuple[str, str, Counter[str]]]:
    return [
        (c["name"], c["attrs"].get("data-score-model", ""), Counter(tag for tag, _ in c["marks"]))
        for c in page.charts
    ]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def crafted_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "calibration"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture(scope="module")
def evaluation() -> dict[str, Any]:
    return json.loads((FIXTURE / "evaluation.json").read_text())


@pytest.fixture(scope="module")
def calibration() -> dict[str, Any]:
    return json.loads((FIXTURE / "calibration.json").read_text())


@pytest.fixture(scope="module")
def html() -> str:
    return html_report.render(FIXTURE)


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return Page(html)


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the rows of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    assert header is not None, "PNG without IHDR"
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"unsupported PNG: depth {depth}, interlace {interlace}"
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    assert len(raw) == height * (stride + 1), "truncated PNG data"
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], raw[start + 1 : start + 1 + stride], previous, bpp)
        rows.append(row)
        previous = row
    return width, height, bpp, rows


def _unfilter(kind: int, line: bytes, previous: bytes, bpp: int) -> bytes:
    """Undo one PNG filter; None, Sub and Up byte-wise on big integers (fast), others per byte."""
    size = len(line)
    if kind == 0:
        return line
    if kind in (1, 2):
        low = int.from_bytes(b"\x7f" * size, "big")
        high = int.from_bytes(b"\x80" * size, "big")

        def add(x: int, y: int) -> int:  # byte-wise addition modulo 256, no carry between bytes
            return ((x & low) + (y & low)) ^ ((x ^ y) & high)

        value = int.from_bytes(line, "big")
        if kind == 2:
            value = add(value, int.from_bytes(previous, "big"))
        else:  # prefix sums of the bytes bpp apart, by doubling
            shift = 8 * bpp
            while shift < 8 * size:
                value = add(value, value >> shift)
                shift *= 2
        return value.to_bytes(size, "big")
    out = bytearray(line)
    for i in range(size):
        a = out[i - bpp] if i >= bpp else 0
        b = previous[i]
        if kind == 3:
            out[i] = (out[i] + (a + b) // 2) & 0xFF
            continue
        c = previous[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (out[i] + predictor) & 0xFF
    return bytes(out)


def chromium() -> str:
    """The Chromium binary; a missing browser fails the test (a skip would look green)."""
    binary = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if binary is None:
        pytest.fail(f"chromium is not installed. {CHROMIUM_FIX}", pytrace=False)
    return binary


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
    ]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-2000:]}"
    return result


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


# --------------------------------------------------------------------------- the page


def test_headline_figures_are_the_evaluation_s(page: Page, evaluation: dict[str, Any]) -> None:
    for key in ("current", "proposed", "regression"):
        assert page.figures[f"auc-{key}"] == f"{evaluation[key]['auc']:.3f}"
    assert page.figures["auc-current"] == "0.763"
    for key in ("current", "proposed"):
        mql = evaluation[key]["mql"]
        assert page.figures[f"precision-{key}"] == f"{mql['precision'] * 100:.1f}%"
        assert page.figures[f"recall-{key}"] == f"{mql['recall'] * 100:.1f}%"
    assert (page.figures["precision-current"], page.figures["recall-current"]) == ("23.2%", "60.0%")


def test_the_page_is_self_contained(html: str, page: Page) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert page.tags["script"] == 0 and page.tags["link"] == 0 and page.tags["img"] == 0
    assert "http://" not in html and "https://" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the Content-Security-Policy: nothing may load
    assert page.tags["svg"] == len(page.charts)  # every svg is a chart


def test_band_chart_has_two_bars_per_band(page: Page, evaluation: dict[str, Any]) -> None:
    chart = page.one("bands")
    bands = {key: evaluation[key]["bands"] for key in ("current", "proposed")}
    assert len(marks(chart, "rect")) == len(bands["current"]) * 2 == 10
    for key, cells in bands.items():
        bars = marks(chart, "rect", series=key)
        assert [b["data-band"] for b in bars] == [c["band"] for c in cells]
        assert [float(b["data-rate"]) for b in bars] == [
            pytest.approx(c["conversion_rate"], abs=1e-6) for c in cells
        ]
    assert Counter(tag for tag, _ in chart["marks"]) == Counter(rect=10)


def test_gains_chart_has_three_curves_and_the_diagonal(
    page: Page, evaluation: dict[str, Any]
) -> None:
    chart = page.one("gains")
    paths = marks(chart, "path")
    assert len(paths) == 4 and len(chart["marks"]) == 4
    assert sorted(p["data-series"] for p in paths) == [
        "current",
        "proposed",
        "random",
        "regression",
    ]
    for key in ("current", "proposed", "regression"):
        (curve,) = marks(chart, "path", series=key)
        # from the origin through one point per decile
        assert curve["d"].count("M") == 1 and curve["d"].count("L") == len(
            evaluation[key]["deciles"]
        )
    (diagonal,) = marks(chart, "path", series="random")
    assert diagonal["d"].count("L") == 1


def test_calibration_chart_plots_predicted_and_observed_per_decile(
    page: Page, evaluation: dict[str, Any]
) -> None:
    chart = page.one("calibration")
    deciles = evaluation["regression"]["deciles"]
    predicted = marks(chart, "rect", series="predicted")
    observed = marks(chart, "rect", series="observed")
    assert len(chart["marks"]) == 20 and len(predicted) == len(observed) == 10
    assert [float(r["data-value"]) for r in predicted] == [
        pytest.approx(d["mean_predicted"], abs=1e-6) for d in deciles
    ]
    assert [float(r["data-value"]) for r in observed] == [
        pytest.approx(d["conversion_rate"], abs=1e-6) for d in deciles
    ]


def test_distribution_histograms_hold_every_contact(page: Page) -> None:
    rows = read_csv(FIXTURE / "distribution.csv")
    charts = page.named("distribution")
    models = sorted({r["score_model"] for r in rows})
    assert sorted(c["attrs"]["data-score-model"] for c in charts) == models
    assert charts[0]["attrs"]["data-score-model"] == "default"  # the calibrated model first
    for chart in charts:
        model = chart["attrs"]["data-score-model"]
        of_model = [r for r in rows if r["score_model"] == model]
        for series in ("contacts", "converted"):
            bars = marks(chart, "rect", series=series)
            assert bars, f"no {series} bars for {model}"
            plotted = sum(float(b[f"data-{series}"].replace(",", "")) for b in bars)
            assert plotted == sum(float(r[series]) for r in of_model)


def test_top_rules_are_the_largest_contributions(page: Page) -> None:
    rows = read_csv(FIXTURE / "contributions.csv")
    charts = page.named("contributions")
    assert [c["attrs"]["data-score-model"] for c in charts] == ["default", "emea", "semantic_layer"]
    for chart in charts:
        model = chart["attrs"]["data-score-model"]
        of_model = sorted(
            (r for r in rows if r["score_model"] == model),
            key=lambda r: (-abs(float(r["total_points"])), r["rule_id"]),
        )
        bars = marks(chart, "rect")
        assert len(bars) == min(12, len(of_model))
        assert [b["data-rule"] for b in bars] == [r["rule_id"] for r in of_model[: len(bars)]]
    first = marks(charts[0], "rect")[0]
    assert (first["data-rule"], first["data-points"]) == ("neg_inactive", "-9,810")


def test_changes_and_criteria_with_too_little_evidence(
    html: str, page: Page, calibration: dict[str, Any]
) -> None:
    diff = read_csv(FIXTURE / "diff.csv")
    for change, rows in Counter(r["change"] for r in diff).items():
        assert page.figures[f"changes-{change}"] == str(rows)
    assert html.count("<tr data-change=") == len(diff)
    thin = [c for c in calibration["criteria"] if c["kind"] != "rule" and not c["eligible"]]
    assert page.figures["thin-count"] == str(len(thin)) == "15"
    for criterion in thin:
        assert f"<td>{criterion['label']}</td>" in html
    # a readable row: points now -> proposed, rates as percentages, lift as a multiple
    assert (
        '<td><span class="mono">fit_seniority_executive</span>'
        '<div class="sub">explicit_rules</div></td>'
        '<td class="num">+20</td><td class="num strong">—</td><td class="num">62</td>'
        '<td class="num">17.7%</td><td class="num">4.8%</td><td class="num">3.28\u00d7</td>'
    ) in html


def test_absent_bias_files_are_said_in_one_line(html: str, page: Page) -> None:
    assert page.named("bias") == []
    assert "No bias check in this folder (bias.csv is absent).</p>" in html
    assert "The calibration left no notes." in html


def test_bias_check_when_present(tmp_path: Path) -> None:
    folder = crafted_copy(tmp_path)
    groups = [
        ("default", "country", "de", 120, 40.5, 0.30, 0.20, 1.5, "true", "false"),
        ("default", "country", "fr", 90, 30.0, 0.19, 0.20, 0.95, "false", "false"),
        ("default", "seniority", "(missing)", 40, 12.0, 0.10, 0.20, 0.5, "true", "true"),
        ("emea", "country", "de", 60, 35.0, 0.25, 0.25, 1.0, "false", "false"),
    ]
    keys = [
        "score_model", "attribute", "attribute_value", "contacts", "avg_score", "mql_rate",
        "overall_mql_rate", "mql_rate_ratio", "is_flagged", "is_sensitive",
    ]  # fmt: skip
    write_csv(folder / "bias.csv", [dict(zip(keys, g, strict=True)) for g in groups])
    write_csv(
        folder / "bias_rules.csv",
        [
            {
                "rule_id": "fit_senior",
                "score_model": "default",
                "attribute": "seniority",
                "points": 5,
            }
        ],
    )
    html = html_report.render(folder)
    page = Page(html)
    charts = page.named("bias")
    assert [c["attrs"]["data-score-model"] for c in charts] == ["default", "emea"]
    assert [len(marks(c, "circle")) for c in charts] == [3, 1]
    flagged = [m for c in charts for m in marks(c, "circle", flagged="true")]
    assert len(flagged) == 2 and page.figures["bias-flagged"] == "2"
    assert "1 rule scores a sensitive attribute directly" in html
    assert "fit_senior" in html and "bias.csv is absent" not in html


def test_data_never_becomes_markup(tmp_path: Path) -> None:
    folder = crafted_copy(tmp_path)
    attack = '<script>alert("x")</script>'
    calibration = json.loads((folder / "calibration.json").read_text())
    thin = next(c for c in calibration["criteria"] if c["kind"] != "rule" and not c["eligible"])
    thin["label"] = attack
    calibration["notes"] = ["<b>bold</b> & <i>italic</i>"]
    calibration["options"]["score_model"] = '"><img src=x onerror=alert(1)>'
    (folder / "calibration.json").write_text(json.dumps(calibration))
    diff = read_csv(folder / "diff.csv")
    diff[0]["note"] = "<img src=x onerror=alert(2)>"
    write_csv(folder / "diff.csv", diff)
    contributions = read_csv(folder / "contributions.csv")
    contributions[0]["rule_id"] = '"><svg onload=alert(3)>'
    contributions[0]["total_points"] = "99999"
    write_csv(folder / "contributions.csv", contributions)

    html = html_report.render(folder)
    page = Page(html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert page.tags["script"] == page.tags["img"] == page.tags["b"] == page.tags["i"] == 0
    assert page.tags["svg"] == len(page.charts)  # no svg came from the data
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;italic&lt;/i&gt;" in html
    top = marks(page.named("contributions")[0], "rect")[0]
    assert top["data-rule"] == '"><svg onload=alert(3)>'  # an attribute value, not markup
    assert attack in "".join(page.text)  # shown as text


def test_a_folder_without_the_calibration_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(html_report.ReportError, match=r"calibration\.json not found"):
        (tmp_path / "evaluation.json").write_text("{}")
        html_report.render(tmp_path)
    with pytest.raises(html_report.ReportError, match="is not a folder"):
        html_report.render(tmp_path / "missing")


def test_command_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="leadscoring")
    html_report.register(parser.add_subparsers(dest="command"))
    folder = crafted_copy(tmp_path)
    args = parser.parse_args(["calibration-report", "--calibration", str(folder)])
    assert args.handler(args) == 0
    assert (folder / "report.html").read_text() == html_report.render(folder)
    out = tmp_path / "elsewhere" / "cal.html"
    args = parser.parse_args(
        ["calibration-report", "--calibration", str(folder), "--out", str(out)]
    )
    assert args.handler(args) == 0 and out.exists()
    args = parser.parse_args(["calibration-report", "--calibration", str(tmp_path / "none")])
    assert args.handler(args) == 1
    assert "leadscoring calibrate --out" in capsys.readouterr().err


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return html_report.write(FIXTURE, tmp_path_factory.mktemp("report") / "report.html")


def test_browser_builds_every_chart_with_its_marks(written: Path, tmp_path: Path) -> None:
    dom = Page(run_chromium(tmp_path, "--dump-dom", written.as_uri()).stdout)
    expected = Page(written.read_text())
    names = {c["name"] for c in dom.charts}
    assert {"distribution", "bands", "gains", "calibration", "contributions"} <= names
    assert mark_counts(dom) == mark_counts(expected)
    assert Counter(tag for tag, _ in dom.one("bands")["marks"]) == Counter(rect=10)
    assert len(marks(dom.one("gains"), "path")) == 4
    assert dom.figures["auc-current"] == expected.figures["auc-current"]


def test_browser_screenshot_is_not_blank(written: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,2400", written.as_uri())
    width, height, bpp, rows = decode_png(png.read_bytes())
    assert (width, height) == (1200, 2400)
    pixels: Counter[tuple[int, ...]] = Counter()
    for row in rows:
        pixels.update(zip(*(row[i::bpp] for i in range(min(bpp, 3))), strict=True))
    total = width * height
    assert len(pixels) > 500, f"only {len(pixels)} colours"
    background, most = pixels.most_common(1)[0]
    assert most / total < 0.8, f"{most / total:.0%} of the page is {background}"
    white = pixels[(255, 255, 255)]
    assert white / total < 0.9 and (total - white) / total > 0.1
    # the bars of the band chart, painted in the colours of the current and proposed tables
    for key in ("current", "proposed"):
        colour = rgb(html_report.COLOURS[key])
        assert pixels[colour] > 2000, f"{key} colour {colour}: {pixels[colour]} pixels"
