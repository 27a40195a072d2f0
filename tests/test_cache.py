"""Incremental runs: only what changed is extracted, the output equals a full run's,
and a run killed mid-way leaves usable outputs (the change report: test_changes.py)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.run import RunOptions, run_batch

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEV_LIKE = """Clashes in Sampletown (2018)

The clashes in Sampletown (2018) were fought between Hay'at Tahrir al-Sham and Ahrar al-Sham in May 2018.

On {day} May 2018, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing {killed} fighters. Later that day, Hay'at Tahrir al-Sham shelled Binnish.

On 9 May 2018, Ahrar al-Sham captured the town of Salqin from Hay'at Tahrir al-Sham.
"""


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        text = DEV_LIKE.replace("Sampletown", f"Sampletown{index}").format(
            day=1 + index % 7, killed=index + 2
        )
        (folder / f"doc{index:03d}.txt").write_text(text, encoding="utf-8")


def read_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write_corpus(folder, 4)
    return folder


def test_rerun_extracts_only_what_changed_and_matches_a_full_run(corpus, tmp_path, extractor):
    out = tmp_path / "out"
    first = run_batch([corpus], out, extractor=extractor)
    assert first.extracted == 4
    text = (corpus / "doc001.txt").read_text(encoding="utf-8")
    (corpus / "doc001.txt").write_text(
        text.replace("killing 3 fighters", "killing 30 fighters"), encoding="utf-8"
    )
    (corpus / "doc003.txt").unlink()
    second = run_batch([corpus], out, extractor=extractor)
    assert second.extracted == 1
    full = tmp_path / "full"
    run_batch([corpus], full, RunOptions(full=True), extractor=extractor)
    for name in ("events.csv", "documents.csv"):
        assert (out / name).read_bytes() == (full / name).read_bytes()
    assert "doc003" not in {row["doc_id"] for row in read_rows(out / "events.csv")}


def test_a_killed_run_leaves_outputs_and_a_usable_cache(tmp_path, extractor):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 3)
    run_batch([corpus], out, extractor=extractor)
    before = (out / "events.csv").read_bytes()
    write_corpus(corpus / "more", 25)
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--workers", "1"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parent.parent,
    )
    time.sleep(5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after_kill = (out / "events.csv").read_bytes()
    assert after_kill == before or after_kill.count(b"\n") > before.count(b"\n")
    summary = run_batch([corpus], out, extractor=extractor)
    full = tmp_path / "full"
    run_batch([corpus], full, RunOptions(full=True), extractor=extractor)
    assert summary.documents == 28
    assert (out / "events.csv").read_bytes() == (full / "events.csv").read_bytes()
