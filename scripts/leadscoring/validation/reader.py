"""Reading a point table: locating its file (validation/project.py), then its CSV,
its header and its rows, each with the cells by column and the subject naming it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from leadscoring.validation.problems import _closest, _count, _join, _one_line, _q
from leadscoring.validation.project import Location, locate_point_table, var_sources
from leadscoring.validation.spec import COLUMNS, CSV_QUOTING_FIX, OPTIONAL_FILES, SUBJECTS


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    subject: str | None
    complete: bool  # False when the row has more or fewer cells than the header


@dataclass
class Table:
    shown: str
    rows: list[Row]


class TableReader:
    """Locates and reads the point tables, reporting what cannot be read."""

    def locate(self, name: str) -> None:
        """Find the file of point table `name`: the seed var lead_scoring__<name> names."""
        sources = self.sources if self.sources is not None else var_sources(self.project, {})
        location: Location = locate_point_table(self.project, name, sources)
        self.paths[name] = location.path
        self.shown[name] = location.shown
        if location.note is not None:
            self.notes.append(f"{name}: {location.note}")

    def read_table(self, name: str) -> Table | None:
        """Read a seed; None (with a problem) when it is missing or unreadable."""
        columns = COLUMNS[name]
        header_text = ",".join(columns)
        path, shown = self.paths[name], self.shown[name]
        if path is None:
            return None  # not a seed file: noted, checked by the build's tests
        if name in OPTIONAL_FILES and not path.exists():
            return None
        if not path.is_file():
            what = "is a directory, not a file" if path.is_dir() else "file not found"
            self.add(
                shown,
                0,
                None,
                what,
                f"create {shown} with the header line {header_text} and one row per line",
            )
            return None
        try:
            data = path.read_bytes()
        except OSError as err:
            self.add(
                shown,
                0,
                None,
                f"cannot read the file ({err.strerror or err})",
                "check the file's permissions",
            )
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            self.add(
                shown,
                data[: err.start].count(b"\n") + 1,
                None,
                f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} cannot be decoded)",
                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
            )
            return None

        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        header_line = 1
        rows: list[Row] = []
        last_line = 0
        try:
            for cells in reader:
                start, last_line = last_line + 1, reader.line_num
                if not cells:  # a blank line
                    continue
                if header is None:
                    header, header_line = [c.strip() for c in cells], start
                    if not self._header_ok(shown, cells, header_line, columns):
                        return None
                    continue
                row = self._row(name, header, cells, start)
                if row is not None:
                    rows.append(row)
        except csv.Error as err:
            start = last_line + 1
            if "unexpected end of data" in str(err):
                message = "a quoted cell opened in this row is never closed"
            else:
                message = f"the row cannot be read as CSV ({err})"
            self.add(shown, start, None, message, CSV_QUOTING_FIX)
            return None
        if header is None:
            self.add(
                shown,
                1,
                None,
                "the file is empty: it has no header line",
                f"make line 1 read: {header_text}",
            )
            return None
        return Table(shown, rows)

    def _header_ok(self, shown: str, cells: list[str], line: int, columns: Sequence[str]) -> bool:
        """Report every header cell that is not exactly a column of the file, and the
        columns it lacks or repeats; True when the rows can be read."""
        header = [cell.strip() for cell in cells]
        expected = ",".join(columns)
        file_name = PurePosixPath(shown).name
        ok = True
        missing = [column for column in columns if column not in header]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self.add(
                shown,
                line,
                None,
                f"the header lacks the column{plural} {_join([_q(c) for c in missing])}",
                f"make the header read: {expected}",
            )
            ok = False
        # The header is loaded into the warehouse as the seed's column names:
        # a cell that is not exactly one of the columns would become a column
        # the models do not know (or, quoted, one named with blanks or capitals).
        for position, (cell, name) in enumerate(zip(cells, header, strict=True), start=1):
            if cell in columns:
                continue
            ok = False
            remove = (
                f"remove the column: its header cell and the cell at position {position} of "
                f"every row. {file_name} has the columns {expected}"
            )
            if name in columns:
                self.add(
                    shown,
                    line,
                    None,
                    f"the header cell {_q(cell)} (column {position}) has blanks around the column "
                    "name",
                    f"write it {_q(name)}, without blanks: column names are matched exactly",
                )
            elif not name:
                self.add(
                    shown,
                    line,
                    None,
                    f"the header cell at position {position} is empty",
                    f"{remove} (a comma at the end of line {line} makes an empty column)",
                )
            else:
                close = _closest(name, missing) if missing else None
                fix = (
                    f"if it is the column {_q(close)}, write it {_q(close)} (column names are "
                    f"lower-case and matched exactly); otherwise {remove}"
                    if close is not None
                    else remove
                )
                self.add(
                    shown,
                    line,
                    None,
                    f"the header cell {_q(cell)} (column {position}) is not a column of "
                    f"{file_name}",
                    fix,
                )
        repeated = sorted({c for c in header if c in columns and header.count(c) > 1})
        if repeated:
            plural = "s" if len(repeated) > 1 else ""
            self.add(
                shown,
                line,
                None,
                f"the header repeats the column{plural} {_join([_q(c) for c in repeated])}",
                f"keep one column of each name: make the header read {expected}",
            )
            ok = False
        return ok

    def _row(self, name: str, header: list[str], cells: list[str], line: int) -> Row | None:
        """The row's trimmed cells by column; None (with a problem) for an empty row."""
        shown = self.shown[name]
        values = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
        named = [
            f"{label} {_one_line(values[column])}"
            for column, label in SUBJECTS[name]
            if values.get(column)
        ]
        subject = ", ".join(named) or None
        if not any(cell.strip() for cell in cells):
            self.add(
                shown,
                line,
                None,
                "empty row",
                "delete the line (spreadsheets sometimes save empty rows as a line of commas)",
            )
            return None
        shape = (
            f"the row has {_count(len(cells), 'cell')} but the header has "
            f"{_count(len(header), 'column')}"
        )
        if len(cells) > len(header):
            self.add(
                shown,
                line,
                subject,
                shape,
                CSV_QUOTING_FIX + ", or remove the extra commas",
            )
        elif len(cells) < len(header):
            self.add(
                shown,
                line,
                subject,
                shape,
                f"add the missing cells (an empty cell is just a comma) so the row has "
                f"{len(header)} cells",
            )
        return Row(line, values, subject, complete=len(cells) == len(header))
