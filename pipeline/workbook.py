"""The spreadsheet of a run (``--xlsx``): events, documents and the change report as
three sheets of one workbook, typed and laid out to be read as they open.

Each sheet is made from the CSV text of its file, so the workbook shows what the
CSV files hold: dates as dates, numbers as numbers, text as text (a text cell is
text in a workbook, so the CSV's formula guard, a leading ``'``, is taken off).
Columns are as wide as their content, up to ``MAX_WIDTH`` characters; a column
with longer text (the notes) wraps it. The change report is read from its header,
whatever its columns: a column this module does not know holds numbers when every
cell of it is a whole number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS, typed_cell
from pipeline.outputs import OutputSet

FILE_NAME = "events.xlsx"
MAX_WIDTH = 60  # characters; longer text wraps
LINE_HEIGHT = 15  # points, a line of the default font
LINE_CHARS = (
    70  # characters of prose a wrapped line of a MAX_WIDTH column holds (a digit is wider than most letters)
)
SHEETS = ("events", "documents", "changes")  # each the CSV file of that name
KNOWN_COLUMNS = frozenset(EVENT_COLUMNS) | frozenset(DOCUMENT_COLUMNS)
FORMATS = {date: "yyyy-mm-dd", float: "0.00000", int: "0"}


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, its header and its rows of typed values (None for empty)."""

    title: str
    columns: list[str]
    rows: list[list[object]]


def stage_workbook(files: OutputSet, wanted: bool) -> None:
    """Stage events.xlsx, made from the CSV files staged; or, when it is not wanted, the
    removal of one an earlier run left (it would be stale)."""
    if wanted:
        files.binary(FILE_NAME, workbook_writer(sheets_of(files)))
    else:
        files.remove(FILE_NAME)


def sheets_of(files: OutputSet) -> list[Sheet]:
    """The sheets of the CSV files a run has staged, events, documents and the change report."""
    return [sheet_from_csv(name, files.staged_text(f"{name}.csv")) for name in SHEETS]


def sheet_from_csv(title: str, text: str) -> Sheet:
    """A sheet of a CSV file's text, header first."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    columns = next(reader, [])
    cells = list(reader)
    numbers = [c not in KNOWN_COLUMNS and _whole(row[i] for row in cells) for i, c in enumerate(columns)]
    return Sheet(
        title,
        columns,
        [
            [
                int(v) if number and v else typed_cell(c, v)
                for c, v, number in zip(columns, row, numbers, strict=True)
            ]
            for row in cells
        ],
    )


def _whole(values: Iterable[str]) -> bool:
    """Every non-empty cell a whole number as Python writes it ("12", not "012" or "1e3")."""
    present = [v for v in values if v]
    return bool(present) and all(v.lstrip("-").isdigit() and str(int(v)) == v for v in present)


def workbook_writer(sheets: list[Sheet]) -> Callable[[IO[bytes]], None]:
    """What writes the sheets as one workbook to a handle: a bold frozen header with
    filters on each sheet, columns fitted to their content, long text wrapped."""

    def write(handle: IO[bytes]) -> None:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for sheet in sheets:
            _fill(book.create_sheet(sheet.title), sheet)
        book.save(handle)

    return write


def _fill(worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Font

    worksheet.append(sheet.columns)
    for number, row in enumerate(sheet.rows, start=2):
        for column, value in enumerate(row, start=1):
            if value is not None:
                _set(worksheet.cell(number, column), value)
    for header in worksheet[1]:
        header.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    _lay_out(worksheet, len(sheet.columns))
    worksheet.print_title_rows = "1:1"  # the header on every printed page
    worksheet.page_setup.orientation = "landscape"


def _set(cell, value: object) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # what a workbook cell cannot hold

    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"  # text, even when it starts with "=": no formula runs
    else:
        cell.value = value
        cell.number_format = FORMATS[type(value)]


def _lay_out(worksheet, count: int) -> None:
    """Widths fitted to the content; text longer than ``MAX_WIDTH`` wrapped, its row as tall
    as its lines (no spreadsheet application recomputes it on opening); cells at the top."""
    from openpyxl.styles import Alignment

    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    lines: dict[int, int] = {}
    for cells in worksheet.iter_cols(max_col=count, min_row=1):
        width = max(_width(cell.value) for cell in cells)
        worksheet.column_dimensions[cells[0].column_letter].width = min(width, MAX_WIDTH) + 2
        for cell in cells[1:]:
            cell.alignment = wrap if width > MAX_WIDTH else top
            if width > MAX_WIDTH and cell.value is not None:
                lines[cell.row] = max(lines.get(cell.row, 1), _lines(str(cell.value)))
    for row, tall in lines.items():
        if tall > 1:
            worksheet.row_dimensions[row].height = LINE_HEIGHT * tall


def _lines(text: str) -> int:
    """Lines a text takes when wrapped in a column ``MAX_WIDTH`` wide."""
    return sum(max(1, -(-len(line) // LINE_CHARS)) for line in text.splitlines() or [""])


def _width(value: object) -> int:
    """Characters the value takes on screen (its longest line)."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.5f}")
    return max(len(line) for line in str(value).splitlines() or [""])
