"""A batch run: input folders -> validated events.csv, documents.csv and the rest.

``run_batch`` knows nothing of the command line: it takes paths and options
and returns a summary. Every document is extracted even when another fails;
documents run in worker processes when asked, in input order either way, so
the output does not depend on the number of workers. Outputs are validated
as a whole and then put in place together, or not at all; only one run at a
time writes to an output folder.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from pathlib import Path

from tqdm import tqdm

from pipeline.acled_export import stage_acled
from pipeline.cache import Cache, Entry, pipeline_fingerprint, warn_on_stderr
from pipeline.changes import CHANGE_COLUMNS, ChangeReport, report
from pipeline.export import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    csv_lines,
    document_rows,
    to_csv,
)
from pipeline.files import DEFAULT_MAX_BYTES
from pipeline.guard import DEFAULT_DOC_TIMEOUT
from pipeline.inputs import Job, find_inputs, make_job, require_documents
from pipeline.interrupts import finishing
from pipeline.normalize import fold
from pipeline.outputs import OutputSet, output_folder
from pipeline.overrides import Overrides, correct, default_files, load
from pipeline.records import DocumentResult
from pipeline.report import stage_report
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.validation import OutputInvalid, validate
from pipeline.workbook import stage_workbook
from pipeline.workers import extract_all


@dataclass(frozen=True)
class RunOptions:
    models_dir: Path = DEFAULT_MODELS_DIR
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_duplicates: bool = False
    full: bool = False
    xlsx: bool = False
    acled: bool = False
    excel_csv: bool = False
    progress: bool = False
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT
    overrides: Path | None = None  # default: overrides.csv in each input folder
    report: bool = False
    engine: str = "local"  # or "dask": see pipeline.dask_engine
    scheduler: str | None = None  # Dask's; None: $DASK_SCHEDULER_ADDRESS, else a LocalCluster


@dataclass
class RunSummary:
    documents: int
    events: int
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    extracted: int = 0
    report: ChangeReport = field(default_factory=ChangeReport)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.documents} documents ({self.extracted} extracted), {self.events} events, "
            f"{len(self.failures)} failures, {self.seconds:.1f} s"
        )

    def change_lines(self) -> list[str]:
        return self.report.lines()


def run_batch(inputs: list[Path], out: Path, options: RunOptions | None = None, extractor=None) -> RunSummary:
    """Extract what changed since the last run (everything with ``options.full``), then put
    the tables, the change report and the error log in place together, then commit the
    cache: a run killed at any point leaves the previous outputs or the new ones, and a
    usable cache. Raises ``RunError`` when the output folder is held by another run or
    cannot be written."""
    options = options or RunOptions()
    started = time.perf_counter()
    sources = require_documents(find_inputs(inputs), inputs)
    overrides = load([options.overrides] if options.overrides else default_files(inputs))
    with output_folder(out):
        jobs = [make_job(source, options.max_bytes, options.doc_timeout) for source in sources]
        cache = Cache(out / "cache.sqlite", pipeline_fingerprint(options.models_dir), warn_on_stderr)
        try:
            entries = [
                None if options.full or not job.sha256 else cache.get(job.key, job.sha256, job.source.doc_id)
                for job in jobs
            ]
            todo = [index for index, entry in enumerate(entries) if entry is None]
            with _progress_bar(len(todo), options.progress) as bar:
                fresh = _extracted([jobs[index] for index in todo], options, bar.update, extractor)
                for index, entry in zip(todo, staged(fresh, cache), strict=True):
                    entries[index] = entry
            entries = sorted(entries, key=lambda e: e.doc_id)
            with finishing():
                current, changes = write_outputs(entries, out, options, cache, overrides)
                cache.store([job.key for job in jobs])
                cache.remember(changes.remembered)
        finally:
            cache.close()
    failures = [
        f"{e.document_row['path']}: {e.document_row['status'][len('error: ') :]}"
        for e in entries
        if e.document_row["status"].startswith("error")
    ]
    events = sum(len(digests) for digests in current.values())
    seconds = time.perf_counter() - started
    return RunSummary(len(entries), events, sorted(failures), seconds, len(todo), changes, changes.warnings)


def _extracted(
    jobs: list[Job], options: RunOptions, progress: Callable[[int], None], extractor
) -> Iterator[Entry]:
    if options.engine == "dask":
        from pipeline.dask_engine import extract_on_dask  # Dask is an optional extra

        return extract_on_dask(jobs, options.models_dir, options.workers, progress, options.scheduler)
    return extract_all(jobs, options.models_dir, options.workers, progress, extractor)


def _progress_bar(total: int, shown: bool) -> tqdm:
    return tqdm(total=total, unit="doc", disable=not (shown and sys.stderr.isatty()))


def staged(fresh: Iterable[Entry], cache: Cache) -> Iterator[Entry]:
    """The light part of each fresh entry, once the rest is staged in the cache: the main
    process's memory hardly grows with the batch."""
    for entry in fresh:
        cache.stage(entry)
        yield entry.light()


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


def _validate(documents: list[dict], kept: list[Entry]) -> None:
    """The rows of every document and the event rows of fresh entries that still hold them
    (a run's workers have checked theirs); event ids unique across the whole table."""
    new_rows = [row for e in kept if e.fresh for row in e.rows]
    validate(new_rows, documents, all_ids=[event_id for e in kept for event_id in e.digests])


def _valid_documents(documents: list[dict], kept: list[Entry]) -> tuple[list[dict], list[Entry]]:
    """Each row of documents.csv checked alone (only when the whole failed): a row that
    breaks the codebook becomes an internal error of its document, whose events go."""
    checked, failed_ids = [], set()
    for row in documents:
        try:
            validate([], [row])
        except OutputInvalid as err:
            status = "error: internal error in validation: " + " ".join(str(err).split())
            result = DocumentResult(doc=None, path=row["path"], doc_id=row["doc_id"], status=status)
            row = {**document_rows([result])[0], "events": 0}
            failed_ids.add(row["doc_id"])
        checked.append(row)
    return checked, [e for e in kept if e.doc_id not in failed_ids]


def write_outputs(
    entries: list[Entry],
    out: Path,
    options: RunOptions,
    cache: Cache | None = None,
    overrides: Overrides | None = None,
) -> tuple[dict[str, dict[str, str]], ChangeReport]:
    """Apply the analyst's corrections, validate, then put in place together both tables,
    the change report, the error log (and the spreadsheet when asked), from the entries in
    doc_id order. Returns the event digests written, per document, and the changes since
    the last run. With ``cache``, the entries are light and their CSV text and rows are
    read back from it."""
    repeats = duplicates(
        [(e.doc_id, e.title) for e in entries if not e.document_row["status"].startswith("error")]
    )
    csv_of = cache.events_csv if cache else attrgetter("events_csv")
    kept = [e for e in entries if e.doc_id not in repeats or options.keep_duplicates]
    corrected = correct(kept, csv_of, overrides or Overrides())
    kept, csv_of = corrected.entries, corrected.csv_of(csv_of)
    counts = {e.doc_id: len(e.digests) for e in kept}
    documents = []
    for entry in entries:
        row = dict(entry.document_row)
        if entry.doc_id in repeats:
            row["status"] = f"duplicate of {repeats[entry.doc_id]}"
        row["events"] = counts.get(entry.doc_id, 0)
        documents.append(row)
    try:
        _validate(documents, kept)
    except OutputInvalid:
        documents, kept = _valid_documents(documents, kept)
        _validate(documents, kept)
    current = {e.doc_id: e.digests for e in kept if e.digests}
    changes = _report(current, {e.doc_id: e for e in kept}, csv_of, cache)
    changes.add_orphans(corrected.orphans)
    bom = "\ufeff" if options.excel_csv else ""
    header = csv_lines([dict(zip(EVENT_COLUMNS, EVENT_COLUMNS, strict=True))], EVENT_COLUMNS)[0]
    files = OutputSet(out)
    files.text("events.csv", chain([bom + header], (csv_of(e) for e in kept)))
    files.text("documents.csv", to_csv(documents, DOCUMENT_COLUMNS, bom=bool(bom)))
    files.text("changes.csv", to_csv(changes.rows(), CHANGE_COLUMNS, bom=bool(bom)))
    files.text("errors.log", [e.trace for e in entries if e.trace])
    stage_workbook(files, options.xlsx)
    stage_acled(files, options.acled, options.models_dir, bool(bom))
    if options.report:
        stage_report(files, options.models_dir)
    files.commit()
    return current, changes


def _report(current: dict, kept: dict[str, Entry], csv_of, cache: Cache | None) -> ChangeReport:
    """The changes since the run the cache remembers (none without a cache)."""
    if cache is None:
        return ChangeReport()
    return report(current, cache.previous(), lambda doc_id: csv_of(kept[doc_id]), cache.previous_csv)
