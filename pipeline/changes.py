"""The change report: what each event became since the previous run, for a person to read.

Events are matched across runs by ``event_id``. Where the evidence sits in the
source (``char_start``, ``char_end``) is no change: editing one paragraph moves
every later offset. An edited sentence gets a new id, so what is left over on
both sides of one document is paired by the likeness of the evidence: a figure
corrected in a sentence is one changed event (its id among the changed fields),
not one added and one removed. The cache keeps the previous run's rows as CSV
text; they are read back only for the documents whose lines' digests differ
(an edited document), and then compared field by field.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from pipeline.export import EVENT_COLUMNS

if TYPE_CHECKING:
    from pipeline.overrides import Orphan

OFFSETS = ("char_start", "char_end")
COMPARED = [column for column in EVENT_COLUMNS if column not in OFFSETS]
CHANGE_COLUMNS = ["doc_id", "event_id", "change", "fields", "notes"]
# Evidence this alike (rapidfuzz ratio, 0-100) is one sentence edited, not two events.
EDITED_LIKENESS = 80
# More documents changed than this: one line of totals instead of one line per document.
MANY_DOCUMENTS = 20
EMPTY = "(empty)"
FIELD_SEPARATOR = " | "  # not "; ", which separates names inside a cell
ORPHANED = "orphaned override"


@dataclass(frozen=True)
class EventChange:
    """One row of changes.csv. ``change`` is added, removed, changed or orphaned override;
    ``was`` is the event's previous id when its sentence was edited."""

    doc_id: str
    event_id: str
    change: str
    fields: str = ""
    notes: str = ""
    was: str = ""


@dataclass
class ChangeReport:
    """The changes of a run, and what the cache must remember for the next one: per
    document whose events changed, their digests and CSV text (``None``: it has none).
    Corrections that found no event are listed too, and each is a warning for stderr."""

    changes: list[EventChange] = field(default_factory=list)
    remembered: dict[str, tuple[dict[str, str], str] | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add_orphans(self, orphans: Iterable[Orphan]) -> None:
        """List the corrections that found no event; one whose sentence was edited in
        this run names the event that took its place."""
        successors = {change.was: change.event_id for change in self.changes if change.was}
        for orphan in orphans:
            successor = successors.get(orphan.override.event_id)
            if successor:
                orphan = replace(orphan, reason=f"its sentence was edited: the event is {successor} now")
            self.changes.append(orphan.change())
            self.warnings.append(orphan.warning())

    def rows(self) -> list[dict]:
        return [vars(change) for change in self.changes]

    def counts(self) -> dict[str, Counter]:
        """Per document with changes, in order: events added, changed and removed."""
        counts: dict[str, Counter] = {}
        for change in self.changes:
            if change.change != ORPHANED:
                counts.setdefault(change.doc_id, Counter())[change.change] += 1
        return counts

    def lines(self) -> list[str]:
        """The stdout summary: a line per document with changes, or totals when many did."""
        counts = self.counts()
        orphans = sum(1 for change in self.changes if change.change == ORPHANED)
        lines = [
            f"{doc_id}: {c['added']} added, {c['changed']} changed, {c['removed']} removed"
            for doc_id, c in counts.items()
        ]
        if len(counts) > MANY_DOCUMENTS:
            total = sum(counts.values(), Counter())
            lines = [
                f"{len(counts)} documents changed: {total['added']} events added, "
                f"{total['changed']} changed, {total['removed']} removed (each one in changes.csv)"
            ]
        if orphans:
            which = "correction matches" if orphans == 1 else "corrections match"
            lines.append(f"{orphans} {which} no event: see the warnings above and changes.csv")
        return lines or ["no change since the previous run"]


def report(
    current: dict[str, dict[str, str]],
    previous: dict[str, dict[str, str]],
    current_csv: Callable[[str], str],
    previous_csv: Callable[[str], str],
) -> ChangeReport:
    """Compare this run's event digests per document with the previous run's; read the
    rows of the documents that differ (CSV text, through the two callables) and list
    their events' changes."""
    result = ChangeReport()
    for doc_id in sorted(previous.keys() | current.keys()):
        if previous.get(doc_id, {}) == current.get(doc_id, {}):
            continue
        text = current_csv(doc_id) if doc_id in current else ""
        result.changes.extend(compare(doc_id, previous_csv(doc_id) if doc_id in previous else "", text))
        result.remembered[doc_id] = (current[doc_id], text) if doc_id in current else None
    return result


def parse(text: str) -> list[dict]:
    """Event rows as written (every cell a string), from a document's CSV lines."""
    return [dict(zip(EVENT_COLUMNS, cells, strict=False)) for cells in csv.reader(io.StringIO(text))]


def compare(doc_id: str, before: str, after: str) -> list[EventChange]:
    """The changes from one document's rows ``before`` to ``after`` (CSV text): events
    in the new order, then those removed in the old one."""
    old = {row["event_id"]: row for row in parse(before)}
    new = {row["event_id"]: row for row in parse(after)}
    pairs = edited_pairs(
        [old[key] for key in old if key not in new], [new[key] for key in new if key not in old]
    )
    successors = {pair[0]["event_id"]: pair[1]["event_id"] for pair in pairs}
    predecessors = {new_id: old_id for old_id, new_id in successors.items()}
    changes = []
    for event_id, row in new.items():
        earlier = old.get(event_id) or old.get(predecessors.get(event_id, ""))
        if earlier is None:
            changes.append(EventChange(doc_id, event_id, "added", notes=row["notes"]))
        elif differences(earlier, row):
            was = predecessors.get(event_id, "")
            changes.append(
                EventChange(doc_id, event_id, "changed", differences(earlier, row), row["notes"], was)
            )
    changes.extend(
        EventChange(doc_id, event_id, "removed", notes=row["notes"])
        for event_id, row in old.items()
        if event_id not in new and event_id not in successors
    )
    return changes


def differences(old: dict, new: dict) -> str:
    """``field: old -> new`` for each compared column that differs (the id first)."""
    return FIELD_SEPARATOR.join(
        f"{column}: {old.get(column) or EMPTY} -> {new.get(column) or EMPTY}"
        for column in COMPARED
        if (old.get(column) or "") != (new.get(column) or "")
    )


def _unlike(old: dict, new: dict) -> int:
    return sum(1 for column in COMPARED if old.get(column) != new.get(column))


def edited_pairs(removed: list[dict], added: list[dict]) -> list[tuple[dict, dict]]:
    """(old row, new row) for events whose sentence was edited: the most alike evidence
    first, then the fewest other fields changed (two events of one sentence share their
    evidence), each row in one pair at most."""
    scored = sorted(
        (-fuzz.ratio(old["notes"], new["notes"]), _unlike(old, new), i, j)
        for i, old in enumerate(removed)
        for j, new in enumerate(added)
    )
    pairs, used_old, used_new = [], set(), set()
    for score, _, i, j in scored:
        if -score < EDITED_LIKENESS or i in used_old or j in used_new:
            continue
        pairs.append((removed[i], added[j]))
        used_old.add(i)
        used_new.add(j)
    return pairs
