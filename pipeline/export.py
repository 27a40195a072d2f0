"""Export stage: results -> rows -> events.csv and documents.csv.

``event_rows`` and ``document_rows`` are the one place where results become
output rows; the CSV writer and the golden tests both use them. The text and
workbook made here are put in place by ``pipeline.outputs``, all files of a
run together.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from datetime import date
from functools import lru_cache

from pipeline.normalize import fold
from pipeline.records import FORMULA_STARTS, DocumentResult, Event

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
    "geonameid",
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
    "overridden",
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
DATE_COLUMNS = ("event_date", "event_date_end", "date_start", "date_end")
NUMERIC_COLUMNS = {
    "latitude",
    "longitude",
    "geo_precision",
    "geonameid",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "char_start",
    "char_end",
    "events",
}


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
            # Sentences that fold alike share the id of their first occurrence (cached):
            # counting by it numbers repeats without folding each evidence again.
            first = event_id(event.doc_id, f"{event.evidence_key}\x1e0", event.ordinal)
            rows.append(_event_row(event, f"{event.evidence_key}\x1e{seen[first]}"))
            seen[first] += 1
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
        "geonameid": event.geonameid,
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
        "overridden": "",  # set by pipeline.overrides when an analyst's correction applies
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
    """One CSV cell: empty for unknown, ISO dates, formula-like text defused, a carriage
    return written as a line break (Python's CSV writer leaves a lone one unquoted when
    lines end in ``\\n``, and the file would not read back)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = "'" + value if value.startswith(FORMULA_STARTS) and column not in NUMERIC_COLUMNS else value
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
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


def unguarded(text: str) -> str:
    """A CSV cell's text without the formula guard that ``cell`` puts before it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def rows_from_csv(text: str, columns: list[str] = EVENT_COLUMNS) -> list[dict]:
    """Rows back from their CSV lines (no header), typed: numbers and dates as such, text
    as it was before the formula guard."""
    return [
        {column: typed_cell(column, value) for column, value in zip(columns, cells, strict=True)}
        for cells in csv.reader(io.StringIO(text))
    ]


def typed_cell(column: str, value: str) -> object:
    """The value a CSV cell of ``column`` holds: None when empty."""
    if not value:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(value)
    if column in ("latitude", "longitude"):
        return float(value)
    return int(value) if column in NUMERIC_COLUMNS else unguarded(value)
