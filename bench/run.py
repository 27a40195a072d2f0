"""Benchmark: a full run over N varied documents and a re-run after editing one.

    python bench/run.py [--docs 1000] [--workers 2] [FOLDER ...]

The corpus is made from seeds/ and any folder given (the development articles
by default, when ../shared/dev/docs exists): every copy gets its own title,
shuffled narrative paragraphs, shifted figures and a renamed town, so that no
cache makes the run trivial. Results go to outputs/bench.json and stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.run import RunOptions, find_inputs, run_batch

ROOT = Path(__file__).resolve().parent.parent

TOWNS = ["Saraqib", "Salqin", "Binnish", "Ariha", "Sarmin", "Taftanaz", "Kafr Nabl", "Maarrat Misrin"]
FIGURE = re.compile(r"\b(?<![-–])([1-9]\d{0,2})(?= (?:fighters|soldiers|people|civilians|militants|killed))")


def sources(folders: list[Path]) -> list[Path]:
    return [path for path, _ in find_inputs(folders)]


def variant(text: str, index: int, rng: random.Random) -> str:
    """A copy with its own title, shuffled narrative paragraphs, shifted figures and a renamed town."""
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    narrative = [i for i, p in enumerate(paragraphs) if p.startswith("On ")]
    shuffled = [paragraphs[i] for i in narrative]
    rng.shuffle(shuffled)
    for position, paragraph in zip(narrative, shuffled, strict=True):
        paragraphs[position] = paragraph
    body = FIGURE.sub(lambda m: str(int(m.group(1)) + index % 9), "\n\n".join(paragraphs))
    body = body.replace(rng.choice(TOWNS), rng.choice(TOWNS))
    title_line = re.compile(r"^(subject: .*|[^\n-].*)$", re.M)
    head = title_line.sub(lambda m: _numbered(m.group(0), index), head, count=1)
    return f"{head}\n\n{body}"


def _numbered(title_line: str, index: int) -> str:
    """The title line with the copy number, inside the quotes of a quoted YAML value."""
    if title_line.endswith('"'):
        return f'{title_line[:-1]} (copy {index})"'
    return f"{title_line} (copy {index})"


def make_corpus(folders: list[Path], count: int, target: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    originals = sources(folders)
    written = []
    for index in range(count):
        source = originals[index % len(originals)]
        path = target / f"doc{index:05d}{source.suffix}"
        path.write_text(variant(source.read_text(encoding="utf-8"), index, rng), encoding="utf-8")
        written.append(path)
    return written


def timed(corpus: Path, out: Path, options: RunOptions) -> tuple[float, int]:
    started = time.perf_counter()
    summary = run_batch([corpus], out, options)
    return time.perf_counter() - started, summary.extracted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench.json")
    args = parser.parse_args(argv)
    dev = ROOT.parent / "shared" / "dev" / "docs"
    folders = [ROOT / "seeds", *(args.folders or ([dev] if dev.is_dir() else []))]
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        files = make_corpus(folders, args.docs, corpus)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
        options = RunOptions(workers=args.workers, full=True)
        full_seconds, _ = timed(corpus, work / "out", options)
        edited = files[len(files) // 2]
        edited.write_text(edited.read_text(encoding="utf-8").replace(" the ", " the  ", 1), encoding="utf-8")
        rerun_seconds, extracted = timed(corpus, work / "out", RunOptions(workers=args.workers))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "documents": args.docs,
        "words": words,
        "workers": args.workers,
        "full_run_seconds": round(full_seconds, 2),
        "rerun_after_one_edit_seconds": round(rerun_seconds, 2),
        "rerun_extracted_documents": extracted,
        "rerun_share_of_full_run": round(rerun_seconds / full_seconds, 3),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    for key, value in result.items():
        print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
