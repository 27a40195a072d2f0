"""A batch run: input folders -> validated events.csv and documents.csv.

``run_batch`` knows nothing of the command line: it takes paths and returns
a summary. Every document is extracted even when another fails; outputs are
validated as a whole and then written atomically, or not at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS, document_rows, event_rows, to_csv, write_atomic
from pipeline.extract import Extractor
from pipeline.ingest import SUFFIXES
from pipeline.records import DocumentResult
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.validation import validate


@dataclass
class RunSummary:
    documents: int
    events: int
    failures: list[str]
    seconds: float

    def line(self) -> str:
        return (
            f"{self.documents} documents, {self.events} events, {len(self.failures)} failures, "
            f"{self.seconds:.1f} s"
        )


def find_inputs(inputs: list[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs: every article file under the inputs, sorted, recursively."""
    found: list[tuple[Path, Path]] = []
    for item in inputs:
        if item.is_file():
            found.append((item, item.parent))
            continue
        files = [p for p in item.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()]
        found.extend((path, item) for path in sorted(files, key=lambda p: p.relative_to(item).as_posix()))
    return found


def run_batch(inputs: list[Path], out: Path, models_dir: Path = DEFAULT_MODELS_DIR) -> RunSummary:
    started = time.perf_counter()
    extractor = Extractor(models_dir)
    results = [extractor.extract(path, root) for path, root in find_inputs(inputs)]
    events = write_outputs(results, out)
    failures = [f"{r.path}: {r.status[len('error: ') :]}" for r in results if r.status.startswith("error")]
    return RunSummary(len(results), events, failures, time.perf_counter() - started)


def write_outputs(results: list[DocumentResult], out: Path) -> int:
    """Validate both tables, then write them; returns the number of events."""
    events = event_rows(results)
    documents = document_rows(results)
    validate(events, documents)
    write_atomic(out / "events.csv", to_csv(events, EVENT_COLUMNS))
    write_atomic(out / "documents.csv", to_csv(documents, DOCUMENT_COLUMNS))
    return len(events)
