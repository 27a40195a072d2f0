"""Benchmark: the pipeline's speed beside the limit, on N varied documents.

    python -m pipeline bench [--docs 1000] [--workers N] [--dask-workers 1 2] [FOLDER ...]
    python bench/run.py ...   (the same)

The corpus is made from seeds/ and any folder given (the development articles
by default, when ../shared/dev/docs exists): every copy gets its own title,
shuffled narrative paragraphs, shifted figures and a renamed town, so that no
cache makes a run trivial. On the same documents it measures: the ceiling
(a blank English tokenizer with a sentencizer), the full pipeline with one
worker and with every core, the Dask engine on a LocalCluster of one and of
two worker processes (its start apart from its run), the time per stage, peak memory at 100, N and 2N
documents, cold start (process start to the first document done) and a
re-run after editing one document. Results go to outputs/bench.json and stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import spacy

from pipeline.extract import Extractor
from pipeline.inputs import find_inputs
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.run import RunOptions, run_batch, write_outputs
from pipeline.workers import entry_of as _entry_of
from pipeline.workers import settled_heap

ROOT = DEFAULT_MODELS_DIR.parent
TOWNS = ["Saraqib", "Salqin", "Binnish", "Ariha", "Sarmin", "Taftanaz", "Kafr Nabl", "Maarrat Misrin"]
FIGURE = re.compile(r"\b(?<![-–])([1-9]\d{0,2})(?= (?:fighters|soldiers|people|civilians|militants|killed))")
TITLE_LINE = re.compile(r"^(subject: .*|[^\n-].*)$", re.M)
# On Linux a process's ru_maxrss also counts the process it was forked from before its exec
# (here the benchmark itself), so the probe reads its own high-water mark from /proc.
MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from pipeline.run import RunOptions, run_batch
run_batch([Path(sys.argv[1])], Path(sys.argv[2]), RunOptions(workers=int(sys.argv[3]), full=True))
try:
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(own, child)
"""


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
    head = TITLE_LINE.sub(lambda m: _numbered(m.group(0), index), head, count=1)
    return f"{head}\n\n{body}"


def _numbered(title_line: str, index: int) -> str:
    """The title line with the copy number, inside the quotes of a quoted YAML value."""
    if title_line.endswith('"'):
        return f'{title_line[:-1]} (copy {index})"'
    return f"{title_line} (copy {index})"


def make_corpus(folders: list[Path], count: int, target: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    originals = [source.path for source in find_inputs(folders)]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        source = originals[index % len(originals)]
        path = target / f"doc{index:05d}{source.suffix}"
        path.write_text(variant(source.read_text(encoding="utf-8"), index, rng), encoding="utf-8")
        written.append(path)
    return written


def ceiling(files: list[Path]) -> float:
    """Words per second of a blank English tokenizer with a sentencizer: the limit of any spaCy pipeline."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = [p.read_text(encoding="utf-8") for p in files]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for doc in nlp.pipe(texts):
        del doc
    return words / (time.perf_counter() - started)


def full_run(corpus: Path, out: Path, workers: int) -> float:
    """Seconds of one full run (no cache) over the corpus."""
    started = time.perf_counter()
    run_batch([corpus], out, RunOptions(workers=workers, full=True))
    return time.perf_counter() - started


def dask_run(corpus: Path, work: Path, workers: int) -> tuple[float, float]:
    """(seconds to start a Dask ``LocalCluster`` of ``workers`` processes and have its workers
    build the pipeline, seconds of a full run on it then): a cluster's user pays the first
    once for many runs (a worker keeps the pipeline it built), the second is the throughput."""
    from pipeline.dask_engine import local_cluster

    warm = work / f"dask-warm-{workers}"
    warm.mkdir(exist_ok=True)
    first = min(corpus.iterdir())
    shutil.copy(first, warm / first.name)
    started = time.perf_counter()
    with local_cluster(workers) as cluster:
        options = RunOptions(engine="dask", scheduler=cluster.scheduler_address, full=True)
        run_batch([warm], work / f"dask-warm-out-{workers}", options)
        ready = time.perf_counter()
        run_batch([corpus], work / f"dask-{workers}", options)
        return ready - started, time.perf_counter() - ready


def speeds(
    files: list[Path], corpus: Path, work: Path, workers: int, dask_workers: tuple[int, ...], rounds: int = 3
) -> tuple:
    """(ceiling, seconds with one worker, seconds with ``workers``, (start, run) seconds on a
    Dask LocalCluster of each of ``dask_workers`` processes): the best of ``rounds`` rounds
    that take them all in turn, so that each meets the same load from the rest of the
    machine (which only ever slows a run)."""
    limits, ones, everys = [], [], []
    dasks: dict[int, list[tuple[float, float]]] = {n: [] for n in dask_workers}
    for _ in range(rounds):
        limits.append(ceiling(files))
        ones.append(full_run(corpus, work / "one", 1))
        everys.append(full_run(corpus, work / "all", workers))
        for n, times in dasks.items():
            times.append(dask_run(corpus, work, n))
    best = {n: (min(t[0] for t in times), min(t[1] for t in times)) for n, times in dasks.items()}
    return max(limits), min(ones), min(everys), best


def stage_times(corpus: Path) -> dict[str, float]:
    """Seconds per stage over the corpus, in one process that, like a run, keeps the
    pipeline out of the garbage collector's reach and each document's result only until
    its rows are made."""
    timings: Counter[str] = Counter()
    extractor = Extractor(timings=timings)
    entries = []
    with settled_heap():
        for index, source in enumerate(find_inputs([corpus])):
            result = extractor.extract(source.path, source.root)
            started = time.perf_counter()
            entries.append(_entry_of(result, str(index), ""))
            timings["rows"] += time.perf_counter() - started
    entries.sort(key=lambda e: e.doc_id)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        write_outputs(entries, Path(out), RunOptions())
        timings["validation+export"] += time.perf_counter() - started
    return {stage: round(seconds, 2) for stage, seconds in timings.most_common()}


def peak_memory_mb(folders: list[Path], count: int, workers: int, work: Path) -> dict[str, float]:
    """Peak resident memory of a fresh run over ``count`` documents: main process and largest worker."""
    corpus = work / f"memory-{count}"
    make_corpus(folders, count, corpus)
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(corpus), str(work / f"out-{count}"), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    own, child = (int(v) / 1024 for v in probe.stdout.split())
    shutil.rmtree(corpus)
    return {"main_mb": round(own, 1), "largest_worker_mb": round(child, 1)}


def cold_start(source: Path, work: Path) -> float:
    """Process start to the first document done: a fresh process extracting one document."""
    folder = work / "cold"
    folder.mkdir()
    shutil.copy(source, folder)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(folder),
            "--out",
            str(work / "cold-out"),
            "--workers",
            "1",
        ],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def rerun_after_edit(
    corpus: Path, out: Path, files: list[Path], workers: int, repeats: int = 3
) -> tuple[float, int]:
    """The median of ``repeats`` re-runs, each after editing another document."""
    times, extracted = [], 0
    for repeat in range(repeats):
        edited = files[len(files) // 2 + repeat]
        edited.write_text(edited.read_text(encoding="utf-8").replace(" the ", " the  ", 1), encoding="utf-8")
        started = time.perf_counter()
        extracted = run_batch([corpus], out, RunOptions(workers=workers)).extracted
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2], extracted


def _speed(seconds: float, words: int, count: int) -> dict:
    return {
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds),
        "documents_per_second": round(count / seconds, 1),
    }


def _dask_speeds(dasks: dict[int, tuple[float, float]], words: int, count: int, one: float) -> dict:
    """Each LocalCluster's start and speed, also as a multiple of the local engine's one
    worker; and the largest cluster's speed as a multiple of the one-worker cluster's."""
    found: dict = {
        f"{n}_worker{'s' if n > 1 else ''}": {
            "start_seconds": round(start, 2),
            **_speed(seconds, words, count),
            "times_local_one_worker": round(one / seconds, 2),
        }
        for n, (start, seconds) in dasks.items()
    }
    if 1 in dasks and len(dasks) > 1:
        found["speedup_largest_over_one"] = round(dasks[1][1] / dasks[max(dasks)][1], 2)
    return found


def measure(folders: list[Path], count: int, workers: int, dask_workers: tuple[int, ...] = (1, 2)) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        corpus = work / "corpus"
        files = make_corpus(folders, count, corpus)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
        limit, one, every, dasks = speeds(files, corpus, work, workers, dask_workers)
        rerun, extracted = rerun_after_edit(corpus, work / "all", files, workers)
        stages = stage_times(corpus)
        memory = {str(n): peak_memory_mb(folders, n, workers, work) for n in (100, count, 2 * count)}
        start = cold_start(files[0], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "documents": count,
        "words": words,
        "ceiling_words_per_second": round(limit),
        "one_worker": _speed(one, words, count),
        "all_cores": {"workers": workers, **_speed(every, words, count)},
        "one_worker_share_of_ceiling": round(words / one / limit, 3),
        "all_cores_speedup": round(one / every, 2),
        "dask_local_cluster": _dask_speeds(dasks, words, count, one),
        "seconds_per_stage": stages,
        "peak_memory": memory,
        "cold_start_seconds": round(start, 2),
        "rerun_after_one_edit": {
            "seconds": round(rerun, 2),
            "extracted": extracted,
            "share_of_full_run": round(rerun / every, 3),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conflict-events bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "folders",
        nargs="*",
        type=Path,
        help="folders of articles the corpus is made from, besides seeds/ "
        "(default: ../shared/dev/docs beside the project, when it exists)",
    )
    parser.add_argument(
        "--docs", type=int, default=1000, help="documents in the generated corpus (default: 1000)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes of the parallel runs (default: the number of cores)",
    )
    parser.add_argument(
        "--dask-workers",
        type=int,
        nargs="*",
        default=[1, 2],
        help="also time the Dask engine on a LocalCluster of each of these numbers of worker "
        "processes (default: 1 2; the option alone, with no number, leaves it out)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "outputs" / "bench.json",
        help="where the results are written as JSON (default: outputs/bench.json)",
    )
    args = parser.parse_args(argv)
    if args.dask_workers and importlib.util.find_spec("distributed") is None:
        parser.error("the Dask engine needs Dask: pip install 'conflict-events[dask]' (or --dask-workers)")
    dev = ROOT.parent / "shared" / "dev" / "docs"
    folders = [ROOT / "seeds", *(args.folders or ([dev] if dev.is_dir() else []))]
    result = measure(folders, args.docs, args.workers, tuple(args.dask_workers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
