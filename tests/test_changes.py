"""The change report: events matched by id, offsets no change, an edited sentence one
changed event, a line per document (totals when many changed), changes.csv per event."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.changes import MANY_DOCUMENTS, ChangeReport, EventChange, compare, parse
from pipeline.export import EVENT_COLUMNS, cell, csv_lines
from pipeline.run import run_batch

ARTICLE = """Clashes in Sampletown{index} (2018)

The clashes in Sampletown{index} (2018) were fought between Hay'at Tahrir al-Sham and Ahrar al-Sham in May 2018.

On 2 May 2018, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing {killed} fighters. Later that day, Hay'at Tahrir al-Sham shelled Binnish.

On 9 May 2018, Ahrar al-Sham captured the town of Salqin from Hay'at Tahrir al-Sham.
"""
BASE = {column: "" for column in EVENT_COLUMNS} | {
    "doc_id": "d",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "char_start": "10",
    "char_end": "60",
}


def row(event_id: str, **cells: str) -> dict:
    return BASE | {"event_id": f"d:{event_id}", "notes": "On 2 May 2018, A attacked B in Saraqib."} | cells


def text(*rows: dict) -> str:
    return "".join(csv_lines(list(rows), EVENT_COLUMNS))


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        article = ARTICLE.format(index=index, killed=index + 2)
        (folder / f"doc{index:03d}.txt").write_text(article, encoding="utf-8")


def read_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([row("aaaaaaaaaa")], [row("aaaaaaaaaa", char_start="500", char_end="550")], []),
        (
            [row("aaaaaaaaaa", fatalities="3")],
            [row("aaaaaaaaaa", fatalities="30", char_start="99")],
            [("changed", "d:aaaaaaaaaa", "fatalities: 3 -> 30")],
        ),
        (
            [row("aaaaaaaaaa", location="Saraqib")],
            [row("aaaaaaaaaa")],
            [("changed", "d:aaaaaaaaaa", "location: Saraqib -> (empty)")],
        ),
        ([], [row("aaaaaaaaaa")], [("added", "d:aaaaaaaaaa", "")]),
        ([row("aaaaaaaaaa")], [], [("removed", "d:aaaaaaaaaa", "")]),
        (
            [row("aaaaaaaaaa", notes="On 2 May, A attacked B in Saraqib, killing 3.", fatalities="3")],
            [row("bbbbbbbbbb", notes="On 2 May, A attacked B in Saraqib, killing 30.", fatalities="30")],
            [
                (
                    "changed",
                    "d:bbbbbbbbbb",
                    "event_id: d:aaaaaaaaaa -> d:bbbbbbbbbb | fatalities: 3 -> 30 | notes: On 2 May, A "
                    "attacked B in Saraqib, killing 3. -> On 2 May, A attacked B in Saraqib, killing 30.",
                )
            ],
        ),
        (
            [row("aaaaaaaaaa", notes="On 2 May, A attacked B in Saraqib.")],
            [row("bbbbbbbbbb", notes="Government forces shelled Binnish for a week.")],
            [("added", "d:bbbbbbbbbb", ""), ("removed", "d:aaaaaaaaaa", "")],
        ),
    ],
    ids=["offsets-only", "figure", "emptied", "added", "removed", "edited-sentence", "unlike-sentences"],
)
def test_compare_lists_each_event_once(before, after, expected):
    changes = compare("d", text(*before), text(*after))
    assert [(c.change, c.event_id, c.fields) for c in changes] == expected


def test_two_events_of_an_edited_sentence_pair_with_their_own():
    sentence = "On 2 May, A attacked B in Saraqib and shelled Binnish, killing {}."
    before = [
        row("aaaaaaaaaa", notes=sentence.format(3), location="Saraqib"),
        row("cccccccccc", notes=sentence.format(3), location="Binnish"),
    ]
    after = [
        row("dddddddddd", notes=sentence.format(4), location="Binnish"),
        row("bbbbbbbbbb", notes=sentence.format(4), location="Saraqib"),
    ]
    changes = {c.was: c for c in compare("d", text(*before), text(*after))}
    assert changes["d:aaaaaaaaaa"].event_id == "d:bbbbbbbbbb"
    assert changes["d:cccccccccc"].event_id == "d:dddddddddd"
    assert all("location" not in c.fields for c in changes.values())


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    notes=cells,
    actor=cells,
    fatalities=st.none() | st.integers(min_value=0, max_value=10**9),
    start=st.integers(min_value=0, max_value=10**6),
)
def test_rows_read_back_from_their_csv_and_moved_offsets_are_no_change(notes, actor, fatalities, start):
    typed = BASE | {
        "event_id": "d:aaaaaaaaaa",
        "notes": notes,
        "actor1": actor,
        "fatalities": fatalities,
        "latitude": 36.12345,
        "char_start": start,
        "char_end": start + 1,
    }
    line = csv_lines([typed], EVENT_COLUMNS)[0]
    assert parse(line) == [{column: cell(column, typed[column]) for column in EVENT_COLUMNS}]
    moved = csv_lines([typed | {"char_start": start + 7, "char_end": start + 9}], EVENT_COLUMNS)[0]
    assert compare("d", line, moved) == []
    figure = (fatalities or 0) + 1
    changed = compare("d", line, csv_lines([typed | {"fatalities": figure}], EVENT_COLUMNS)[0])
    was = "(empty)" if fatalities is None else fatalities
    assert [c.fields for c in changed] == [f"fatalities: {was} -> {figure}"]


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        (0, ["no change since the previous run"]),
        (2, ["doc000: 1 added, 1 changed, 0 removed", "doc001: 1 added, 1 changed, 0 removed"]),
        (
            MANY_DOCUMENTS + 1,
            [
                f"{MANY_DOCUMENTS + 1} documents changed: {MANY_DOCUMENTS + 1} events added, "
                f"{MANY_DOCUMENTS + 1} changed, 0 removed (each one in changes.csv)"
            ],
        ),
    ],
    ids=["none", "few", "many"],
)
def test_summary_is_a_line_per_document_or_totals(documents, expected):
    report = ChangeReport(
        [
            EventChange(f"doc{index:03d}", f"doc{index:03d}:{kind[0] * 10}", kind)
            for index in range(documents)
            for kind in ("added", "changed")
        ]
    )
    assert report.lines() == expected


def test_rerun_reports_each_event_that_changed(tmp_path, extractor):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 4)
    first = run_batch([corpus], out, extractor=extractor)
    assert first.change_lines() == [f"doc00{i}: 3 added, 0 changed, 0 removed" for i in range(4)]
    assert run_batch([corpus], out, extractor=extractor).change_lines() == [
        "no change since the previous run"
    ]
    # a paragraph inserted before every event moves every offset: no change
    edit(corpus / "doc001.txt", "\n\n", "\n\nThe town is known for its olive groves.\n\n")
    assert run_batch([corpus], out, extractor=extractor).change_lines() == [
        "no change since the previous run"
    ]
    assert read_rows(out / "changes.csv") == []
    edit(corpus / "doc001.txt", "On 2 May 2018", "On 3 May 2018")
    (corpus / "doc002.txt").unlink()
    summary = run_batch([corpus], out, extractor=extractor)
    assert summary.change_lines() == [
        "doc001: 0 added, 2 changed, 0 removed",
        "doc002: 0 added, 0 changed, 3 removed",
    ]
    rows = read_rows(out / "changes.csv")
    assert [(r["doc_id"], r["change"]) for r in rows] == [("doc001", "changed")] * 2 + [
        ("doc002", "removed")
    ] * 3
    edited, dated = rows[0]["fields"].split(" | "), rows[1]["fields"].split(" | ")
    assert edited[0].startswith("event_id: doc001:") and "event_date: 2018-05-02 -> 2018-05-03" in edited
    assert dated == ["event_date: 2018-05-02 -> 2018-05-03", "event_date_end: 2018-05-02 -> 2018-05-03"]
    assert rows[1]["notes"] == "Later that day, Hay'at Tahrir al-Sham shelled Binnish."


def test_many_changed_documents_give_one_line(tmp_path, extractor):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, MANY_DOCUMENTS + 2)
    summary = run_batch([corpus], out, extractor=extractor)
    count = MANY_DOCUMENTS + 2
    assert summary.change_lines() == [
        f"{count} documents changed: {3 * count} events added, 0 changed, 0 removed (each one in changes.csv)"
    ]
    assert len(read_rows(out / "changes.csv")) == 3 * count
