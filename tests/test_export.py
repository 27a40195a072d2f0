"""Export and validation: codebook formats, spreadsheet safety, atomic writes, stable ids."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.export import EVENT_COLUMNS, cell, document_rows, event_id, event_rows, to_csv
from pipeline.records import DocumentResult, Event
from pipeline.validation import OutputInvalid, _text, validate


def make_event(**changes) -> Event:
    fields = dict(
        doc_id="a",
        title="T",
        section="",
        event_type="Battles",
        sub_event_type="Armed clash",
        char_start=0,
        char_end=10,
        notes="X attacked Y.",
        evidence_key="X attacked Y.",
        event_date=date(2017, 1, 2),
        event_date_end=date(2017, 1, 2),
        date_precision="day",
    )
    fields.update(changes)
    return Event(**fields)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("actor1", "=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("notes", "+3 killed", "'+3 killed"),
        ("notes", "-3 killed", "'-3 killed"),
        ("notes", "@cmd", "'@cmd"),
        ("notes", "\tx", "'\tx"),
        ("longitude", -16.5, "-16.5"),
        ("fatalities", 0, "0"),
        ("fatalities", None, ""),
        ("event_date", date(2017, 3, 9), "2017-03-09"),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "negative-number", "zero", "unknown", "date"],
)
def test_cells_are_spreadsheet_safe(column, value, expected):
    assert cell(column, value) == expected


def test_csv_has_codebook_header_and_unix_line_ends():
    rows = event_rows([DocumentResult(doc=None, path="a.md", doc_id="a", events=[make_event()])])
    text = to_csv(rows, EVENT_COLUMNS)
    assert text.splitlines()[0].split(",") == EVENT_COLUMNS
    assert "\r" not in text and text.endswith("\n")


def test_event_id_depends_on_evidence_and_ordinal_only():
    first = event_id("doc", "JFS attacked Ahrar al-Sham in Darkush.", 0)
    assert first == event_id("doc", "JFS  attacked Ahrar al-Sham in Darkush.", 0)
    assert first != event_id("doc", "JFS attacked Ahrar al-Sham in Darkush.", 1)
    assert first.startswith("doc:") and len(first) == len("doc:") + 10


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"event_type": "Battle"}, "event_type"),
        ({"sub_event_type": "Air/drone strike"}, None),
        ({"event_date": date(2017, 2, 1)}, None),
        ({"fatalities": -1}, "fatalities"),
        ({"date_precision": "week"}, "date_precision"),
        ({"geo_precision": 4}, "geo_precision"),
    ],
    ids=[
        "bad-type",
        "sub-type-of-other-type",
        "start-after-end",
        "negative-count",
        "bad-precision",
        "bad-geo",
    ],
)
def test_validation_names_document_and_row(changes, column):
    rows = event_rows(
        [
            DocumentResult(
                doc=None,
                path="a.md",
                doc_id="a",
                events=[make_event(), make_event(notes="Z.", evidence_key="Z.", **changes)],
            )
        ]
    )
    with pytest.raises(OutputInvalid, match="document 'a', row") as raised:
        validate(rows, [])
    if column:
        assert column in str(raised.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (float("nan"), None),
        ("", None),
        ("Idlib", "Idlib"),
        (date(2017, 1, 2), "2017-01-02"),
        (3, "3"),
    ],
    ids=["none", "nan", "empty", "text", "date", "number"],
)
def test_cells_are_validated_as_text_or_unknown(value, text):
    assert _text(value) == text


def test_an_empty_required_text_is_rejected():
    rows = document_rows([DocumentResult(doc=None, path="", doc_id="a")])
    with pytest.raises(OutputInvalid, match="documents.csv: document 'a', row 0: column 'path'"):
        validate([], rows)


def test_duplicate_event_ids_are_rejected():
    rows = event_rows([DocumentResult(doc=None, path="a.md", doc_id="a", events=[make_event()])])
    with pytest.raises(OutputInvalid, match="event_id"):
        validate(rows + rows, [])


def test_editing_one_paragraph_changes_no_other_paragraphs_ids(extractor):
    from pipeline.records import Block, Document, Metadata

    def ids(paragraphs: list[str]) -> dict[str, set[str]]:
        text, blocks = "", []
        for paragraph in paragraphs:
            blocks.append(Block(paragraph, len(text)))
            text += paragraph + "\n\n"
        document = Document("doc", "doc.md", "markdown", text, "0" * 64, Metadata("T", "2017"), blocks)
        rows = event_rows([extractor.extract_document(document)])
        return {p: {r["event_id"] for r in rows if r["notes"] in p} for p in paragraphs}

    first = "On 2 March, HTS attacked Ahrar al-Sham in Saraqib."
    second = "On 3 March, Ahrar al-Sham captured the town of Salqin."
    third = "On 5 March, HTS shelled Ariha."
    before = ids([first, second, third])
    after = ids([first, "On 4 March, Ahrar al-Sham captured the town of Salqin and stormed Binnish.", third])
    assert before[first] and before[third]
    assert after[first] == before[first]
    assert after[third] == before[third]
