"""Hostile input never stops a batch: one regression test for each way a batch used to end
(issue 10's list), plus isolation of a document that raises, hangs or kills its worker."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.outputs import JOURNAL, OutputSet, recover
from pipeline.run import RunOptions, run_batch
from pipeline.taggers import triggers

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """Raid on {town}

The raid on {town} was a battle in 2017 between Hay'at Tahrir al-Sham and Ahrar al-Sham.

On 2 March 2017, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing 4 fighters.
{extra}
"""
BOMB = "".join(
    [
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)),
        "tags: *a8\n",
    ]
)


def article(town: str = "Exampleton", extra: str = "") -> str:
    return ARTICLE.format(town=town, extra=extra)


def markdown(front: str, body: str = "") -> str:
    return f"---\n{front}---\n\n{body or article().split(chr(10) * 2, 1)[1]}"


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def statuses(out: Path) -> dict[str, str]:
    return {row["doc_id"]: row["status"] for row in read_csv(out / "documents.csv")}


def one_file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """Write ``content`` to ``in/name`` under ``tmp_path``; returns the ``in`` folder."""
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return tmp_path / "in"


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        # 1: a paragraph that ends in a name that starts a longer one
        ("aleppo.md", markdown("title: Siege of Aleppo\nplace: Aleppo, Syria\n", "Aleppo\n"), "ok"),
        ("kunduz.md", markdown("place: Kunduz\n", "Fighting in Kunduz\n\nSiege of Aleppo\n"), "ok"),
        # 5: a YAML alias bomb is refused by its expanded size
        ("bomb.md", markdown(BOMB), "error: front matter too large"),
        # 6: values that look like dates stay text; odd types are read or reported
        ("dates.md", markdown("s: 2016-13-01\ndate: 2023-02-30\ntags: .nan\n"), "ok"),
        ("tagnumber.md", markdown("tags: 5\ntitle: 12\n"), "ok"),
        ("mapping.md", markdown("title: {a: 1}\n"), "error: front matter 'title' is a mapping"),
        ("tagged.md", markdown("date: !!float abc\n"), "error: malformed YAML front matter (could not"),
        ("stamp.md", markdown("e: {e: 2016-3-1T5:61:00}\ndate: 0000-01-01\n"), "ok"),
        ("deep.md", markdown("a: " + "[" * 3000 + "]" * 3000 + "\n"), "error: malformed YAML"),
        # 7: invalid bytes after a byte order mark
        ("bom8.txt", b"\xef\xbb\xbf\xf3" + article().encode(), "ok"),
        ("bom16.txt", b"\xff\xfeB\x00\n", "error: not an article"),
        ("bom16odd.txt", b"\xff\xfe" + article().encode("utf-16-le") + b"\x00", "ok"),
    ],
)
def test_hostile_file_gets_a_status(tmp_path, extractor, name, content, status):
    folder = one_file(tmp_path, name, content)
    summary = run_batch([folder], tmp_path / "out", RunOptions(), extractor=extractor)
    assert next(iter(statuses(tmp_path / "out").values())).startswith(status)
    assert summary.documents == 1


def test_sentences_that_differ_in_case_or_punctuation_get_distinct_ids(tmp_path, extractor):
    sentence = "On 2 March 2017, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib"
    folder = one_file(tmp_path, "twice.txt", article(extra=f"{sentence}.\n\n{sentence.upper()}!"))
    run_batch([folder], tmp_path / "out", RunOptions(), extractor=extractor)
    ids = [row["event_id"] for row in read_csv(tmp_path / "out" / "events.csv")]
    assert len(ids) >= 3 and len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ({"a/x.md": "X one", "a/x.txt": "X two", "a/y.txt": "Y"}, {"x.md", "x.txt", "y"}),
        ({"A/x.txt": "X one", "B/x.txt": "X two"}, {"A/x", "B/x"}),
        ({"a/-dash.txt": "Dash", "a/=sum.txt": "Sum"}, {"./-dash", "./=sum"}),
        ({"a/new\nline.txt": "Newline"}, {"new%0Aline"}),
    ],
)
def test_doc_ids_are_unique_and_safe(tmp_path, extractor, layout, expected):
    for name, town in layout.items():
        one_file(tmp_path, name, article(town))
    roots = sorted({tmp_path / "in" / name.split("/")[0] for name in layout})
    run_batch(roots, tmp_path / "out", RunOptions(), extractor=extractor)
    found = statuses(tmp_path / "out")
    assert set(found) == expected and set(found.values()) == {"ok"}
    events = read_csv(tmp_path / "out" / "events.csv")
    assert {row["doc_id"] for row in events} == expected
    assert all(row["event_id"].startswith(row["doc_id"] + ":") for row in events)


def test_a_huge_figure_is_no_count(tmp_path, extractor):
    folder = one_file(
        tmp_path,
        "huge.txt",
        article(extra="On 5 March 2017, 9223372036854775808 people were killed in Idlib."),
    )
    run_batch([folder], tmp_path / "out", RunOptions(), extractor=extractor)
    assert statuses(tmp_path / "out") == {"huge": "ok"}


def test_control_characters_are_made_safe_for_the_spreadsheet(tmp_path, extractor):
    folder = one_file(tmp_path, "ctl.txt", article("Bell\x07town", "On 4 March 2017, HTS shelled Ariha\x0b."))
    run_batch([folder], tmp_path / "out", RunOptions(xlsx=True), extractor=extractor)
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"events.xlsx", "changes.csv", "errors.log"}
    assert not list((tmp_path / "out").glob(".*.tmp"))


@pytest.mark.parametrize("kind", ["fifo", "device", "link out", "too large"])
def test_only_regular_files_inside_the_folder_are_read(tmp_path, extractor, kind):
    folder = one_file(tmp_path, "good.txt", article())
    target = folder / "odd.md"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    elif kind == "link out":
        (tmp_path / "secret.txt").write_text(article("Secretville"), encoding="utf-8")
        target.symlink_to(tmp_path / "secret.txt")
    else:
        target.write_text(article(extra="x" * 5000), encoding="utf-8")
    summary = run_batch([folder], tmp_path / "out", RunOptions(max_bytes=4000), extractor=extractor)
    found = statuses(tmp_path / "out")
    assert found["good"] == "ok" and found["odd"].startswith("error: ")
    assert "Secretville" not in (tmp_path / "out" / "documents.csv").read_text()
    assert len(summary.failures) == 1


def test_cache_holds_only_text_and_a_corrupt_one_is_rebuilt(tmp_path, extractor, capsys):
    folder = one_file(tmp_path, "good.txt", article())
    out = tmp_path / "out"
    run_batch([folder], out, RunOptions(), extractor=extractor)
    before = (out / "events.csv").read_bytes()
    with sqlite3.connect(out / "cache.sqlite") as connection:
        row = connection.execute("SELECT * FROM entries").fetchone()
    assert {type(value) for value in row} == {str}
    (out / "cache.sqlite").write_bytes(b"not a database" * 100)
    summary = run_batch([folder], out, RunOptions(), extractor=extractor)
    assert "could not be read" in capsys.readouterr().err
    assert summary.extracted == 1 and (out / "events.csv").read_bytes() == before


def test_a_killed_commit_is_completed_and_leftovers_cleaned(tmp_path):
    files = OutputSet(tmp_path)
    files.text("events.csv", "new events\n")
    files.text("documents.csv", "new documents\n")
    (tmp_path / "events.csv").write_text("old events\n")
    (tmp_path / "documents.csv").write_text("old documents\n")
    (tmp_path / JOURNAL).write_text(str(files.staged).replace("'", '"').replace("(", "[").replace(")", "]"))
    os.replace(tmp_path / files.staged[0][0], tmp_path / "events.csv")  # killed after one rename
    (tmp_path / ".events.csv.dead.tmp").write_text("a killed run's file")
    recover(tmp_path)
    assert (tmp_path / "events.csv").read_text() == "new events\n"
    assert (tmp_path / "documents.csv").read_text() == "new documents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.csv", "events.csv"]


def test_a_killed_commit_also_makes_its_removals(tmp_path):
    files = OutputSet(tmp_path)
    files.text("events.csv", "new events\n")
    files.remove("events.xlsx")
    (tmp_path / "events.xlsx").write_bytes(b"a stale workbook")
    (tmp_path / JOURNAL).write_text(json.dumps(files.staged))  # killed before any rename
    recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_files_are_written_with_the_umask(tmp_path, extractor):
    folder = one_file(tmp_path, "good.txt", article())
    old = os.umask(0o027)
    try:
        run_batch([folder], tmp_path / "out", RunOptions(), extractor=extractor)
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "events.csv").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("locked", "another run is writing to"),
        ("file", "cannot write to the output folder"),
    ],
)
def test_run_level_failures_exit_3_with_one_line(tmp_path, capsys, setup, message):
    import fcntl

    folder = one_file(tmp_path, "good.txt", article())
    out = tmp_path / "out"
    if setup == "file":
        out.write_text("not a folder")
        assert main(["run", str(folder), "--out", str(out), "--workers", "1"]) == 3
    else:
        out.mkdir()
        with (out / ".lock").open("a") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            assert main(["run", str(folder), "--out", str(out), "--workers", "1"]) == 3
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def _acting_on_marker(marker: str, action):
    """What keeps the trigger tagger's spans, doing ``action`` first for a text with ``marker``."""
    original = triggers.keep_tagged

    def patched(doc, *args):
        if marker in doc.text:
            action()
        return original(doc, *args)

    return patched


def _boom():
    raise ZeroDivisionError("planted")


def _hang():
    time.sleep(30)


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _mixed_batch(tmp_path: Path, marker: str) -> Path:
    for index, town in enumerate(["Alphaville", "Betatown", "Gammaburg", "Deltaton"]):
        one_file(tmp_path, f"doc{index}.txt", article(town))
    one_file(tmp_path, "doc2bad.txt", article("Badtown", f"On 3 March 2017, HTS attacked {marker} in Ariha."))
    return tmp_path / "in"


@pytest.mark.parametrize(
    ("action", "options", "status"),
    [
        (_boom, RunOptions(), "error: internal error in triggers: ZeroDivisionError: planted"),
        (_boom, RunOptions(workers=2), "error: internal error in triggers: ZeroDivisionError: planted"),
        (_hang, RunOptions(doc_timeout=0.5), "error: time limit exceeded (0.5 s"),
        (_die, RunOptions(workers=2), "error: worker died (killed by SIGKILL"),
    ],
)
def test_a_bad_document_is_isolated(tmp_path, extractor, monkeypatch, action, options, status):
    folder = _mixed_batch(tmp_path, "Zorblax")
    clean = tmp_path / "clean"
    run_batch([folder], clean, RunOptions(), extractor=extractor)
    monkeypatch.setattr(triggers, "keep_tagged", _acting_on_marker("Zorblax", action))
    out = tmp_path / "out"
    summary = run_batch([folder], out, options, extractor=None if options.workers > 1 else extractor)
    found = statuses(out)
    assert found.pop("doc2bad").startswith(status)
    assert set(found.values()) == {"ok"} and len(summary.failures) == 1
    good = [row for row in read_csv(clean / "events.csv") if row["doc_id"] != "doc2bad"]
    assert read_csv(out / "events.csv") == good
    if action is _boom:
        assert "ZeroDivisionError: planted" in (out / "errors.log").read_text()


PROBE = """
import sys
from pathlib import Path
from pipeline.run import RunOptions, run_batch
run_batch([Path(sys.argv[1])], Path(sys.argv[2]), RunOptions(workers=2, full=True))
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_killing_the_main_process_leaves_no_worker(tmp_path):
    for index in range(300):
        one_file(
            tmp_path,
            f"doc{index:03}.txt",
            article(f"Town{index}", "On 3 March 2017, HTS shelled Ariha. " * 40),
        )
    main_process = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(tmp_path / "in"), str(tmp_path / "out")], cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while len(workers := _children(main_process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) >= 2, "the run never started its workers"
    main_process.kill()
    main_process.wait()
    deadline = time.monotonic() + 10
    while (
        any(Path(f"/proc/{pid}").exists() and _is_alive(pid) for pid in workers)
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and _is_alive(pid)]


def _is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_corrupt_pipeline_pickle_is_built_again(tmp_path, capsys):
    from pipeline.cache import pipeline_fingerprint
    from pipeline.nlp import COMPONENTS, load_nlp
    from pipeline.resources import DEFAULT_MODELS_DIR

    planted = tmp_path / f"nlp-{pipeline_fingerprint(DEFAULT_MODELS_DIR)[:16]}.pickle"
    planted.write_bytes(b"\x80\x05truncated")
    nlp = load_nlp(DEFAULT_MODELS_DIR, cache_dir=tmp_path)
    assert nlp.pipe_names == list(COMPONENTS)
    assert "could not be read" in capsys.readouterr().err
    assert load_nlp(DEFAULT_MODELS_DIR, cache_dir=tmp_path).pipe_names == list(COMPONENTS)


def test_a_corrupt_place_shard_has_the_index_rebuilt(tmp_path, capsys):
    import pickle

    from pipeline.geonames import PlaceIndex, Shard

    index_folder = tmp_path / "places-x"
    index_folder.mkdir()
    (index_folder / "SY.pickle").write_bytes(b"garbage")

    def rebuild() -> None:
        index_folder.mkdir()
        (index_folder / "SY.pickle").write_bytes(pickle.dumps(Shard()))

    assert isinstance(PlaceIndex(index_folder, rebuild).shard("SY"), Shard)
    assert "rebuilding the place index" in capsys.readouterr().err


def test_a_document_row_that_breaks_the_codebook_fails_alone(tmp_path):
    from pipeline.cache import Entry
    from pipeline.export import document_rows
    from pipeline.records import DocumentResult
    from pipeline.run import write_outputs

    def entry(doc_id: str, **broken) -> Entry:
        row = {**document_rows([DocumentResult(doc=None, path=f"{doc_id}.md", doc_id=doc_id)])[0], **broken}
        return Entry(
            f"/{doc_id}.md",
            "",
            doc_id,
            "",
            row,
            f"{doc_id}:0123456789,{doc_id}\n",
            {f"{doc_id}:0123456789": "d"},
        )

    write_outputs([entry("a"), entry("b", format="bogus"), entry("c")], tmp_path, RunOptions())
    found = statuses(tmp_path)
    assert found["a"] == found["c"] == "ok"
    assert found["b"].startswith("error: internal error in validation: documents.csv: document 'b'")
    assert [line.split(",")[0] for line in (tmp_path / "events.csv").read_text().splitlines()[1:]] == [
        "a:0123456789",
        "c:0123456789",
    ]
