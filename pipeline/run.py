"""A batch run: input folders -> validated events.csv and documents.csv.

``run_batch`` knows nothing of the command line: it takes paths and options
and returns a summary. Every document is extracted even when another fails;
documents run in worker processes when asked, in input order either way, so
the output does not depend on the number of workers. Outputs are validated
as a whole and then written atomically, or not at all.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import attrgetter
from pathlib import Path

from tqdm import tqdm

from pipeline.cache import Cache, Change, Entry, line_digest, pack, pipeline_fingerprint
from pipeline.export import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    csv_lines,
    document_rows,
    event_rows,
    to_csv,
    write_atomic,
    write_xlsx,
)
from pipeline.extract import Extractor
from pipeline.ingest import SUFFIXES
from pipeline.normalize import fold
from pipeline.records import DocumentResult
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.validation import validate

DEFAULT_MAX_BYTES = 20_000_000
CHANGE_COLUMNS = ["doc_id", "added", "changed", "removed"]
# Documents extracted and validated together by a single process: pandera costs about
# 13 ms a call, as much as checking the rows of some 70 documents.
BATCH_SIZE = 256
# With workers, batches are smaller (about eight a worker) so that the workers share the
# work evenly, and never larger than this, so that the main process's memory does not
# grow with the corpus (a batch's CSV text and results pass through it).
MAX_PARALLEL_BATCH = 64


@dataclass(frozen=True)
class RunOptions:
    models_dir: Path = DEFAULT_MODELS_DIR
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_duplicates: bool = False
    full: bool = False
    xlsx: bool = False
    excel_csv: bool = False
    progress: bool = False


@dataclass
class RunSummary:
    documents: int
    events: int
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    extracted: int = 0
    changes: list[Change] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.documents} documents ({self.extracted} extracted), {self.events} events, "
            f"{len(self.failures)} failures, {self.seconds:.1f} s"
        )

    def change_lines(self) -> list[str]:
        if not self.changes:
            return ["no change since the previous run"]
        return [
            f"{c.doc_id}: {c.added} added, {c.changed} changed, {c.removed} removed" for c in self.changes
        ]


def find_inputs(inputs: list[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs: every article file under the inputs, sorted, recursively.
    Symlinked folders are not followed, so a symlink loop cannot trap the walk."""
    found: list[tuple[Path, Path]] = []
    for item in inputs:
        if not item.is_dir():
            found.append((item, item.parent))
            continue
        files = [
            Path(folder) / name
            for folder, _, names in os.walk(item, followlinks=False)
            for name in names
            if Path(name).suffix.lower() in SUFFIXES
        ]
        found.extend((path, item) for path in sorted(files, key=lambda p: p.relative_to(item).as_posix()))
    return found


def run_batch(
    inputs: list[Path], out: Path, options: RunOptions | None = None, extractor: Extractor | None = None
) -> RunSummary:
    """Extract what changed since the last run (everything with ``options.full``), write the
    tables, the change report and the cache, in that order: a run killed at any point leaves
    the previous outputs or the new ones, and a usable cache."""
    options = options or RunOptions()
    started = time.perf_counter()
    files = find_inputs(inputs)
    cache = Cache(out / "cache.sqlite", pipeline_fingerprint(options.models_dir))
    try:
        if options.full:
            cache.clear()
        keys = [_source_key(path) for path, _ in files]
        entries = [cache.get(path, sha) if sha else None for path, sha in keys]
        todo = [index for index, entry in enumerate(entries) if entry is None]
        jobs = [(*files[index], *keys[index]) for index in todo]
        fresh = staged(extract_all(jobs, options, extractor), cache)
        for index, entry in zip(todo, fresh, strict=True):
            entries[index] = entry
        entries = sorted(entries, key=lambda e: e.doc_id)
        current = write_outputs(entries, out, options, cache)
        changes = cache.changes(current)
        write_atomic(out / "changes.csv", to_csv([vars(c) for c in changes], CHANGE_COLUMNS))
        cache.store([path for path, _ in keys])
        cache.remember(current, changes)
    finally:
        cache.close()
    failures = [
        f"{e.document_row['path']}: {e.document_row['status'][len('error: ') :]}"
        for e in entries
        if e.document_row["status"].startswith("error")
    ]
    events = sum(len(digests) for digests in current.values())
    return RunSummary(
        len(entries), events, sorted(failures), time.perf_counter() - started, len(todo), changes
    )


def _source_key(path: Path) -> tuple[str, str]:
    """(absolute path, sha256 of the bytes); no hash when the file cannot be read."""
    try:
        return str(path.absolute()), hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return str(path.absolute()), ""


def entry_of(result: DocumentResult, path: str, sha256: str) -> Entry:
    """A fresh result as its share of the outputs."""
    rows = event_rows([result])
    lines = csv_lines(rows, EVENT_COLUMNS)
    return Entry(
        path=path,
        sha256=sha256,
        doc_id=result.doc_id,
        title=fold(result.doc.metadata.title) if result.doc else "",
        document_row=document_rows([result])[0],
        events_csv="".join(lines),
        digests={row["event_id"]: line_digest(line) for row, line in zip(rows, lines, strict=True)},
        result=pack(result),
        fresh=True,
        rows=rows,
    )


def staged(fresh: Iterable[Entry], cache: Cache) -> Iterator[Entry]:
    """The light part of each fresh entry, once the rest is staged in the cache: the main
    process's memory hardly grows with the batch."""
    for entry in fresh:
        cache.stage(entry)
        yield entry.light()


def extract_all(
    jobs: list[tuple[Path, Path, str, str]], options: RunOptions, extractor: Extractor | None = None
) -> Iterator[Entry]:
    """Entries for (file, root, cache path, sha256) jobs, in input order: from one process
    (with ``extractor`` when given, built once by the caller) or from ``options.workers``,
    which also format and validate their documents' rows, so the main process only
    assembles them."""
    if not jobs:
        return
    bar = tqdm(total=len(jobs), unit="doc", disable=not (options.progress and sys.stderr.isatty()))
    work = [(*job, options.max_bytes) for job in jobs]
    parallel = options.workers > 1 and len(jobs) > 1
    size = min(MAX_PARALLEL_BATCH, max(1, len(work) // (options.workers * 8))) if parallel else BATCH_SIZE
    batches = [work[start : start + size] for start in range(0, len(work), size)]
    with bar:
        if not parallel:
            extractor = extractor or Extractor(options.models_dir)
            with settled_heap():
                for batch in batches:
                    yield from _tick(bar, _batch(extractor, batch))
            return
        with (
            settled_heap(),
            ProcessPoolExecutor(
                options.workers, initializer=_start_worker, initargs=(options.models_dir,)
            ) as pool,
        ):
            for entries in pool.map(_batch_in_worker, batches):
                yield from _tick(bar, entries)


def _batch(extractor: Extractor, jobs: list[tuple[Path, Path, str, str, int]]) -> list[Entry]:
    """Entries of a few documents whose rows are validated together (pandera has a fixed
    cost per call) and then dropped: the caller gets only CSV text and packed results."""
    entries = [
        entry_of(extractor.extract(path, root, limit), key, sha) for path, root, key, sha, limit in jobs
    ]
    validate([row for entry in entries for row in entry.rows], [], all_ids=[])
    return [replace(entry, rows=[]) for entry in entries]


def _tick(bar: tqdm, entries: list[Entry]) -> list[Entry]:
    bar.update(len(entries))
    return entries


_WORKER: dict[str, Extractor] = {}


def _start_worker(models_dir: Path) -> None:
    """Each worker process builds the pipeline once."""
    _WORKER["extractor"] = Extractor(models_dir)
    freeze_heap()


@contextmanager
def settled_heap() -> Iterator[None]:
    """Keep the objects alive on entry (the pipeline, the gazetteers) out of the garbage
    collector's reach until exit: full collections stop re-walking them, and forked workers
    stop copying the memory pages the collector would touch (about 8% of a two-worker run)."""
    freeze_heap()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_heap() -> None:
    """Collect the young garbage first, so that none of it is frozen alive. The oldest
    generation is left alone: a fresh process holds no garbage there worth the 60-90 ms
    a full collection of the loaded pipeline costs (measured: it finds none)."""
    gc.collect(1)
    gc.freeze()


def _batch_in_worker(jobs: list[tuple[Path, Path, str, str, int]]) -> list[Entry]:
    return _batch(_WORKER["extractor"], jobs)


def duplicates(items: list[tuple[str, str]]) -> dict[str, str]:
    """doc_id -> the doc_id it repeats, for (doc_id, folded title) pairs in input order."""
    first_by_title: dict[str, str] = {}
    repeats = {}
    for doc_id, title in items:
        if not title:
            continue
        if title in first_by_title:
            repeats[doc_id] = first_by_title[title]
        else:
            first_by_title[title] = doc_id
    return repeats


def mark_duplicates(results: list[DocumentResult], keep: bool) -> None:
    """The same article twice (by its title): the later copy is marked and its events dropped."""
    titles = [(r.doc_id, fold(r.doc.metadata.title) if r.doc else "") for r in results]
    repeats = duplicates(sorted(titles))
    for result in results:
        if result.doc_id in repeats:
            result.status = f"duplicate of {repeats[result.doc_id]}"
            if not keep:
                result.events = []


def write_outputs(
    entries: list[Entry], out: Path, options: RunOptions, cache: Cache | None = None
) -> dict[str, dict[str, str]]:
    """Validate, then write both tables (and the spreadsheet when asked) from the entries
    in doc_id order; returns the event digests written, per document. With ``cache``, the
    entries are light and their CSV text and results are read back from it."""
    repeats = duplicates(
        [(e.doc_id, e.title) for e in entries if not e.document_row["status"].startswith("error")]
    )
    kept = [e for e in entries if e.doc_id not in repeats or options.keep_duplicates]
    kept_ids = {e.doc_id for e in kept}
    documents = []
    for entry in entries:
        row = dict(entry.document_row)
        if entry.doc_id in repeats:
            row["status"] = f"duplicate of {repeats[entry.doc_id]}"
        row["events"] = len(entry.digests) if entry.doc_id in kept_ids else 0
        documents.append(row)
    new_rows = [row for e in kept if e.fresh for row in e.rows]
    validate(new_rows, documents, all_ids=[event_id for e in kept for event_id in e.digests])
    bom = "\ufeff" if options.excel_csv else ""
    header = csv_lines([dict(zip(EVENT_COLUMNS, EVENT_COLUMNS, strict=True))], EVENT_COLUMNS)[0]
    csv_of = cache.events_csv if cache else attrgetter("events_csv")
    write_atomic(out / "events.csv", chain([bom + header], (csv_of(e) for e in kept)))
    write_atomic(out / "documents.csv", to_csv(documents, DOCUMENT_COLUMNS, bom=bool(bom)))
    if options.xlsx:
        results = [cache.result(e) if cache else e.load_result() for e in kept]
        rows = event_rows([result for result in results if result])
        write_xlsx(out / "events.xlsx", rows, EVENT_COLUMNS)
    return {e.doc_id: e.digests for e in kept if e.digests}
