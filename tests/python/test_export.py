"""Tests of ``leadscoring export``: files that read back as the mart, and exact selections.

The project, with the point tables of ``tests/python/scoring_config/``, is
built once per warehouse (DuckDB, then PostgreSQL) on the hand-crafted rows
of ``crafted.py`` alone, as of ``crafted.AS_OF``: every scored row is one of
``crafted.EXPECTED_SCORES``, so the rows a selection should give are worked
out by hand from that table and the bands of the scoring config.

Read back, a file is compared with the mart read by a plain query, value by
value, after one normalisation: a CSV cell (text) is read as the type of the
warehouse's value in that column (a decimal as Decimal, an integer as int, a
timestamp by datetime.fromisoformat, an empty cell as None); JSON numbers are
read as Decimal or int (never float), timestamps from their ISO text;
Parquet values come back as Python values through pyarrow. Decimals compare
as Decimal (71.5 == 71.500000), so the check is exact.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from leadscoring import export
from leadscoring.cli import main
from leadscoring.export import ExportError, Selection, run_export
from leadscoring.warehouse import DbtSettings, WarehouseError

from tests.python import crafted
from tests.python.warehouse import SCORING_CONFIG, Warehouse, warehouses, write_raw_csvs

SCHEMA = "pytest_export"
SCORES_COLUMNS = [
    "contact_id", "score_model", "email", "first_name", "last_name", "job_title",
    "company_name", "fit_points", "engagement_points", "negative_points", "adjustment_points",
    "fit_score", "engagement_score", "total_score", "score_band", "score_band_rank",
    "fit_grade", "engagement_level", "score_matrix", "rules_fired", "is_mql", "is_sql",
    "has_converted", "as_of",
]  # fmt: skip


# A test of DuckDB alone: the module's DuckDB build (the fixture's param, chosen here).
DUCKDB_ONLY = pytest.mark.parametrize("built", ["duckdb"], indirect=True)


@dataclass
class Built:
    """A warehouse built on the crafted rows, and the dbt settings an export uses."""

    warehouse: Warehouse
    settings: DbtSettings

    @property
    def target(self) -> str:
        return self.warehouse.target

    def mart(self, name: str = "lead_scoring__scores") -> list[tuple]:
        """Every row of a published mart, read directly."""
        return self.warehouse.query(f"select * from {self.warehouse.relation('', name)}")


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    """The project built once per warehouse on the crafted rows, as of crafted.AS_OF."""
    tmp = tmp_path_factory.mktemp(f"export_{request.param}")

    def conninfo() -> str:
        return request.getfixturevalue("pg_conninfo")

    for warehouse in warehouses(request.param, tmp, conninfo, SCHEMA):
        warehouse.load(write_raw_csvs(tmp / "raw", crafted.EXTRA_ROWS))
        warehouse.dbt("build", variables={"lead_scoring__as_of": crafted.AS_OF})
        settings = DbtSettings(
            project_dir=warehouse.project,
            profiles_dir=warehouse.project,
            target=warehouse.target,
            variables={"lead_scoring__source_schema": warehouse.raw_schema},
            # The build's manifest says where the marts are: no dbt ls (a parse) per export.
            # The command-line tests give no --manifest, and so go through dbt ls.
            manifest=tmp / "target" / "manifest.json",
        )
        yield Built(warehouse, settings)


@pytest.fixture
def env(built: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The warehouse's environment (the profile reads it) set for an in-process export."""
    for name, value in built.warehouse.env.items():
        monkeypatch.setenv(name, value)
    return built


# --------------------------------------------------------------------------- reading back


def _kinds(rows: list[tuple], width: int) -> list[type | None]:
    """The Python type of each column's warehouse values (None: only nulls)."""
    kinds: list[type | None] = [None] * width
    for row in rows:
        for i, value in enumerate(row):
            if value is not None and kinds[i] is None:
                kinds[i] = type(value)
    return kinds


def _from_text(text: str, kind: type | None) -> Any:
    if text == "":
        return None
    if kind is Decimal:
        return Decimal(text)
    if kind is int:
        return int(text)
    if kind is bool:
        return {"true": True, "false": False}[text]
    if kind is datetime:
        return datetime.fromisoformat(text)
    return text


def read_csv(path: Path, expected: list[tuple]) -> tuple[list[str], list[tuple]]:
    """The header and the rows of a CSV, each cell read as its column's warehouse type."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        kinds = _kinds(expected, len(header))
        return header, [
            tuple(_from_text(c, k) for c, k in zip(row, kinds, strict=True)) for row in reader
        ]


def read_jsonl(path: Path, expected: list[tuple]) -> tuple[list[str], list[tuple]]:
    """The keys and rows of a JSON Lines file: numbers as Decimal or int, times parsed."""
    objects = [
        json.loads(line, parse_float=Decimal)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    keys = list(objects[0]) if objects else []
    kinds = _kinds(expected, len(keys))
    rows = []
    for item in objects:
        assert list(item) == keys
        rows.append(tuple(_from_json(v, k) for v, k in zip(item.values(), kinds, strict=True)))
    return keys, rows


def _from_json(value: Any, kind: type | None) -> Any:
    if value is None:
        return None
    if kind is Decimal and isinstance(value, int):  # 5 is a whole Decimal
        return Decimal(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    return value


def read_parquet(path: Path) -> tuple[list[str], list[tuple]]:
    """The column names and rows of a Parquet file, as pyarrow's Python values."""
    table = pq.read_table(path)
    columns = table.column_names
    data = table.to_pydict()
    return columns, [tuple(data[c][i] for c in columns) for i in range(table.num_rows)]


def read_back(path: Path, file_format: str, expected: list[tuple]) -> tuple[list[str], list]:
    """A file's columns and rows, normalised for comparison with the warehouse's."""
    if file_format == "csv":
        return read_csv(path, expected)
    if file_format == "jsonl":
        return read_jsonl(path, expected)
    return read_parquet(path)


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))


def _keys(rows: list[tuple], header: list[str]) -> set[tuple[str, str]]:
    contact, model = header.index("contact_id"), header.index("score_model")
    return {(row[contact], row[model]) for row in rows}


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("file_format", ["csv", "parquet", "jsonl"])
def test_file_reads_back_as_the_mart(env: Built, tmp_path: Path, file_format: str) -> None:
    """Every row and value of lead_scoring__scores, in the file, with the mart's columns."""
    out = tmp_path / f"scores.{file_format}"
    # Batches of 3 rows: 16 rows come in 6 batches (Parquet row groups, cursor fetches).
    result = run_export(env.settings, str(out), batch_rows=3)
    expected = env.mart()
    header, rows = read_back(out, file_format, expected)
    assert header == SCORES_COLUMNS
    assert result.rows == len(expected) == len(crafted.EXPECTED_SCORES) == 16
    assert _sorted(rows) == _sorted(expected)
    assert sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file left


def test_values_are_rendered_as_documented(env: Built, tmp_path: Path) -> None:
    """CSV: decimals as the warehouse holds them, timestamps with a space; JSON: exact numbers."""
    run_export(env.settings, str(tmp_path / "s.csv"), selection=Selection(score_model="emea"))
    run_export(env.settings, str(tmp_path / "s.jsonl"), selection=Selection(score_model="emea"))
    lines = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        ",".join(SCORES_COLUMNS),
        "c_vp,emea,vera.page@mid-co.com,Alex,Moreau,VP Data,Mid Co,10.000000,10.000000,"
        "0.000000,0.000000,10.000000,10.000000,20.000000,warm,2,C,3,C3,2,false,false,false,"
        "2026-07-01 00:00:00",
    ]
    line = (tmp_path / "s.jsonl").read_text(encoding="utf-8")
    assert line == (
        '{"contact_id": "c_vp", "score_model": "emea", "email": "vera.page@mid-co.com", '
        '"first_name": "Alex", "last_name": "Moreau", "job_title": "VP Data", '
        '"company_name": "Mid Co", "fit_points": 10.000000, "engagement_points": 10.000000, '
        '"negative_points": 0.000000, "adjustment_points": 0.000000, "fit_score": 10.000000, '
        '"engagement_score": 10.000000, "total_score": 20.000000, "score_band": "warm", '
        '"score_band_rank": 2, "fit_grade": "C", "engagement_level": "3", '
        '"score_matrix": "C3", "rules_fired": 2, "is_mql": false, "is_sql": false, '
        '"has_converted": false, "as_of": "2026-07-01T00:00:00"}\n'
    )


def test_parquet_keeps_the_warehouse_types(env: Built, tmp_path: Path) -> None:
    """Decimals stay decimal(28,6), the rank an integer, as_of a timestamp, nulls null."""
    out = tmp_path / "s.parquet"
    run_export(env.settings, str(out), selection=Selection(columns=["contact_id", "job_title",
               "total_score", "score_band_rank", "as_of"]))  # fmt: skip
    schema = pq.read_schema(out)
    assert [(f.name, str(f.type)) for f in schema] == [
        ("contact_id", "string"),
        ("job_title", "string"),
        ("total_score", "decimal128(28, 6)"),
        ("score_band_rank", "int64"),
        ("as_of", "timestamp[us]"),
    ]
    metadata = pq.ParquetFile(out).metadata
    assert metadata.num_rows == 16


@DUCKDB_ONLY
def test_the_path_through_dbt_gives_the_same_files(env: Built, tmp_path: Path) -> None:
    """generic=True (dbt's own connection, as for any other adapter) on DuckDB writes the
    same CSV and JSON Lines, and Parquet with the same values."""
    for suffix in ("csv", "jsonl", "parquet"):
        native, generic = tmp_path / f"native.{suffix}", tmp_path / f"generic.{suffix}"
        run_export(env.settings, str(native), selection=Selection(score_model="default"))
        run_export(
            env.settings, str(generic), selection=Selection(score_model="default"), generic=True
        )
        if suffix == "parquet":
            assert _sorted(read_parquet(generic)[1]) == _sorted(read_parquet(native)[1])
        else:
            assert sorted(generic.read_text().splitlines()) == sorted(
                native.read_text().splitlines()
            )


# --------------------------------------------------------------------------- selections


def _bands_by_rank() -> list[str]:
    """The default model's bands, lowest first, from the scoring config seed."""
    with open(SCORING_CONFIG / "lead_scoring__score_bands.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["score_model"] == "default"]
    return [r["band"] for r in sorted(rows, key=lambda r: float(r["min_score"]))]


def _expected_at_or_above(band: str, score_model: str | None = None) -> set[tuple[str, str]]:
    """From EXPECTED_SCORES: the contacts whose band ranks at or above `band` (by hand)."""
    ranks = {name.lower(): rank for rank, name in enumerate(_bands_by_rank(), start=1)}
    return {
        key
        for key, values in crafted.EXPECTED_SCORES.items()
        if ranks[values[7].lower()] >= ranks[band.lower()]
        and (score_model is None or key[1] == score_model)
    }


def _export_keys(built: Built, tmp_path: Path, selection: Selection) -> set[tuple[str, str]]:
    out = tmp_path / "selected.csv"
    run_export(built.settings, str(out), selection=selection)
    header, rows = read_csv(out, [])
    return _keys(rows, header)


def test_band_and_above(env: Built, tmp_path: Path) -> None:
    """--band: the band and every hotter one, any case, per score model."""
    assert _bands_by_rank() == ["cold", "warm", "hot", "MQL", "SQL"]
    mql = _export_keys(env, tmp_path, Selection(band="mql"))
    assert mql == _expected_at_or_above("MQL") == {("c_vp", "default"), ("c_ceiling", "default")}
    warm = _export_keys(env, tmp_path, Selection(band="Warm"))
    assert warm == _expected_at_or_above("warm")
    assert warm == {
        ("c_vp", "default"), ("c_vp", "emea"), ("c_vp", "product_x"),
        ("c_capped", "default"), ("c_ceiling", "default"),
    }  # fmt: skip
    default_warm = _export_keys(env, tmp_path, Selection(band="warm", score_model="default"))
    assert default_warm == {("c_vp", "default"), ("c_capped", "default"), ("c_ceiling", "default")}
    assert _export_keys(env, tmp_path, Selection(band="SQL")) == {("c_ceiling", "default")}
    assert len(_export_keys(env, tmp_path, Selection(band="cold"))) == 16


def test_band_on_a_mart_without_ranks_goes_through_the_scores(env: Built, tmp_path: Path) -> None:
    """score_details --band MQL: the detail rows of the contacts (and models) at MQL or above."""
    out = tmp_path / "details.csv"
    run_export(env.settings, str(out), mart="score_details", selection=Selection(band="MQL"))
    header, rows = read_csv(out, [])
    assert _keys(rows, header) == {("c_vp", "default"), ("c_ceiling", "default")}
    expected_rows = [
        r for r in env.mart("lead_scoring__score_details") if r[0] in {"c_vp", "c_ceiling"}
        and r[1] == "default"
    ]  # fmt: skip
    # a row per rule fired, plus the adjustment row of a contact floored or capped
    by_hand = sum(
        values[11] + (values[3] != 0)
        for key, values in crafted.EXPECTED_SCORES.items()
        if key in {("c_vp", "default"), ("c_ceiling", "default")}
    )
    assert len(rows) == len(expected_rows) == by_hand == 7 + 9


# The contacts whose state at the end of 2026-06-30 (00:00 UTC on 07-01, the
# as-of) differs from the end of 2026-06-29, worked out from crafted.py:
# - c_vp (default): two blog views at the as-of (+4), and decay moves the
#   pricing and demo points (15.35 -> 15 ...);
# - c_student, c_capped, c_ceiling: all their events are at the as-of;
# - c_edge_active: its open, 59 then 60 days old: 0.26 -> 0.25;
# - c_combo: the combination completed 29 then 30 days before: 7.68 -> 7.5.
# Unchanged: c_vp in emea (the webinar 59 then 60 days old: inside the 60-day
# timeframe both days, no decay) and product_x (no decay); c_inactive (0.5^(89/30)
# = 0.128 and 0.125 both round to 0.13; inactive both days, floored to 0);
# c_dup (inactive both days); the contacts with attribute points only.
CHANGED_ON_JUNE_30 = {
    ("c_vp", "default"), ("c_student", "default"), ("c_capped", "default"),
    ("c_ceiling", "default"), ("c_edge_active", "default"), ("c_combo", "default"),
}  # fmt: skip


def test_changed_since(env: Built, tmp_path: Path) -> None:
    """--changed-since: the contacts with a change on a day ending after the moment."""

    def changed(text: str) -> set[tuple[str, str]]:
        return _export_keys(env, tmp_path, Selection(changed_since=export.parse_timestamp(text)))

    assert changed("2026-06-30") == CHANGED_ON_JUNE_30
    # a moment inside the day: the day's changes (its end is after the moment)
    assert changed("2026-06-30 12:00") == CHANGED_ON_JUNE_30
    # the same moment with an offset (02:00 at +02:00 is 00:00 UTC)
    assert changed("2026-06-30T02:00:00+02:00") == CHANGED_ON_JUNE_30
    # the end of the last recorded day: nothing changed after it
    assert changed(crafted.AS_OF) == set()
    # Since 06-28: the changes of 06-28, 06-29 and 06-30; none of another contact.
    assert changed("2026-06-28") == CHANGED_ON_JUNE_30
    # c_inactive changed on 06-27 only: its open, 86 then 87 days old, 0.137 -> 0.134
    # (0.14 -> 0.13; 0.131 on 06-28 is 0.13 again).
    assert changed("2026-06-27") == {*CHANGED_ON_JUNE_30, ("c_inactive", "default")}
    # 06-27 is the first day the history records: it holds every scored contact,
    # but a row whose state equals the day before's is no change.
    history = env.mart("lead_scoring__score_history")
    assert {str(row[2]) for row in history} == {"2026-06-27", "2026-06-28", "2026-06-29",
                                                "2026-06-30"}  # fmt: skip
    assert {(row[0], row[1]) for row in history if str(row[2]) == "2026-06-27"} == set(
        crafted.EXPECTED_SCORES
    )
    assert changed("2026-06-26") == {*CHANGED_ON_JUNE_30, ("c_inactive", "default")}


def test_score_model_and_columns(env: Built, tmp_path: Path) -> None:
    """--score-model and --columns: exactly that model's rows, those columns in that order."""
    out = tmp_path / "emea.csv"
    run_export(
        env.settings,
        str(out),
        selection=Selection(score_model="emea", columns=["total_score", "CONTACT_ID"]),
    )
    assert out.read_text(encoding="utf-8").splitlines() == [
        "total_score,contact_id",
        "20.000000,c_vp",
    ]


# --------------------------------------------------------------------------- the command


def test_command_line_writes_the_file_and_one_summary_line(
    env: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI: the file, the progress bar when asked, and the summary line on stderr."""
    out = tmp_path / "mql.jsonl"
    code = main([
        "export", "--project-dir", str(env.settings.project_dir),
        "--profiles-dir", str(env.settings.profiles_dir), "--target", env.target,
        "--band", "MQL", "--out", str(out), "--progress",
    ])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert "2 / 2 rows (100%)" in err
    assert err.rstrip().splitlines()[-1].startswith(f"export: 2 rows written to {out} in ")


def test_stdout(env: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out - writes CSV to stdout; no progress bar when stderr is not a terminal."""
    code = main([
        "export", "--project-dir", str(env.settings.project_dir),
        "--profiles-dir", str(env.settings.profiles_dir), "--target", env.target,
        "--band", "SQL", "--columns", "contact_id,total_score", "--out", "-", "--format", "csv",
    ])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out == "contact_id,total_score\nc_ceiling,100.000000\n"
    assert captured.err.startswith("export: 1 rows written to stdout in ")


def _cli_error(built: Built, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main([
        "export", "--project-dir", str(built.settings.project_dir),
        "--profiles-dir", str(built.settings.profiles_dir), "--target", built.target, *args,
    ])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    return captured.err.strip()


def test_bad_inputs_are_clear_errors(
    env: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown band, bad timestamp, unknown column, unknown mart: one line naming the fix."""
    out = str(tmp_path / "x.csv")
    assert _cli_error(env, capsys, "--band", "lukewarm", "--out", out) == (
        "export: --band 'lukewarm' is not a band of any score model. Fix: use one of cold, "
        "warm, hot, MQL, SQL (lowest to highest; the band and the hotter ones are exported)"
    )
    assert _cli_error(env, capsys, "--changed-since", "yesterday", "--out", out) == (
        "export: --changed-since 'yesterday' is not a timestamp. Fix: write it as YYYY-MM-DD "
        "or 'YYYY-MM-DD HH:MM:SS' (UTC), or with an offset such as 2026-06-30T09:00:00+02:00"
    )
    assert _cli_error(env, capsys, "--columns", "contact_id,score", "--out", out) == (
        "export: --columns: lead_scoring__scores has no column 'score'. Fix: use some of "
        + ", ".join(SCORES_COLUMNS)
    )
    assert _cli_error(env, capsys, "--mart", "leads", "--out", out).startswith(
        "export: --mart 'leads' is not an exportable mart. Fix: use one of scores, "
    )
    assert _cli_error(env, capsys, "--out", str(tmp_path / "x.xlsx")) == (
        f"export: cannot tell the format of {tmp_path / 'x.xlsx'} from its extension. Fix: "
        "give --format csv|parquet|jsonl, or name the file .csv, .parquet or .jsonl"
    )
    assert os.listdir(tmp_path) == []


def test_a_failed_export_leaves_the_previous_file(
    env: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while writing: the file under the final name is untouched, no part file."""
    out = tmp_path / "scores.csv"
    out.write_text("previous export\n", encoding="utf-8")

    def failing_write(self: export.CsvWriter, rows: list[tuple]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export.CsvWriter, "write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        run_export(env.settings, str(out))
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert os.listdir(tmp_path) == ["scores.csv"]


def test_a_mart_not_built_yet(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warehouse without the marts: the error says to run dbt build."""
    if built.target == "duckdb":
        empty = tmp_path / "empty.duckdb"
        subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(empty)!r})"],
                       check=True)  # fmt: skip
        monkeypatch.setenv("LEAD_SCORING_DUCKDB_PATH", str(empty))
        where = "empty.main.lead_scoring__scores"
    else:
        monkeypatch.setenv("LEAD_SCORING_PG_SCHEMA", f"{SCHEMA}_never_built")
        where = f"lead_scoring.{SCHEMA}_never_built.lead_scoring__scores"
    # Located by dbt ls for the changed environment (the build's manifest is of the built one).
    with pytest.raises(ExportError) as error:
        run_export(dataclasses.replace(built.settings, manifest=None), str(tmp_path / "x.csv"))
    message = str(error.value)
    assert message.startswith(f"lead_scoring__scores is not in the warehouse yet ({where}")
    assert message.endswith(
        "Fix: run `dbt build` with this target first (a complete build publishes the marts)"
    )
    assert os.listdir(tmp_path) == (["empty.duckdb"] if built.target == "duckdb" else [])


@DUCKDB_ONLY
def test_a_duckdb_file_locked_by_a_build(env: Built, tmp_path: Path) -> None:
    """Another process writing the DuckDB file (a running dbt build): a clear error."""
    path = env.warehouse.env["LEAD_SCORING_DUCKDB_PATH"]
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys; c = duckdb.connect({path!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseError) as error:
            run_export(env.settings, str(tmp_path / "x.csv"))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    message = str(error.value)
    assert message.startswith(f"cannot open {path}: ")
    assert message.endswith(
        "Another process (a dbt build?) holds it for writing; run again when it has finished."
    )
    assert os.listdir(tmp_path) == []
