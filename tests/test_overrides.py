"""An analyst's corrections: read and checked with the line named, applied on every run
(through edits of other paragraphs, full runs and any number of workers), and reported
when their event is gone."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.overrides import OverrideError, load, read
from pipeline.run import RunOptions, run_batch

ARTICLE = """Clashes in Sampletown (2018)

The clashes in Sampletown (2018) were fought between Hay'at Tahrir al-Sham and Ahrar al-Sham in May 2018.

On 2 May 2018, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing 4 fighters.

On 5 May 2018, Hay'at Tahrir al-Sham shelled Binnish.

On 9 May 2018, Ahrar al-Sham captured the town of Salqin from Hay'at Tahrir al-Sham.
"""
EVENT = "doc:0123456789"


def read_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_overrides(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["location"], ["Saraqib"]], "line 1: no event_id column"),
        ([["event_id", "fatality"], [EVENT, "3"]], "line 1: unknown column 'fatality'"),
        ([["event_id", "char_start"], [EVENT, "3"]], "line 1: column 'char_start' cannot be corrected"),
        ([["event_id", "doc_id"], [EVENT, "x"]], "line 1: column 'doc_id' cannot be corrected"),
        ([["event_id", "actor1", "actor1"], [EVENT, "x", "y"]], "line 1: column 'actor1' appears twice"),
        ([["event_id", "fatalities"], [EVENT, "ten"]], "line 2: fatalities is 'ten', not a number"),
        ([["event_id", "latitude"], [EVENT, "36,1"]], "line 2: latitude is '36,1', not a number"),
        (
            [["event_id", "event_date"], [EVENT, "02/05/2018"]],
            "line 2: event_date is '02/05/2018', not a date written YYYY-MM-DD",
        ),
        (
            [["event_id", "event_date"], [EVENT, "2018-02-30"]],
            "line 2: event_date is '2018-02-30', not a date written YYYY-MM-DD",
        ),
        ([["event_id", "location"], ["Saraqib", "x"]], "line 2: 'Saraqib' is not an event_id"),
        ([["event_id", "drop"], [EVENT, "maybe"]], "line 2: drop is 'maybe'; write yes or leave it empty"),
        (
            [["event_id", "notes", "fatalities"], [EVENT, "two\nlines", "1"], ["doc:1111111111", "", "x"]],
            "line 4: fatalities is 'x', not a number",
        ),
        (
            [["event_id", "location"], [EVENT, "A"], [EVENT, "B"]],
            f"line 3: event {EVENT} is corrected already (",
        ),
    ],
    ids=[
        "no-id",
        "unknown",
        "offset",
        "doc-id",
        "twice",
        "number",
        "coordinate",
        "date-format",
        "no-such-day",
        "bad-id",
        "drop",
        "line-after-multiline",
        "same-event",
    ],
)
def test_a_bad_file_is_an_error_naming_its_line(tmp_path, rows, message):
    path = write_overrides(tmp_path / "overrides.csv", rows)
    with pytest.raises(OverrideError) as caught:
        load([path])
    assert f"{path}, {message}" in str(caught.value)


def test_cells_are_typed_and_empty_leaves_the_field(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(
        "\ufeffevent_id,fatalities,latitude,event_date,location,admin1,drop,comment\n"
        f"{EVENT},12,36.5,2018-05-03,(empty),,,checked\n"
        "doc:1111111111,,,,,,yes,false event\n",
        encoding="utf-8",
    )
    first, second = read(path)
    assert first.values == {
        "event_date": date(2018, 5, 3),
        "location": None,
        "latitude": 36.5,
        "fatalities": 12,
    }
    assert list(first.values) == ["event_date", "location", "latitude", "fatalities"]
    assert not first.drop and second.drop and second.values == {}
    assert second.where == f"{path}, line 3"


@given(st.text(max_size=300))
def test_any_file_reads_or_fails_with_an_override_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("overrides") / "overrides.csv"
    path.write_text(text, encoding="utf-8")
    try:
        found = read(path)
    except OverrideError as err:
        assert str(path) in str(err)
    else:
        assert all(o.event_id.count(":") >= 1 for o in found)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "other.txt").write_text(ARTICLE.replace("Sampletown", "Othertown"), encoding="utf-8")
    return folder


def events_by_date(out: Path) -> dict[str, dict]:
    """The events of doc by their day (one a day in the article)."""
    return {row["event_date"][5:]: row for row in read_rows(out / "events.csv") if row["doc_id"] == "doc"}


def test_corrections_survive_edits_full_runs_and_workers(corpus, tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([corpus], out, extractor=extractor)
    extracted = events_by_date(out)
    attack, shelling, capture = (
        extracted["05-02"],
        extracted["05-05"],
        extracted["05-09"],
    )
    assert attack["fatalities"] == "4" and attack["overridden"] == ""
    write_overrides(
        corpus / "overrides.csv",
        [
            ["event_id", "actor2", "fatalities", "location", "drop"],
            [attack["event_id"], "Jaysh al-Izza", "5", "", ""],
            [shelling["event_id"], "", "", "", "yes"],
            [capture["event_id"], "", "", "(empty)", ""],
        ],
    )

    def check(summary) -> None:
        rows = events_by_date(out)
        assert rows["05-02"] == attack | {
            "actor2": "Jaysh al-Izza",
            "fatalities": "5",
            "overridden": "actor2; fatalities",
            "char_start": rows["05-02"]["char_start"],
            "char_end": rows["05-02"]["char_end"],
        }
        assert "05-05" not in rows
        assert rows["05-09"]["location"] == "" and rows["05-09"]["overridden"] == "location"
        documents = {row["doc_id"]: row for row in read_rows(out / "documents.csv")}
        assert int(documents["doc"]["events"]) == len(rows) == len(extracted) - 1
        assert summary.warnings == []

    summary = run_batch([corpus], out, extractor=extractor)
    check(summary)
    assert summary.change_lines() == ["doc: 0 added, 2 changed, 1 removed"]
    edit(corpus / "doc.txt", "in May 2018.", "in May 2018, with many fighters on both sides.")
    edit(corpus / "doc.txt", "Sampletown (2018)\n\n", "Sampletown (2018)\n\nThe town lies on a plain.\n\n")
    check(run_batch([corpus], out, extractor=extractor))
    written = (out / "events.csv").read_bytes()
    for options in (RunOptions(full=True), RunOptions(full=True, workers=2)):
        check(run_batch([corpus], out, options, extractor=extractor))
        assert (out / "events.csv").read_bytes() == written


def test_a_deleted_sentence_orphans_its_correction(corpus, tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([corpus], out, extractor=extractor)
    extracted = events_by_date(out)
    attack, capture = extracted["05-02"], extracted["05-09"]
    write_overrides(
        corpus / "overrides.csv",
        [
            ["event_id", "actor2"],
            [attack["event_id"], "Jaysh al-Izza"],
            [capture["event_id"], "Jaysh al-Izza"],
        ],
    )
    run_batch([corpus], out, extractor=extractor)
    edit(
        corpus / "doc.txt",
        "On 9 May 2018, Ahrar al-Sham captured the town of Salqin from Hay'at Tahrir al-Sham.\n",
        "",
    )
    summary = run_batch([corpus], out, extractor=extractor)
    assert summary.warnings == [
        f"warning: {corpus / 'overrides.csv'}, line 3: event {capture['event_id']} is not in events.csv "
        "(its sentence was edited or deleted: events.csv has the events of doc now); "
        "its correction was not applied"
    ]
    assert summary.change_lines() == [
        "doc: 0 added, 0 changed, 1 removed",
        "1 correction matches no event: see the warnings above and changes.csv",
    ]
    orphan = read_rows(out / "changes.csv")[-1]
    assert orphan["change"] == "orphaned override" and orphan["event_id"] == capture["event_id"]
    assert orphan["fields"] == "actor2: Jaysh al-Izza"
    assert events_by_date(out)["05-02"]["actor2"] == "Jaysh al-Izza"


def test_an_edited_sentence_names_the_event_that_took_its_place(corpus, tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([corpus], out, extractor=extractor)
    attack = events_by_date(out)["05-02"]
    write_overrides(corpus / "overrides.csv", [["event_id", "fatalities"], [attack["event_id"], "6"]])
    run_batch([corpus], out, extractor=extractor)
    edit(corpus / "doc.txt", "killing 4 fighters", "killing 7 fighters")
    summary = run_batch([corpus], out, extractor=extractor)
    now = events_by_date(out)["05-02"]
    assert now["fatalities"] == "7" and now["overridden"] == ""
    assert f"(its sentence was edited: the event is {now['event_id']} now)" in summary.warnings[0]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"event_type": "Battle"}, "column 'event_type' fails isin"),
        ({"sub_event_type": "Air/drone strike"}, "sub_event_type does not belong to event_type"),
        ({"event_date": "2019-01-01"}, "event_date after event_date_end"),
        ({"geo_precision": "7"}, "column 'geo_precision' fails isin"),
    ],
    ids=["type", "sub-type", "dates", "precision"],
)
def test_a_correction_that_breaks_the_codebook_stops_the_run(
    corpus, tmp_path, extractor, capsys, cells, message
):
    out = tmp_path / "out"
    run_batch([corpus], out, extractor=extractor)
    before = (out / "events.csv").read_bytes()
    attack = events_by_date(out)["05-02"]
    path = write_overrides(
        corpus / "overrides.csv",
        [
            ["event_id", "location", *cells],
            ["doc:9999999999", "x", *["" for _ in cells]],
            [attack["event_id"], "", *cells.values()],
        ],
    )
    assert main(["run", str(corpus), "--out", str(out), "--workers", "1"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"error: {path}, line 3: ") and message in error
    assert error.endswith(f"nothing was changed in {out}")
    assert (out / "events.csv").read_bytes() == before


def test_an_overrides_file_given_on_the_command_line(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    path = write_overrides(tmp_path / "mine.csv", [["event_id", "fatalities"], ["doc:0123456789", "ten"]])
    assert main(["run", str(corpus), "--out", str(out), "--overrides", str(path)]) == 2
    assert f"error: {path}, line 2: fatalities is 'ten', not a number" in capsys.readouterr().err
    assert main(["run", str(corpus), "--out", str(out), "--overrides", str(tmp_path / "none.csv")]) == 2
    assert f"error: overrides file not found: {tmp_path / 'none.csv'}" in capsys.readouterr().err
