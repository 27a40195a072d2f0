"""The full run over seeds/: golden CSV files and the evidence offsets of every event."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS, document_rows, event_rows, to_csv
from pipeline.ingest import read_document
from pipeline.inputs import find_inputs
from pipeline.normalize import strip_citations
from pipeline.run import mark_duplicates, run_batch
from pipeline.validation import validate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed_results(extractor):
    results = [extractor.extract(source.path, source.root) for source in find_inputs([SEEDS])]
    mark_duplicates(results, keep=False)
    return results


def test_events_csv_matches_golden(seed_results, file_regression):
    file_regression.check(to_csv(event_rows(seed_results), EVENT_COLUMNS), extension=".csv")


def test_documents_csv_matches_golden(seed_results, file_regression):
    file_regression.check(to_csv(document_rows(seed_results), DOCUMENT_COLUMNS), extension=".csv")


def test_seed_outputs_validate(seed_results):
    validate(event_rows(seed_results), document_rows(seed_results))


def test_offsets_point_at_the_evidence(seed_results, rules):
    sources = {r.doc_id: read_document(SEEDS / r.path, SEEDS, rules).text for r in seed_results}
    rows = event_rows(seed_results)
    assert rows
    for row in rows:
        evidence = sources[row["doc_id"]][row["char_start"] : row["char_end"]]
        assert strip_citations(evidence) == row["notes"], row["event_id"]


def test_run_writes_both_files(tmp_path):
    summary = run_batch([SEEDS], tmp_path)
    assert summary.documents == 2 and not summary.failures
    events = list(csv.DictReader(io.StringIO((tmp_path / "events.csv").read_text(encoding="utf-8"))))
    documents = list(csv.DictReader(io.StringIO((tmp_path / "documents.csv").read_text(encoding="utf-8"))))
    assert len(events) == summary.events
    assert [d["status"] for d in documents] == ["ok", "duplicate of 000_e8d255eaa52ec732"]
    assert sum(int(d["events"]) for d in documents) == len(events)
