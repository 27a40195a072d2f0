"""What every reader of ingest shares: the rules of models/ingest.yaml, source lines
with their offsets, and the reader of an infobox's fields.

The Markdown, text-dump and HTML readers all meet infobox lines (glued
"Date7 August", ``- Key: value``, table rows); ``InfoboxReader`` turns them into
the document's date, place, belligerents and casualty lines in one way for all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from pipeline.infobox import FrameRules, SideReader, label_pattern, leading_label
from pipeline.records import Block, Metadata
from pipeline.resources import load_yaml, section
from pipeline.sides import NameLexicon

EDIT_MARK = re.compile(r"\[edit\]\s*$")
BULLET = re.compile(r"^\s*([•*\-–·]|\d+\.\s)")
_KEY_VALUE = re.compile(r"^\s*-\s*([A-Za-z][A-Za-z0-9 ]*?):\s*(.*)$")
_NUMBERED = re.compile(r"\d+\.\s")
_NOTES = re.compile(r"\[[^\]]*\]|\([^)]*\)?")
_LIST_MARK = re.compile(r"^[\s*•\-–·]+")


@dataclass(frozen=True)
class IngestRules:
    """The data of models/ingest.yaml, compiled."""

    labels: tuple[str, ...]
    belligerent_labels: frozenset[str]
    casualty_labels: frozenset[str]
    list_end_labels: frozenset[str]
    tail_sections: frozenset[str]
    junk: re.Pattern  # every junk line pattern in one
    min_prose_chars: int
    frame: FrameRules
    lexicon: NameLexicon
    label_start: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label_start", label_pattern(self.labels))

    @classmethod
    def from_models(cls, models_dir: Path | str, lexicon: NameLexicon | None = None) -> IngestRules:
        """``lexicon`` is given when the caller has built the faction gazetteer already."""
        data = load_yaml(models_dir, "ingest.yaml")
        where = f"{models_dir}/ingest.yaml"
        labels = sorted(section(data, "infobox_labels", where), key=len, reverse=True)
        return cls(
            labels=tuple(labels),
            belligerent_labels=frozenset(section(data, "belligerent_labels", where)),
            casualty_labels=frozenset(section(data, "casualty_labels", where)),
            list_end_labels=frozenset(section(data, "list_end_labels", where)),
            tail_sections=frozenset(s.lower() for s in section(data, "tail_sections", where)),
            junk=any_of(section(data, "junk_lines", where)),
            min_prose_chars=int(section(data, "min_prose_chars", where, int)),
            frame=FrameRules.from_models(models_dir),
            lexicon=lexicon or NameLexicon.from_models(models_dir),
        )

    def side_reader(self) -> SideReader:
        """A reader for one document's side list: it keeps state, so one per document."""
        return SideReader(self.frame, self.lexicon)

    def label_of(self, line: str) -> tuple[str, str] | None:
        """(label, value) when ``line`` is an infobox line, glued or ``- Key: value``."""
        pair = _KEY_VALUE.match(line)
        if pair and pair.group(1).strip() in self.labels:
            return pair.group(1).strip(), pair.group(2).strip()
        stripped = line.strip()
        label = leading_label(stripped, self.labels, self.label_start)
        return (label, stripped[len(label) :].strip()) if label else None

    def is_junk(self, line: str) -> bool:
        """A line that is no narrative wherever it stands (a hatnote, the licence footer)."""
        return self.junk.search(line.strip()) is not None

    def is_tail(self, heading: str) -> bool:
        """A heading from which on nothing is narrative (References, See also)."""
        cleaned = heading.replace("[object Object]", "").strip().lower()
        return EDIT_MARK.sub("", cleaned).strip() in self.tail_sections

    def is_prose(self, line: str) -> bool:
        """A long line of words that is no list item and no infobox line: what ends an
        infobox, as an infobox value is short."""
        stripped = line.strip()
        return (
            len(stripped) >= self.min_prose_chars
            and not BULLET.match(line)
            and self.label_of(line) is None
            and " " in stripped
        )


def any_of(patterns: list[str]) -> re.Pattern:
    """One pattern that finds what any of ``patterns`` finds: every line of every document
    is tested, and one search is several times faster than one per pattern. Each pattern
    stands in a group of its own, so it may not set global flags (``(?i:...)`` does)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


class Line(NamedTuple):
    """A line of the source without its line end; a tuple, as a document has thousands."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Lines of ``text[start:end]`` with their offsets, without line ends."""
    end = len(text) if end is None else end
    pieces = text[start:end].splitlines(keepends=True)
    starts = accumulate(map(len, pieces), initial=start)
    return [Line(piece.rstrip("\r\n"), at) for piece, at in zip(pieces, starts, strict=False)]


def line_block(line: Line, heading: str) -> Block:
    """The line without surrounding whitespace, as a verbatim block."""
    lead = len(line.text) - len(line.text.lstrip())
    return Block(line.text.strip(), line.start + lead, heading)


def list_names(lines: list[str]) -> list[str]:
    """Names from infobox-style list lines: bullets, notes in brackets and parentheses removed."""
    names = []
    for line in lines:
        name = _LIST_MARK.sub("", _NOTES.sub("", line)).strip(" ,;:")
        if name and not name.lower().startswith(("supported by", "unknown")):
            names.append(" ".join(name.split()))
    return names


class InfoboxReader:
    """Collects date, place, sides and casualty lines from infobox lines; ``sides`` reads
    the side list's structure."""

    def __init__(self, metadata: Metadata, rules: IngestRules, sides: SideReader) -> None:
        self.metadata = metadata
        self.rules = rules
        self.sides = sides
        self.mode = ""

    def feed(self, line: str) -> None:
        """One infobox line (blank when the layout had a gap, which ends a supporter run)."""
        self.sides.feed(line)
        if not line:
            return
        labelled = self.rules.label_of(line)
        if labelled:
            label, value = labelled
            self._label(label, value)
        elif self.mode == "belligerents":
            self.metadata.belligerents.extend(list_names([line]))
        elif self.mode == "casualties" and not _NUMBERED.match(line):
            self.metadata.infobox_casualties.append(" ".join(line.split()))

    def _label(self, label: str, value: str) -> None:
        meta, rules = self.metadata, self.rules
        if label == "Date" and not meta.date_text:
            meta.date_text = rules.frame.clean_date(value)
        elif label in ("Location", "Place") and not meta.place:
            meta.place = rules.frame.clean_place(value)
        if label in rules.belligerent_labels:
            self.mode = "belligerents"
            meta.belligerents.extend(list_names(value.split(",")) if value else [])
        elif label in rules.casualty_labels:
            self.mode = "casualties"
            if value:
                meta.infobox_casualties.append(value)
        elif label in rules.list_end_labels or label in rules.labels:
            self.mode = ""
