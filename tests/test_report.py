"""The run's report, without a browser: what it reads from the run's CSV files, what it
flags for review, the page's data block, the cached template, and that a run writes it
(or not, with --no-report). tests/test_report_browser.py opens the page itself."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS
from pipeline.report import (
    SLOT,
    days_ms,
    event_columns,
    lanes,
    mercator,
    read_data,
    render,
    review_flags,
    template,
)
from pipeline.report_header import ReportData, header_html
from pipeline.resources import DEFAULT_MODELS_DIR, ModelError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATA_BLOCK = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


def event(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(
        event_id="doc:0123456789", doc_id="doc", title="Battle of X", event_date="2017-03-02",
        event_date_end="2017-03-02", date_precision="day", event_type="Battles", sub_event_type="Armed clash",
        actor1="Hay'at Tahrir al-Sham", actor2="Ahrar al-Sham", location="Saraqib", country="Syria",
        latitude="35.86", longitude="36.8", geo_precision="1", notes="They fought.", char_start="0", char_end="12",
    )  # fmt: skip
    row.update(cells)
    return row


def document(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(DOCUMENT_COLUMNS, "")
    row.update(doc_id="doc", path="doc.md", format="markdown", title="Battle of X", events="1", status="ok")
    row.update(cells)
    return row


def data(
    events: list[dict], documents: list[dict] | None = None, changes: list[dict] | None = None
) -> ReportData:
    return ReportData(
        table(events), documents or [document()], ["doc_id", "added", "changed", "removed"], changes or []
    )


def table(rows: list[dict]) -> dict[str, list[str]]:
    """Rows as events.csv holds them, column by column."""
    return {name: [row[name] for row in rows] for name in EVENT_COLUMNS}


def page_rows(page: str) -> dict:
    return json.loads(DATA_BLOCK.search(page).group(1))


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("report-cache")


@pytest.mark.parametrize(
    ("cells", "flags"),
    [
        ({}, []),
        ({"event_date": "", "event_date_end": ""}, ["no date"]),
        ({"location": "", "country": "", "latitude": "", "longitude": ""}, ["no place", "no coordinates"]),
        ({"location": "", "latitude": "", "longitude": ""}, ["no coordinates"]),  # a country is a place
        ({"latitude": ""}, ["no coordinates"]),
        ({"actor1": ""}, ["no side"]),
        ({"actor2": ""}, ["no side"]),  # a battle needs two sides
        ({"actor2": "", "event_type": "Strategic developments"}, []),
    ],
)
def test_review_flags_name_what_a_row_lacks(cells, flags):
    assert review_flags(event(**cells)) == flags


def test_days_are_milliseconds_and_unknown_days_nan():
    millis = days_ms(["1970-01-02", "", "2017-03-02"])
    assert millis[0] == 86_400_000
    assert np.isnan(millis[1])
    assert millis[2] == 1_488_412_800_000


def test_mercator_puts_the_equator_and_the_meridian_at_zero():
    x, y = mercator(np.array([0.0, 180.0]), np.array([0.0, 90.0]))
    assert x[0] == 0 and y[0] == pytest.approx(0, abs=1e-6)
    assert x[1] == pytest.approx(20_037_508.34, rel=1e-6)
    assert np.isfinite(y[1])  # the pole is clipped to the map's edge


def test_lanes_put_the_busiest_first_and_shorten_long_names():
    rows, labels = lanes(["b", "a", "b", "x" * 60])
    assert rows == [0, 1, 0, 2]
    assert labels[:2] == ["b", "a"]
    assert len(labels[2]) == 48 and labels[2].endswith("…")


def test_a_range_spans_through_its_last_day_and_a_day_is_one_day_long():
    columns = event_columns(table([event(), event(event_date="2017-03-01", event_date_end="2017-03-05")]))
    assert columns["end"][0] - columns["start"][0] == 86_400_000
    assert columns["end"][1] - columns["start"][1] == 5 * 86_400_000


def test_unknown_numbers_are_none_in_the_page_data():
    columns = event_columns(
        table([event(latitude="", longitude="", event_date="", event_date_end="", fatalities="")])
    )
    assert columns["merc_x"] == [None] and columns["start"] == [None]
    assert columns["size"] == [7.0]  # unknown deaths: the smallest mark
    assert columns["review"] == ["no date; no coordinates"]


@pytest.mark.parametrize(("precision", "fill"), [("1", 0.75), ("2", 0.55), ("3", 0.0), ("", 0.75)])
def test_a_province_is_drawn_hollow(precision, fill):
    assert event_columns(table([event(geo_precision=precision)]))["fill"] == [fill]


def test_a_run_without_events_has_every_column_the_page_draws(cache):
    empty = page_rows(render(data([]), DEFAULT_MODELS_DIR, cache))
    assert all(
        empty["columns"][name] == [] for name in (*EVENT_COLUMNS, "start", "merc_x", "review", "lane_doc")
    )
    assert empty["dates"] is None and empty["lanes"] == {"doc": [], "actor": []}


def test_header_counts_failures_and_shows_changes_csv_as_it_stands(cache):
    documents = [document(), document(doc_id="bad", path="bad.md", status="error: empty file")]
    changes = [{"doc_id": "doc", "added": "1", "changed": "0", "removed": "0"}]
    header = render(data([event(), event(actor1="")], documents, changes), DEFAULT_MODELS_DIR, cache)
    assert "<b>2</b> documents, <b>2</b> events, <b>1</b> failures" in header
    assert "<b>1</b> events need review" in header
    assert "bad.md: error: empty file" in header
    assert "<th>changed</th>" in header and "<td>doc</td>" in header
    other = ReportData(
        table([event()]), [document()], ["doc_id", "what", "event_id"], [{"doc_id": "doc", "what": "moved"}]
    )
    assert "<th>what</th><th>event_id</th>" in header_html(other, 0)  # any columns, a missing cell empty
    assert "No change since the previous run." in header_html(data([event()]), 0)


def test_text_in_the_header_is_escaped():
    header = header_html(data([], [document(path="<b>x</b>.md", status="error: <script>")]), 0)
    assert "<script>" not in header and "&lt;b&gt;x&lt;/b&gt;.md" in header


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=5))
def test_any_cell_text_reaches_the_page_unchanged(cache, texts):
    """Whatever a cell holds (a closing script tag, quotes, any unicode) the page's data
    block holds the same text, and nothing in it ends the block early."""
    rows = [
        event(event_id=f"doc:{i:010x}", notes=text, actor1=text, title=text) for i, text in enumerate(texts)
    ]
    page = render(data(rows), DEFAULT_MODELS_DIR, cache)
    columns = page_rows(page)["columns"]
    assert columns["notes"] == texts
    assert columns["actor1"] == texts


def test_the_template_is_built_once_and_rebuilt_when_unreadable(tmp_path):
    first = template(DEFAULT_MODELS_DIR, tmp_path)
    [cached] = tmp_path.glob("report-*.html")
    assert SLOT in first and cached.read_text(encoding="utf-8") == first
    assert template(DEFAULT_MODELS_DIR, tmp_path) == first  # read back, not built again
    cached.write_text("truncated", encoding="utf-8")
    again = template(DEFAULT_MODELS_DIR, tmp_path)
    assert SLOT in again and cached.read_text(encoding="utf-8") == again


def test_missing_outlines_are_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="country_outlines.json"):
        template(tmp_path, tmp_path / "cache")


class Links(HTMLParser):
    """Every address a page's own tags load (a script's text is not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.addresses += [value for name, value in attrs if name in ("src", "href")]


def test_the_page_loads_nothing_from_elsewhere(cache):
    links = Links()
    links.feed(render(data([event()]), DEFAULT_MODELS_DIR, cache))
    assert links.addresses == []  # every script and style inlined


def test_a_run_writes_the_report_from_its_csv_files(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--workers", "1"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    tables = read_data(out / "events.csv", out / "documents.csv", out / "changes.csv")
    rows = page_rows(page)
    assert rows["columns"]["event_id"] == tables.events["event_id"]
    assert rows["columns"]["notes"] == tables.events["notes"]
    assert rows["documents"]["doc_id"] == [row["doc_id"] for row in tables.documents]
    assert f"<b>{tables.event_count}</b> events" in page


def test_no_report_skips_it(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--workers", "1", "--no-report"]) == 0
    assert (out / "events.csv").exists() and not (out / "report.html").exists()


def test_an_excel_csv_run_reads_back_without_its_byte_order_mark(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--workers", "1", "--excel-csv"]) == 0
    rows = page_rows((out / "report.html").read_text(encoding="utf-8"))
    assert "event_id" in rows["columns"] and "\ufeffevent_id" not in rows["columns"]
