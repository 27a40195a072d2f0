"""Extraction of a batch's jobs, in this process or in worker processes, in input order.

Each document is isolated: an error in any stage, in its rows or in their
validation becomes its status (see ``pipeline.guard``). A worker that dies
(killed, out of memory, a native crash) does not end the run: the documents
it held are extracted again one at a time in a fresh worker, so the one that
kills it is known and marked. Workers end when the main process dies.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pipeline.cache import Entry, line_digest
from pipeline.export import EVENT_COLUMNS, csv_lines, document_rows, event_rows
from pipeline.extract import Extractor, failed
from pipeline.guard import error_trace, internal_error
from pipeline.inputs import Job
from pipeline.interrupts import ignore_in_worker
from pipeline.normalize import fold
from pipeline.records import DocumentResult
from pipeline.validation import OutputInvalid, validate

# Documents extracted and validated together by a single process: pandera costs about
# 13 ms a call, as much as checking the rows of some 70 documents.
BATCH_SIZE = 256
# With workers, batches are smaller (about eight a worker) so that the workers share the
# work evenly, and never larger than this, so that the main process's memory does not
# grow with the corpus (a batch's CSV text and results pass through it).
MAX_PARALLEL_BATCH = 64
PARENT_POLL_SECONDS = 0.5


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
        fresh=True,
        rows=rows,
        trace=result.trace,
    )


def extract_all(
    jobs: list[Job], models_dir: Path, workers: int, progress: Callable[[int], None], extractor=None
) -> Iterator[Entry]:
    """Entries for the jobs, in input order: from this process (with ``extractor`` when
    given, built once by the caller) or from ``workers`` processes, which also format and
    validate their documents' rows, so that this process only assembles them."""
    if not jobs:
        return
    parallel = workers > 1 and len(jobs) > 1
    size = min(MAX_PARALLEL_BATCH, max(1, len(jobs) // (workers * 8))) if parallel else BATCH_SIZE
    batches = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    with settled_heap():
        if not parallel:
            extractor = extractor or Extractor(models_dir)
            for batch in batches:
                yield from _counted(progress, extract_batch(extractor, batch))
            return
        with ProcessPoolExecutor(workers, initializer=start_worker, initargs=(models_dir,)) as pool:
            pending = deque(pool.submit(_batch_in_worker, batch) for batch in batches)
            try:
                yield from _collected(pending, batches, models_dir, progress)
            except KeyboardInterrupt:
                stop_workers(pool)
                raise


def _collected(
    pending: deque[Future], batches: list[list[Job]], models_dir: Path, progress: Callable[[int], None]
) -> Iterator[Entry]:
    """The entries of each batch in order; the batches of a broken pool go to a rescue
    worker. Futures are dropped as they are read, so finished batches are not held."""
    rescue: RescueWorker | None = None
    try:
        for batch in batches:
            future = pending.popleft()
            try:
                entries = future.result()
            except BrokenProcessPool:
                rescue = rescue or RescueWorker(models_dir)
                entries = [rescue.entry(job) for job in batch]
            yield from _counted(progress, entries)
    finally:
        if rescue:
            rescue.close()


def extract_batch(extractor: Extractor, jobs: list[Job]) -> list[Entry]:
    """Entries of a few documents whose rows are validated together (pandera has a fixed
    cost per call) and then dropped: the caller gets only CSV text and JSON rows. When the
    batch fails validation, each document is validated alone and only its own rows fail."""
    entries = [_entry(extractor, job) for job in jobs]
    try:
        validate([row for entry in entries for row in entry.rows], [])
    except OutputInvalid:
        entries = [_validated(entry) for entry in entries]
    return [replace(entry, rows=[]) for entry in entries]


def _entry(extractor: Extractor, job: Job) -> Entry:
    source = job.source
    if job.problem:
        result = failed(source.path, source.root, source.doc_id, job.problem, job.sha256)
    else:
        result = extractor.extract(
            source.path, source.root, job.max_bytes, source.doc_id, job.timeout, job.raw
        )
    result.sha256 = result.sha256 or job.sha256
    try:
        return entry_of(result, job.key, job.sha256)
    except Exception as err:
        return _failed_entry(entry_of(replace(result, events=[]), job.key, job.sha256), err)


def _validated(entry: Entry) -> Entry:
    try:
        validate(entry.rows, [])
    except OutputInvalid as err:
        return _failed_entry(entry, err)
    return entry


def _failed_entry(entry: Entry, err: Exception) -> Entry:
    """The entry of a document whose rows could not be made or validated: its status and
    the traceback, no events."""
    row = {**entry.document_row, "status": f"error: {internal_error(err)}", "events": 0}
    return replace(
        entry,
        document_row=row,
        events_csv="",
        digests={},
        rows=[],
        trace=error_trace(entry.doc_id, err),
    )


def _counted(progress: Callable[[int], None], entries: list[Entry]) -> list[Entry]:
    progress(len(entries))
    return entries


_WORKER: dict[str, Extractor] = {}


def start_worker(models_dir: Path) -> None:
    """Each worker process builds the pipeline once, and ends when its parent does."""
    ignore_in_worker()
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER["extractor"] = Extractor(models_dir)
    freeze_heap()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now (Ctrl-C): its queued batches are dropped, not waited for.
    Every child this process started through multiprocessing is one of the run's workers."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in multiprocessing.active_children():
        process.terminate()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (``kill -9`` leaves no chance to stop it) is
    adopted by another process: it then ends itself instead of waiting forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _batch_in_worker(jobs: list[Job]) -> list[Entry]:
    return extract_batch(_WORKER["extractor"], jobs)


class RescueWorker:
    """One worker process that extracts one document at a time, so that a document that
    kills it is known; after a death the next document gets a fresh worker."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self.process: multiprocessing.Process | None = None
        self.connection = None

    def entry(self, job: Job) -> Entry:
        if self.process is None:
            self._start()
        try:
            self.connection.send(job)
            return self.connection.recv()
        except (EOFError, OSError):
            self.process.join()
            cause = death_cause(self.process.exitcode)
            self.process = None
            source = job.source
            result = failed(source.path, source.root, source.doc_id, f"worker died ({cause})", job.sha256)
            return entry_of(result, job.key, job.sha256)

    def _start(self) -> None:
        parent, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_serve, args=(child, self.models_dir), daemon=True)
        self.process.start()
        child.close()
        self.connection = parent

    def close(self) -> None:
        if self.process is not None:
            self.connection.send(None)
            self.process.join()


def _serve(connection, models_dir: Path) -> None:
    start_worker(models_dir)
    while (job := connection.recv()) is not None:
        connection.send(extract_batch(_WORKER["extractor"], [job])[0])


def death_cause(exitcode: int | None) -> str:
    """How a worker process ended, in words."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"killed by {name}, perhaps out of memory" if name == "SIGKILL" else f"killed by {name}"
    return f"exit status {exitcode}"


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
