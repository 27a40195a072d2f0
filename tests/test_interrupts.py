"""Ctrl-C: the run ends with one line and exit status 130, leaving the outputs and the
cache as they were; the last step of a run is not cut in half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.interrupts import finishing
from pipeline.run import RunOptions, run_batch

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """Clashes in Sampletown{index} (2018)

The clashes in Sampletown{index} (2018) were fought between Hay'at Tahrir al-Sham and Ahrar al-Sham in May 2018.

On {day} May 2018, Hay'at Tahrir al-Sham attacked Ahrar al-Sham in Saraqib, killing {index} fighters.
"""


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        text = ARTICLE.format(index=index, day=1 + index % 28)
        (folder / f"doc{index:03d}.txt").write_text(text, encoding="utf-8")


def snapshot(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if path.name != ".lock"}


class InterruptedExtractor:
    """An extractor whose user presses Ctrl-C at the given document."""

    def __init__(self, extractor, at: int) -> None:
        self.extractor, self.left = extractor, at

    def extract(self, *args, **kwargs):
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt
        return self.extractor.extract(*args, **kwargs)


def test_an_interrupted_full_run_leaves_outputs_and_cache_as_they_were(tmp_path, extractor):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 6)
    run_batch([corpus], out, extractor=extractor)
    before = snapshot(out)
    (corpus / "doc000.txt").write_text(ARTICLE.format(index=99, day=3), encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        run_batch([corpus], out, RunOptions(full=True), extractor=InterruptedExtractor(extractor, 4))
    assert snapshot(out) == before
    again = run_batch([corpus], out, extractor=extractor)
    assert again.extracted == 1 and again.change_lines() == ["doc000: 0 added, 1 changed, 0 removed"]


def test_the_last_step_holds_ctrl_c_off():
    handler = signal.getsignal(signal.SIGINT)
    with finishing():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
    assert signal.getsignal(signal.SIGINT) is handler


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def test_ctrl_c_ends_a_parallel_run_with_one_line(tmp_path, extractor):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 150)
    run_batch([corpus], out, extractor=extractor)
    before = snapshot(out)
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        "2",
        "--full",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before its workers started"
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends its foreground processes
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == f"interrupted: nothing was changed in {out}\n"
    assert stdout == ""
    assert snapshot(out) == before
    assert run_batch([corpus], out, extractor=extractor).extracted == 0
