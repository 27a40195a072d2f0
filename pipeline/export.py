"""Export stage: results -> rows -> events.csv and documents.csv.

``event_rows`` and ``document_rows`` are the one place where results become
output rows; the CSV writer and the golden tests both use them. Writing is
atomic (temporary file, then rename), so a crash never leaves a half-written
CSV behind.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipeline.normalize import fold
from pipeline.records import DocumentResult, Event

EVENT_COLUMNS = [
    "event_id",
    "doc_id",
    "title",
    "section",
    "event_date",
    "event_date_end",
    "date_precision",
    "date_text",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "location",
    "admin1",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "casualty_text",
    "attribution",
    "notes",
    "char_start",
    "char_end",
]
DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "format",
    "title",
    "date_start",
    "date_end",
    "place",
    "belligerents",
    "infobox_casualties",
    "sha256",
    "events",
    "status",
]
NUMERIC_COLUMNS = {
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "char_start",
    "char_end",
    "events",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def event_id(doc_id: str, evidence: str, ordinal: int) -> str:
    """``<doc_id>:<10 hex>`` from the normalised evidence sentence and the ordinal in it."""
    return f"{doc_id}:{_digest(evidence, ordinal)}"


@lru_cache(maxsize=65536)
def _digest(evidence: str, ordinal: int) -> str:
    return hashlib.sha256(f"{fold(evidence)}\x1f{ordinal}".encode()).hexdigest()[:10]


def event_rows(results: list[DocumentResult]) -> list[dict]:
    rows = []
    for result in results:
        seen: Counter[str] = Counter()
        for event in result.events:
            key = f"{event.evidence_key}\x1e{seen[(event.evidence_key, event.ordinal)]}"
            seen[(event.evidence_key, event.ordinal)] += 1
            rows.append(_event_row(event, key))
    return sorted(rows, key=lambda r: (r["doc_id"], r["char_start"], r["event_id"]))


def _event_row(event: Event, key: str) -> dict:
    return {
        "event_id": event_id(event.doc_id, key, event.ordinal),
        "doc_id": event.doc_id,
        "title": event.title,
        "section": event.section,
        "event_date": event.event_date,
        "event_date_end": event.event_date_end,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "actor2": event.actor2,
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "location": event.location,
        "admin1": event.admin1,
        "country": event.country,
        "latitude": None if event.latitude is None else round(event.latitude, 5),
        "longitude": None if event.longitude is None else round(event.longitude, 5),
        "geo_precision": event.geo_precision,
        "fatalities": event.fatalities,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "wounded": event.wounded,
        "captured": event.captured,
        "casualty_text": "; ".join(event.casualty_text),
        "attribution": event.attribution,
        "notes": event.notes,
        "char_start": event.char_start,
        "char_end": event.char_end,
    }


def document_rows(results: list[DocumentResult], counts: dict[str, int] | None = None) -> list[dict]:
    rows = []
    for result in results:
        meta = result.doc.metadata if result.doc else None
        span = result.date_range
        rows.append(
            {
                "doc_id": result.doc_id,
                "path": result.path,
                "format": result.doc.format if result.doc else "unknown",
                "title": meta.title if meta else "",
                "date_start": span.start if span else None,
                "date_end": span.end if span else None,
                "place": meta.place if meta else "",
                "belligerents": "; ".join(result.belligerents),
                "infobox_casualties": " / ".join(meta.infobox_casualties) if meta else "",
                "sha256": result.sha256,
                "events": (counts or {}).get(result.doc_id, len(result.events)),
                "status": result.status,
            }
        )
    return sorted(rows, key=lambda r: r["doc_id"])


def cell(column: str, value: object) -> str:
    """One CSV cell: empty for unknown, ISO dates, formula-like text defused."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) and column not in NUMERIC_COLUMNS else value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(rows: list[dict], columns: list[str]) -> list[str]:
    """The CSV line of each row (a quoted cell may hold line breaks), without a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for row in rows:
        writer.writerow([cell(c, row[c]) for c in columns])
        lines.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return lines


def to_csv(rows: list[dict], columns: list[str], bom: bool = False) -> str:
    """RFC 4180 CSV text; ``bom`` starts it with a byte order mark, which Excel needs to read UTF-8."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(c, row[c]) for c in columns] for row in rows)
    return buffer.getvalue()


def write_atomic(path: Path, text: str | Iterable[str], encoding: str = "utf-8") -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w",
        encoding=encoding,
        newline="",
        dir=path.parent,
        delete=False,
        prefix=f".{path.name}.",
        suffix=".tmp",
    ) as handle:
        handle.writelines([text] if isinstance(text, str) else text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)


def write_xlsx(path: Path, rows: list[dict], columns: list[str]) -> None:
    """A typed workbook: dates as dates, numbers as numbers, a frozen header row and filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = path.stem
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(c, row[c]) for c in columns])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for header in sheet[1]:
        header.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    ) as handle:
        book.save(handle)
    os.replace(handle.name, path)


def _xlsx_cell(column: str, value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, date | int | float):
        return value
    return cell(column, value)
