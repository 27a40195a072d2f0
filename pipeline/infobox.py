"""The infobox as structure: its side list, its date and location, cleaned.

Ingest feeds every infobox line it meets (text dumps, Markdown headings, HTML
table rows, blank lines included) to a ``SideReader``, which keeps what the
layout says about the sides: numbered columns (``Combatant2``, table cells),
"Supported by:" runs, blank lines that end them, bullets for units. A side list
that lost its label is recovered from the names just before the commanders.
``pipeline/sides.py`` groups the items into sides. The knowledge (labels,
supporter words, flag files, date junk) is ``models/frame.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.normalize import strip_citations
from pipeline.resources import ModelError, check_keys, load_yaml
from pipeline.sides import NameLexicon, SideItem, clean_name, group, looks_like_name, split_glued

FRAME_KEYS = {
    "side_labels",
    "perpetrator_labels",
    "after_sides_labels",
    "closing_labels",
    "supporter_words",
    "no_names",
    "flag_files",
    "flag_captions",
    "name_particles",
    "max_name_words",
    "date_junk",
    "coordinates",
    "title_places",
    "title_place_prefixes",
    "lead_conflict_words",
    "lead_list_ends",
}
MAX_VALUE_CHARS = 400  # longer than any date, place or side name of a real infobox
_COLUMN = re.compile(r"^(\d)\s*:?\s*\|?\s*")
_BULLET = re.compile(r"^\s*[•*·\-–]")
_NOTES = re.compile(r"\([^()]*\)")
_ALLEGIANCE = re.compile(
    r"[^,;()|]*\(\s*(pro-[^()]+?)\s*\)"
)  # "Security Forces (pro-Saleh)": pro-Saleh forces
_SEPARATOR = re.compile(r"[,;]|\[\s*\d+\s*\](?=\s*\w)")  # a citation mark between two names parts them


@dataclass(frozen=True)
class FrameRules:
    """The data of models/frame.yaml, compiled."""

    side_labels: frozenset[str]
    perpetrator_labels: frozenset[str]
    after_sides_labels: frozenset[str]
    labels: tuple[str, ...]  # every label, longest first
    supporter: re.Pattern
    no_names: frozenset[str]
    flag_files: tuple[re.Pattern, ...]
    flag_captions: tuple[str, ...]
    particles: frozenset[str]
    max_name_words: int
    date_junk: tuple[re.Pattern, ...]
    coordinates: re.Pattern
    title_places: tuple[re.Pattern, ...]
    lead_conflict_words: frozenset[str] = frozenset()
    lead_list_ends: frozenset[str] = frozenset()
    label_start: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label_start", label_pattern(self.labels))

    @classmethod
    def from_models(cls, models_dir: Path | str) -> FrameRules:
        where = f"{models_dir}/frame.yaml"
        data = load_yaml(models_dir, "frame.yaml")
        check_keys(data, FRAME_KEYS, FRAME_KEYS, where)
        sides, perps, after = (
            frozenset(map(str, data[k])) for k in ("side_labels", "perpetrator_labels", "after_sides_labels")
        )
        words = "|".join(re.escape(w) for w in sorted(data["supporter_words"], key=len, reverse=True))
        try:
            return cls(
                sides,
                perps,
                after,
                tuple(sorted(sides | perps | after | set(data["closing_labels"]), key=len, reverse=True)),
                re.compile(rf"(?:^|\s)(?:{words})\s*:\s*|^(?:{words})\s*$"),
                frozenset(str(w).lower() for w in data["no_names"]),
                tuple(re.compile(p) for p in data["flag_files"]),
                tuple(map(str, data["flag_captions"])),
                frozenset(map(str, data["name_particles"])),
                int(data["max_name_words"]),
                tuple(re.compile(p) for p in data["date_junk"]),
                re.compile(data["coordinates"]),
                _title_patterns(data["title_places"], data["title_place_prefixes"]),
                frozenset(str(w).lower() for w in data["lead_conflict_words"]),
                frozenset(str(w).lower() for w in data["lead_list_ends"]),
            )
        except (re.error, TypeError, ValueError) as err:
            raise ModelError(f"{where}: {err}") from err

    def label_of(self, line: str) -> tuple[str, str] | None:
        """(label, rest) of an infobox line: glued ("Date7 August"), ``- Key: value`` or a
        Markdown heading; None for any other line."""
        text = _LINE_MARK.sub("", line).strip()
        label = leading_label(text, self.labels, self.label_start)
        return (label, _LABEL_COLON.sub("", text[len(label) :]).strip()) if label else None

    def clean_date(self, text: str) -> str:
        """A Date value without template left-overs ("3– | time-begin =") or citation marks."""
        text = text[:MAX_VALUE_CHARS]
        for pattern in self.date_junk:
            text = pattern.sub(" ", text)
        return " ".join(strip_citations(text).split()).strip(" ,;|")

    def clean_place(self, text: str) -> str:
        """A Location value as text; a coordinate string is no place, so it gives ""."""
        text = " ".join(strip_citations(text).split()).strip(" ,;|")
        return "" if self.coordinates.search(text[:MAX_VALUE_CHARS]) else text


def label_pattern(labels: tuple[str, ...]) -> re.Pattern:
    """Matches a text that starts with any of ``labels``: most lines start with none, and
    one regular expression tells that faster than a test per label."""
    return re.compile("|".join(re.escape(label) for label in labels) or "(?!)")


def leading_label(text: str, labels: tuple[str, ...], starts: re.Pattern) -> str | None:
    """The longest of ``labels`` (longest first) that starts ``text`` and that no lower-case
    letter continues ("Date7 August" is a Date, "Dates of" is not)."""
    if not starts.match(text):
        return None
    for label in labels:
        if text.startswith(label) and not text[len(label) : len(label) + 1].islower():
            return label
    return None


_LINE_MARK = re.compile(r"^\s*(?:#+|-)\s+")
_LABEL_COLON = re.compile(r"^\s*:(?!\s*\|)\s*")


def _title_patterns(patterns: list[str], prefixes: list[str]) -> tuple[re.Pattern, ...]:
    lead = "(?:" + "|".join(prefixes) + ")*" if prefixes else ""
    place = r"(?P<place>[A-Za-z][^()]*?)"
    return tuple(re.compile(lead + str(p).replace("{place}", place) + r"\s*(?:\(.*\))?") for p in patterns)


class SideReader:
    """Collects the side items of one infobox, line by line."""

    def __init__(self, rules: FrameRules, lexicon: NameLexicon) -> None:
        self.rules = rules
        self.lexicon = lexicon
        self.items: list[SideItem] = []
        self.pending: list[str] = []  # lines since the last label, in case the side label was lost
        self.in_sides = False
        self.column: int | None = None
        self.supporting = False
        self.ends_support = False
        self.gap = False

    def feed(self, line: str) -> None:
        """One infobox line; a blank line matters (it ends a run of supporters)."""
        if not line.strip():
            self.gap = True
            self.pending.append("")
            return
        labelled = self.rules.label_of(line)
        if labelled:
            self._label(*labelled)
        elif self.in_sides:
            column = _COLUMN.match(line.strip()) if "|" in line else None  # "2: | name" (HTML)
            if column:
                self.column, self.supporting = int(column.group(1)), False
                line = line.strip()[column.end() :]
            self._values(line, self.column)
        else:
            self.pending.append(line)
        self.gap = False

    def column_lines(self, lines: list[str], column: int) -> None:
        """The lines of one side, listed apart (a front-matter tag per side)."""
        self.in_sides, self.column, self.supporting = True, column, False
        for line in lines:
            self.feed(line)
        self.in_sides = False

    def sides(self) -> tuple[list[list[str]], list[list[str]]]:
        return group(self.items, self.lexicon)

    def _label(self, label: str, rest: str) -> None:
        rules = self.rules
        if label in rules.after_sides_labels and not self.items:
            self._recover()
        self.in_sides, self.supporting, self.pending = label in rules.side_labels, False, []
        column = _COLUMN.match(rest)
        self.column = int(column.group(1)) if column else None
        rest = rest[column.end() :] if column else rest
        if label in rules.perpetrator_labels:
            self.column = max((i.column or 1 for i in self.items), default=0) + 1
            self.in_sides = True
        if self.in_sides and rest.strip(" |"):
            self._values(rest, self.column)

    def _recover(self) -> None:
        """The names just before the commanders, when no side label came before them."""
        run: list[str] = []
        for line in reversed(self.pending):
            if line and not self._is_side_line(line):
                break
            run.insert(0, line)
        self.in_sides = True
        for line in run:
            self.feed(line) if line else setattr(self, "gap", True)

    def _is_side_line(self, line: str) -> bool:
        if len(line) > MAX_VALUE_CHARS:
            return False
        if self.rules.supporter.search(line):
            return True
        name = clean_name(line, self.rules.flag_files, self.rules.flag_captions)
        return looks_like_name(name, self.rules.particles, self.rules.max_name_words, self.lexicon)

    def _values(self, line: str, column: int | None) -> None:
        """A value line: table cells are columns; "Supported by:" starts supporters."""
        cells = line.split("|")
        if len([c for c in cells if c.strip()]) > 1:
            for index, cell in enumerate(cells, start=1):
                if cell.strip():
                    self._run(cell, index)
            return
        self._run(line, column)

    def _run(self, text: str, column: int | None) -> None:
        if self.gap and self.supporting and self.ends_support:
            self.supporting = False
        parts = self.rules.supporter.split(_NOTES.sub(" ", _ALLEGIANCE.sub(r" \1 forces", text)))
        for index, part in enumerate(parts):
            if index:
                self.supporting, self.ends_support = True, False
            for piece in _SEPARATOR.split(part):
                self._add(piece, column, bool(_BULLET.match(text)))

    def _add(self, piece: str, column: int | None, bullet: bool) -> None:
        if len(piece) > MAX_VALUE_CHARS:  # no name; and the flag patterns need not read it
            return
        name = clean_name(piece, self.rules.flag_files, self.rules.flag_captions)
        if not name or name.lower() in self.rules.no_names:
            return
        new_side = bool(self.items) and self.items[-1].supporter and not self.supporting and not bullet
        for part in split_glued(name, self.lexicon, self.rules.max_name_words):
            if looks_like_name(part, self.rules.particles, self.rules.max_name_words, self.lexicon):
                self.items.append(SideItem(part, column, self.supporting, bullet, new_side))
                new_side = False
        self.ends_support = self.supporting
