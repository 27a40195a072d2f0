"""Batch runs: bad input never stops the batch, duplicates count once, any number of
workers gives the same output, spreadsheet outputs read back, exit statuses."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.run import RunOptions, run_batch

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = """Raid on Exampleton

The raid on Exampleton was a battle in 2017 between the Gamma Front and the Delta Legion over the town of Exampleton.

On 2 March 2017, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing 4 fighters.
"""


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "utf16.txt").write_bytes(
        ARTICLE.replace("Raid on Exampleton", "Raid on Sampletown").encode("utf-16")
    )
    (folder / "cp1252.txt").write_bytes(
        ARTICLE.replace("Raid on Exampleton", "Raid on Café").encode("cp1252")
    )
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (folder / "notes.md").write_text("just a line\n", encoding="utf-8")
    (folder / "badyaml.md").write_text(
        "---\ntitle: [unclosed\n---\nBody text of an article.\n", encoding="utf-8"
    )
    (folder / "huge.txt").write_text(ARTICLE + "x" * 5000, encoding="utf-8")
    (folder / "dangling.md").symlink_to(folder / "missing.md")
    (folder / "loop_a.md").symlink_to(folder / "loop_b.md")
    (folder / "loop_b.md").symlink_to(folder / "loop_a.md")
    (folder / "zz_copy.md").write_text(
        "---\nsubject: Raid on Exampleton\n---\n\n" + ARTICLE.split("\n\n", 1)[1], encoding="utf-8"
    )
    return folder


def statuses(out: Path) -> dict[str, str]:
    return {row["path"]: row["status"] for row in read_csv(out / "documents.csv")}


def test_bad_input_never_stops_the_batch(batch, tmp_path, extractor):
    out = tmp_path / "out"
    summary = run_batch([batch], out, RunOptions(max_bytes=1000), extractor=extractor)
    found = statuses(out)
    assert found["good.txt"] == "ok"
    assert found["utf16.txt"] == "ok" and found["cp1252.txt"] == "ok"
    assert found["empty.md"] == "error: empty file"
    assert found["binary.txt"].startswith("error: binary file")
    assert found["notes.md"].startswith("error: not an article")
    assert found["badyaml.md"].startswith("error: malformed YAML front matter")
    assert found["huge.txt"].startswith("error: file too large")
    assert found["dangling.md"].startswith("error: unreadable file")
    assert found["loop_a.md"].startswith("error: unreadable file (too many levels of symbolic links)")
    assert len(summary.failures) == 8
    assert {row["doc_id"] for row in read_csv(out / "events.csv")} >= {"good", "utf16", "cp1252"}


def test_the_same_article_twice_counts_once(batch, tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([batch], out, RunOptions(), extractor=extractor)
    documents = {row["path"]: row for row in read_csv(out / "documents.csv")}
    assert documents["zz_copy.md"]["status"] == "duplicate of good"
    assert documents["zz_copy.md"]["events"] == "0"
    assert "zz_copy" not in {row["doc_id"] for row in read_csv(out / "events.csv")}
    run_batch([batch], out, RunOptions(keep_duplicates=True), extractor=extractor)
    assert "zz_copy" in {row["doc_id"] for row in read_csv(out / "events.csv")}


def test_output_is_the_same_for_any_number_of_workers(tmp_path, extractor):
    run_batch([SEEDS], tmp_path / "one", RunOptions(workers=1), extractor=extractor)
    run_batch([SEEDS], tmp_path / "two", RunOptions(workers=2), extractor=extractor)
    for name in ("events.csv", "documents.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_spreadsheet_outputs_read_back(tmp_path, extractor):
    out = tmp_path / "out"
    run_batch([SEEDS], out, RunOptions(xlsx=True, excel_csv=True), extractor=extractor)
    raw = (out / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(out / "events.csv")
    sheet = load_workbook(out / "events.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["event_id", "doc_id", "title"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["event_id"] == rows[0]["event_id"]
    assert first["event_date"].date().isoformat() == rows[0]["event_date"]
    assert isinstance(first["char_start"], int)
    assert sheet.max_row == len(rows) + 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["run", "does-not-exist"], 2),
        (["run", "seeds", "--workers", "0"], 2),
    ],
    ids=["missing-input", "bad-workers"],
)
def test_usage_errors_exit_2(args, code, tmp_path):
    assert main([*args, "--out", str(tmp_path)]) == code


def test_exit_status_is_1_when_a_document_fails(batch, tmp_path, capsys):
    code = main(["run", str(batch), "--out", str(tmp_path / "out"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: empty.md: empty file" in err.splitlines()


def test_exit_status_is_0_when_all_documents_are_ok(tmp_path):
    assert main(["run", str(SEEDS), "--out", str(tmp_path), "--workers", "1"]) == 0
    assert os.path.exists(tmp_path / "events.csv")


@pytest.mark.parametrize("full", [True, False])
def test_spreadsheet_of_a_batch_with_bad_files_matches_the_csv(batch, tmp_path, extractor, full):
    out = tmp_path / "out"
    run_batch([batch], out, RunOptions(max_bytes=1000), extractor=extractor)
    run_batch([batch], out, RunOptions(max_bytes=1000, xlsx=True, full=full), extractor=extractor)
    ids = [row["event_id"] for row in read_csv(out / "events.csv")]
    sheet = load_workbook(out / "events.xlsx").active
    assert ids and [row[0].value for row in sheet.iter_rows(min_row=2)] == ids


def test_a_folder_without_documents_is_an_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"error: no document found in {tmp_path / 'in'} (looked for .md, .markdown, .txt, .html, .htm "
        f"files, in subfolders too); nothing was changed in {out}\n"
    )
    assert not out.exists()


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert re.fullmatch(r"conflict-events \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def test_every_bench_option_is_described(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    text = capsys.readouterr().out
    for option in ("folders", "--docs DOCS", "--workers WORKERS", "--out OUT"):
        line = next(line for line in text.splitlines() if line.strip().startswith(option))
        assert len(line.strip()) > len(option) + 10, line
