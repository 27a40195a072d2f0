"""An analyst's corrections, kept in ``overrides.csv`` and applied to every run's rows.

A correction is keyed by ``event_id``, which depends only on the event's own
sentence: it holds through edits of other paragraphs, full re-runs and any
number of workers. The cache keeps what the pipeline extracted; corrections
are applied after extraction and before validation, on every run, so deleting
a line of the file gives the extracted row back. A correction's values are
checked like the pipeline's own (a bad one is an error naming its line), and
one whose event no longer exists (its sentence was edited or deleted) is
reported, never dropped in silence.

The file: a header row with ``event_id``, the columns corrected (any column of
events.csv but the event's identity, its offsets and ``overridden``), and
optionally ``drop`` (yes/1/true/x: a false event, left out) and ``comment``
(the analyst's own, ignored). An empty cell leaves the field as extracted;
``(empty)`` empties it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipeline.cache import Entry, line_digest
from pipeline.changes import FIELD_SEPARATOR, ORPHANED, EventChange
from pipeline.export import DATE_COLUMNS, EVENT_COLUMNS, NUMERIC_COLUMNS, csv_lines, rows_from_csv
from pipeline.validation import CORRECTABLE, FIXED_COLUMNS, OutputInvalid, validate

OVERRIDES_FILE = "overrides.csv"
KEY, DROP, COMMENT = "event_id", "drop", "comment"
CLEAR = "(empty)"
YES = {"1", "yes", "y", "true", "x"}
NO = {"", "0", "no", "n", "false"}
EVENT_ID = re.compile(r"^.+:[0-9a-f]{10}$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OverrideError(ValueError):
    """The overrides file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Override:
    """One line of an overrides file: the event, its corrected values (``None`` empties a
    field), whether it is dropped, and where the line is (``file, line N``)."""

    event_id: str
    values: dict[str, object]
    drop: bool
    where: str

    @property
    def doc_id(self) -> str:
        return self.event_id.rsplit(":", 1)[0]

    def describe(self) -> str:
        corrections = [f"{column}: {CLEAR if v is None else v}" for column, v in self.values.items()]
        return FIELD_SEPARATOR.join([*corrections, *(["drop"] if self.drop else [])])


@dataclass
class Overrides:
    by_event: dict[str, Override] = field(default_factory=dict)


def default_files(inputs: list[Path]) -> list[Path]:
    """The ``overrides.csv`` of each input folder that has one."""
    return [folder / OVERRIDES_FILE for folder in inputs if (folder / OVERRIDES_FILE).is_file()]


def load(paths: list[Path]) -> Overrides:
    """Every correction of the files, checked; an event corrected twice is an error."""
    overrides = Overrides()
    for path in paths:
        for override in read(path):
            earlier = overrides.by_event.get(override.event_id)
            if earlier:
                raise OverrideError(
                    f"{override.where}: event {override.event_id} is corrected already ({earlier.where})"
                )
            overrides.by_event[override.event_id] = override
    return overrides


def read(path: Path) -> list[Override]:
    """The corrections of one file (UTF-8, with or without the BOM a spreadsheet writes)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise OverrideError(f"{path}: cannot be read ({err})") from err
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader, [])]
        _check_header(header, path)
        found, start = [], reader.line_num + 1
        for cells in reader:
            where = f"{path}, line {start}"
            start = reader.line_num + 1
            if any(c.strip() for c in cells):
                found.append(_override(dict(zip(header, cells, strict=False)), where))
    except csv.Error as err:
        raise OverrideError(f"{path}, line {reader.line_num}: not CSV ({err})") from err
    return found


def _check_header(header: list[str], path: Path) -> None:
    if KEY not in header:
        raise OverrideError(
            f"{path}, line 1: no {KEY} column (the header names {KEY} and the columns corrected)"
        )
    for name in header:
        if name in FIXED_COLUMNS and name != KEY:
            raise OverrideError(
                f"{path}, line 1: column {name!r} cannot be corrected (it is the event's identity, "
                "where its evidence is in the source, or the record of corrections)"
            )
        if name not in (KEY, DROP, COMMENT, *CORRECTABLE):
            raise OverrideError(f"{path}, line 1: unknown column {name!r} (not a column of events.csv)")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise OverrideError(f"{path}, line 1: column {repeated[0]!r} appears twice")


def _override(cells: dict[str, str], where: str) -> Override:
    event_id = (cells.get(KEY) or "").strip()
    if not EVENT_ID.match(event_id):
        raise OverrideError(f"{where}: {event_id!r} is not an event_id (<doc_id>:<10 hex>, as in events.csv)")
    flag = (cells.get(DROP) or "").strip().lower()
    if flag not in YES | NO:
        raise OverrideError(f"{where}: drop is {flag!r}; write yes or leave it empty")
    values = {}
    for column in CORRECTABLE:
        raw = (cells.get(column) or "").strip()
        if raw:
            values[column] = _value(column, raw, where)
    return Override(event_id, values, flag in YES, where)


def _value(column: str, raw: str, where: str) -> object:
    """A cell as the column's type: whole numbers, coordinates, ISO dates, text."""
    if raw == CLEAR:
        return None
    try:
        if column in ("latitude", "longitude"):
            return float(raw)
        if column in NUMERIC_COLUMNS:
            return int(raw)
        if column in DATE_COLUMNS:
            return date.fromisoformat(raw if ISO_DAY.match(raw) else "")
    except ValueError:
        kind = "a number" if column in NUMERIC_COLUMNS else "a date written YYYY-MM-DD"
        raise OverrideError(f"{where}: {column} is {raw!r}, not {kind}") from None
    return raw


@dataclass(frozen=True)
class Orphan:
    """A correction whose event is not in this run's table."""

    override: Override
    reason: str

    def warning(self) -> str:
        return (
            f"warning: {self.override.where}: event {self.override.event_id} is not in events.csv "
            f"({self.reason}); its correction was not applied"
        )

    def change(self) -> EventChange:
        o = self.override
        return EventChange(o.doc_id, o.event_id, ORPHANED, o.describe(), f"{o.where}: {self.reason}")


@dataclass
class Corrected:
    """The entries with corrections applied (digests of the corrected rows), the CSV text
    of each corrected document, and the corrections that found no event."""

    entries: list[Entry]
    texts: dict[str, str] = field(default_factory=dict)
    orphans: list[Orphan] = field(default_factory=list)

    def csv_of(self, extracted: Callable[[Entry], str]) -> Callable[[Entry], str]:
        """An entry's CSV text: corrected, or as ``extracted`` gives it."""
        return lambda entry: self.texts[entry.doc_id] if entry.doc_id in self.texts else extracted(entry)


def correct(entries: list[Entry], csv_of: Callable[[Entry], str], overrides: Overrides) -> Corrected:
    """Apply the corrections to the entries' rows (read through ``csv_of``); raise
    ``OverrideError`` naming the line of a correction that breaks the codebook."""
    by_document: dict[str, dict[str, Override]] = {}
    for key, override in overrides.by_event.items():
        by_document.setdefault(override.doc_id, {})[key] = override
    result = Corrected([])
    applied: list[tuple[Override, dict]] = []
    for entry in entries:
        mine = by_document.get(entry.doc_id, {})
        if not mine.keys() & entry.digests.keys():
            result.entries.append(entry)
            continue
        text, digests, rows = _apply(csv_of(entry), entry.digests, mine)
        applied.extend(rows)
        result.texts[entry.doc_id] = text
        result.entries.append(replace(entry, digests=digests))
    _validate(applied)
    present = {e.doc_id for e in entries if e.digests}
    found = {key for e in entries for key in e.digests}
    result.orphans = [
        Orphan(o, _reason(o, present)) for key, o in overrides.by_event.items() if key not in found
    ]
    return result


def _apply(
    text: str, extracted: dict[str, str], mine: dict[str, Override]
) -> tuple[str, dict[str, str], list[tuple[Override, dict]]]:
    """A document's CSV text with its corrections (rows dropped or changed, the others as
    they were), the digests of its rows, and each corrected row with its correction."""
    lines, digests, applied = [], {}, []
    for row, line in zip(rows_from_csv(text), _lines(text), strict=True):
        key, override = row[KEY], mine.get(row[KEY])
        if override is None:
            lines.append(line)
            digests[key] = extracted[key]
        elif not override.drop:
            row = {**row, **override.values, "overridden": "; ".join(override.values)}
            applied.append((override, row))
            lines.append(csv_lines([row], EVENT_COLUMNS)[0])
            digests[key] = line_digest(lines[-1])
    return "".join(lines), digests, applied


def _lines(text: str) -> list[str]:
    """Each row's CSV line as written (a quoted cell may hold a line break)."""
    buffer, lines = io.StringIO(), []
    writer = csv.writer(buffer, lineterminator="\n")
    for cells in csv.reader(io.StringIO(text)):
        writer.writerow(cells)
        lines.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return lines


def _validate(applied: list[tuple[Override, dict]]) -> None:
    """The corrected rows against the codebook; on a failure, the first bad line found
    row by row."""
    try:
        validate([row for _, row in applied], [])
    except OutputInvalid:
        for override, row in applied:
            try:
                validate([row], [])
            except OutputInvalid as err:
                raise OverrideError(f"{override.where}: {err.detail}") from err
        raise


def _reason(override: Override, present: set[str]) -> str:
    if override.doc_id not in present:
        return f"document {override.doc_id} gave no event in this run; see documents.csv"
    return f"its sentence was edited or deleted: events.csv has the events of {override.doc_id} now"
