"""The workbook of a run: three typed sheets made from the CSV files, laid out to be
read (fitted widths, wrapped notes), text stored as text, and never left stale."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from pipeline.export import to_csv
from pipeline.run import RunOptions, run_batch
from pipeline.workbook import LINE_CHARS, LINE_HEIGHT, MAX_WIDTH, Sheet, sheet_from_csv, workbook_writer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def one_cell(column: str, value: str) -> object:
    return sheet_from_csv("s", f'{column}\n"{value}"\n').rows[0][0]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("event_date", "2017-03-09", date(2017, 3, 9)),
        ("date_start", "2017-01-20", date(2017, 1, 20)),
        ("latitude", "35.65", 35.65),
        ("fatalities", "12", 12),
        ("events", "0", 0),
        ("fatalities", "", None),
        ("actor1", "'=HYPERLINK(1)", "=HYPERLINK(1)"),
        ("notes", "'-3 killed", "-3 killed"),
        ("notes", "'Operation Dawn'", "'Operation Dawn'"),
        ("doc_id", "2015", "2015"),
        ("added", "4", 4),
        ("fields", "location: Idlib -> Saraqib", "location: Idlib -> Saraqib"),
    ],
    ids=[
        "date",
        "document-date",
        "float",
        "count",
        "zero",
        "unknown",
        "formula-guard-off",
        "minus-guard-off",
        "quoted-title-kept",
        "numeric-looking-id-is-text",
        "unknown-column-of-numbers",
        "unknown-column-of-text",
    ],
)
def test_cells_are_typed_from_the_csv(column, value, expected):
    assert one_cell(column, value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["4", "", "12"], [4, None, 12]), (["4", "007"], ["4", "007"]), (["4", "x"], ["4", "x"])],
    ids=["whole-numbers", "leading-zero", "mixed"],
)
def test_an_unknown_column_holds_numbers_only_when_every_cell_is_one(values, expected):
    sheet = sheet_from_csv("changes", "removed\n" + "".join(f'"{v}"\n' for v in values))
    assert [row[0] for row in sheet.rows] == expected


TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"))


@given(st.lists(TEXT, min_size=1, max_size=5))
def test_text_reads_back_as_written(values):
    """What the CSV guards against formulas comes back as it was (a text that itself starts
    with a quote before a formula sign is the one that cannot be told from a guarded one).
    Carriage returns are left out: the CSV writes them as line breaks (``export.cell``)."""
    values = [v for v in values if not (v.startswith("'") and v[1:2] in "=+-@\t\r")] or ["x"]
    text = to_csv([{"notes": v} for v in values], ["notes"])
    assert [row[0] for row in sheet_from_csv("events", text).rows] == [v or None for v in values]


def write(sheets: list[Sheet]):
    handle = io.BytesIO()
    workbook_writer(sheets)(handle)
    handle.seek(0)
    return load_workbook(handle)


def test_text_that_looks_like_a_formula_is_stored_as_text():
    book = write([Sheet("events", ["actor1", "notes"], [["=HYPERLINK(1)", "+3 killed"]])])
    cells = book["events"][2]
    assert [(c.value, c.data_type) for c in cells] == [("=HYPERLINK(1)", "s"), ("+3 killed", "s")]


def test_columns_fit_their_content_and_long_text_wraps():
    notes = "On 7 February, Jund al-Aqsa captured the town of Kafr Zita and stormed Taybat al-Imam."
    book = write(
        [Sheet("events", ["event_date", "actor1", "notes"], [[date(2017, 2, 7), "Jund al-Aqsa", notes]])]
    )
    sheet = book["events"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [12, len("Jund al-Aqsa") + 2, MAX_WIDTH + 2]
    assert sheet["C2"].alignment.wrap_text and not sheet["B2"].alignment.wrap_text
    assert sheet["A2"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("length", "height"),
    [(40, None), (LINE_CHARS * 2, 2 * LINE_HEIGHT), (LINE_CHARS * 3 + 1, 4 * LINE_HEIGHT)],
)
def test_a_row_is_as_tall_as_its_wrapped_text(length, height):
    rows = [["x" * (MAX_WIDTH + 1)], ["y" * length]]
    sheet = write([Sheet("events", ["notes"], rows)])["events"]
    assert sheet.row_dimensions[3].height == height


def test_a_run_writes_three_sheets_matching_the_csv_files(tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([SEEDS], out, RunOptions(xlsx=True), extractor=extractor)
    book = load_workbook(out / "events.xlsx")
    assert book.sheetnames == ["events", "documents", "changes"]
    for name in book.sheetnames:
        rows = list(csv.reader(io.StringIO((out / f"{name}.csv").read_text(encoding="utf-8"))))
        assert [c.value for c in book[name][1]] == rows[0]
        assert book[name].max_row == len(rows)
    documents = book["documents"]
    assert isinstance(documents["E2"].value, datetime) and isinstance(documents["K2"].value, int)
    assert all(not str(c.value).startswith("'") for row in book["events"].iter_rows() for c in row if c.value)


def test_a_run_without_xlsx_removes_the_stale_workbook(tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([SEEDS], out, RunOptions(xlsx=True), extractor=extractor)
    assert (out / "events.xlsx").exists()
    run_batch([SEEDS], out, RunOptions(), extractor=extractor)
    assert not (out / "events.xlsx").exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".lock"]
