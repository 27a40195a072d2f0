"""Ingest: a file on disk -> a ``Document`` with metadata and narrative blocks.

The format is detected from the content, not the file name: Markdown with
YAML front matter, an offline-Wikipedia text dump (title line, infobox lines
with the label glued to the value, narrative, licence footer), or the HTML of
a Wikipedia page. Metadata (front matter, infobox) never becomes narrative.
Block offsets point into the decoded source text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from pipeline import html_text
from pipeline.files import DEFAULT_MAX_BYTES, IngestError, decode, doc_id_for, read_bounded
from pipeline.front_matter import load_front_matter
from pipeline.infobox import FrameRules, SideReader, label_pattern, leading_label
from pipeline.normalize import strip_citations
from pipeline.records import Block, Document, Metadata
from pipeline.resources import load_yaml, section
from pipeline.sides import NameLexicon

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_HEADING_MD = re.compile(r"^(#{1,6})[ \t]*(.*?)[ \t#]*$")
_HEADING_WIKI = re.compile(r"^(=+)\s*(.+?)\s*=+\s*$")
_EDIT_MARK = re.compile(r"\[edit\]\s*$")
_BULLET = re.compile(r"^\s*([•*\-–·]|\d+\.\s)")
_KEY_VALUE = re.compile(r"^\s*-\s*([A-Za-z][A-Za-z0-9 ]*?):\s*(.*)$")
_TERMINAL = re.compile(r"[.!?:;,\"”)\]]\s*$")
_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"\d+\.\s")
_NOTES = re.compile(r"\[[^\]]*\]|\([^)]*\)?")
_LIST_MARK = re.compile(r"^[\s*•\-–·]+")
_IMAGE_NAME = re.compile(r"\.(svg|png|jpe?g|gif)$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)^---[ \t]*$", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_END = re.compile(r"^---\s*$", re.MULTILINE)
_HTML_HEAD = re.compile(r"<(body|div|p)[\s>]")
_WIKIPEDIA_SUFFIX = re.compile(r"\s+[-–—]\s+Wikipedia\s*$")
_SENTENCE_END = re.compile(r"[a-z]{2}\.(?:\s|$)")


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
        return self.junk.search(line.strip()) is not None

    def is_tail(self, heading: str) -> bool:
        cleaned = heading.replace("[object Object]", "").strip().lower()
        return _EDIT_MARK.sub("", cleaned).strip() in self.tail_sections

    def is_prose(self, line: str) -> bool:
        stripped = line.strip()
        return (
            len(stripped) >= self.min_prose_chars
            and not _BULLET.match(line)
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


def read_document(
    path: Path,
    root: Path,
    rules: IngestRules,
    doc_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    raw: bytes | None = None,
) -> Document:
    """Read and parse one file; raises ``IngestError`` with the cause. ``doc_id`` is given
    when the batch had to tell apart two files of the same name; ``raw`` when the file's
    bytes were read elsewhere (a Dask worker gets them from the driver, not from a disk)."""
    own_id, rel = doc_id_for(path, root)
    doc_id = doc_id or own_id
    raw = read_bounded(path, max_bytes) if raw is None else raw
    if not raw.strip():
        raise IngestError("empty file")
    text = decode(raw)
    fmt = detect_format(text)
    if fmt == "markdown":
        metadata, blocks = parse_markdown(text, rules)
    elif fmt == "html":
        metadata, blocks = parse_html(text, rules)
    else:
        metadata, blocks = parse_wikipedia_text(text, rules)
    if not blocks:
        raise IngestError("not an article (no narrative paragraph found)")
    sha = hashlib.sha256(raw).hexdigest()
    return Document(doc_id, rel, fmt, text, sha, metadata, blocks)


def detect_format(text: str) -> str:
    head = text.lstrip()[:2000].lower()
    if head.startswith("---") and _FRONT_MATTER_END.search(text[3:]):
        return "markdown"
    if head.startswith(("<!doctype html", "<html")) or _HTML_HEAD.search(head):
        return "html"
    return "wikipedia-text"


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Lines of ``text[start:end]`` with their offsets, without line ends."""
    end = len(text) if end is None else end
    pieces = text[start:end].splitlines(keepends=True)
    starts = accumulate(map(len, pieces), initial=start)
    return [Line(piece.rstrip("\r\n"), at) for piece, at in zip(pieces, starts, strict=False)]


# --- Markdown with YAML front matter -------------------------------------------------


def parse_markdown(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise IngestError("malformed front matter (no closing ---)")
    front = load_front_matter(match.group(1))
    metadata = front_matter_metadata(front)
    metadata.date_text = rules.frame.clean_date(metadata.date_text)
    metadata.place = rules.frame.clean_place(metadata.place)
    sides = rules.side_reader()
    for column, tag in enumerate((t for t in metadata.tags if "\n" in t.strip()), start=1):
        sides.column_lines(tag.splitlines(), column)
    blocks = markdown_blocks(split_lines(text, match.end()), metadata.title, rules, sides)
    metadata.sides, metadata.supporters = sides.sides()
    return metadata, blocks


def _text(value: object, key: str) -> str:
    """A metadata value as one line of text; a mapping is not text and is reported."""
    if isinstance(value, dict):
        raise IngestError(f"front matter {key!r} is a mapping, not text")
    if isinstance(value, list):
        return _text(value[0], key) if value else ""
    return " ".join(str("" if value is None else value).split())


def front_matter_metadata(front: dict) -> Metadata:
    raw_tags = front.get("tags")
    listed = raw_tags if isinstance(raw_tags, list) else [raw_tags]
    tags = [str(t) for t in listed if t and not isinstance(t, dict | list)]
    belligerents = [name for tag in tags if "\n" in tag.strip() for name in list_names(tag.splitlines())]
    title = _text(front.get("subject") or front.get("title") or (tags[0] if tags else ""), "title")
    return Metadata(
        title=title,
        date_text=_text(front.get("date"), "date"),
        place=_text(front.get("place"), "place"),
        belligerents=belligerents,
        tags=tags,
    )


def list_names(lines: list[str]) -> list[str]:
    """Names from infobox-style list lines: bullets, notes in brackets and parentheses removed."""
    names = []
    for line in lines:
        name = _LIST_MARK.sub("", _NOTES.sub("", line)).strip(" ,;:")
        if name and not name.lower().startswith(("supported by", "unknown")):
            names.append(" ".join(name.split()))
    return names


def markdown_blocks(lines: list[Line], title: str, rules: IngestRules, sides: SideReader) -> list[Block]:
    """Paragraphs under their heading path; a flattened infobox and the tail are dropped
    (its lines go to ``sides``, unless the front matter gave the sides)."""
    reads_sides = not sides.items
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    in_infobox = False
    heading_is_meta = False
    for line in lines:
        heading = _HEADING_MD.match(line.text) if line.text.startswith("#") else None
        if heading:
            name = heading.group(2).strip()
            if rules.is_tail(name):
                break
            level = len(heading.group(1))
            path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, name)]
            heading_is_meta = _is_meta_heading(name, title, rules)
            in_infobox = in_infobox or heading_is_meta
            if in_infobox and reads_sides:
                sides.feed(name)
            continue
        if not line.text.strip() or rules.is_junk(line.text):
            if in_infobox and reads_sides:
                sides.feed("")
            continue
        if in_infobox:
            if heading_is_meta or not rules.is_prose(line.text):
                if reads_sides:
                    sides.feed(line.text)
                continue
            in_infobox, path = False, []
        blocks.append(_block(line, " > ".join(h for _, h in path)))
    return blocks


def _is_meta_heading(name: str, title: str, rules: IngestRules) -> bool:
    """A heading that is really an infobox line, the title, or an image name."""
    return name == title or rules.label_of(name) is not None or bool(_IMAGE_NAME.search(name))


def _block(line: Line, heading: str) -> Block:
    """The line without surrounding whitespace, as a verbatim block."""
    lead = len(line.text) - len(line.text.lstrip())
    return Block(line.text.strip(), line.start + lead, heading)


# --- Offline-Wikipedia text dump -------------------------------------------------------


def parse_wikipedia_text(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    lines = [line for line in split_lines(text) if not rules.is_junk(line.text)]
    nonblank = [line for line in lines if line.text.strip()]
    if not nonblank:
        raise IngestError("not an article (no text)")
    title_match = _HEADING_WIKI.match(nonblank[0].text)
    title = title_match.group(2) if title_match else nonblank[0].text.strip()
    metadata = Metadata(title=title)
    sides = rules.side_reader()
    blocks = text_blocks(nonblank[1:], metadata, rules, sides)
    metadata.sides, metadata.supporters = sides.sides()
    return metadata, blocks


def text_blocks(lines: list[Line], metadata: Metadata, rules: IngestRules, sides: SideReader) -> list[Block]:
    blocks: list[Block] = []
    heading_path: list[str] = []
    infobox: _InfoboxReader | None = None
    last_was_heading = False
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        if infobox is None and _starts_infobox(stripped, metadata.title, rules):
            infobox = _InfoboxReader(metadata, rules, sides)
        if infobox is not None:
            following = lines[index + 1 : index + 2]  # the next line is all a heading test reads
            listed = infobox.mode == "casualties" and _is_casualty_line(stripped)
            if listed or (not rules.is_prose(line.text) and not _ends_infobox(line, following, rules)):
                if index and line.start - lines[index - 1].end > 1:  # a blank line before it
                    sides.feed("")
                infobox.feed(stripped)
                continue
            infobox = None
        if " | " in stripped:  # a table row read as a heading or prose may still list sides
            sides.feed(stripped)
        heading = _text_heading(line, lines[index + 1 : index + 2], rules)
        if heading is not None:
            if rules.is_tail(heading):
                break
            heading_path = [*heading_path, heading] if last_was_heading else [heading]
            last_was_heading = True
            continue
        last_was_heading = False
        blocks.append(_block(line, " > ".join(heading_path)))
    return blocks


def _ends_infobox(line: Line, following: list[Line], rules: IngestRules) -> bool:
    """A heading with no figure in it, right before prose, closes an infobox; an infobox
    label ("Casualties and losses") opens its next field instead."""
    return (
        not _DIGIT.search(line.text)
        and rules.label_of(line.text) is None
        and bool(following)
        and rules.is_prose(following[0].text)
        and _text_heading(line, following, rules) is not None
    )


def _is_casualty_line(line: str) -> bool:
    """A line of an infobox's casualties field: it starts with a figure and ends with no full
    stop ("150–300 killed, 20 captured (acc. government)[8]")."""
    return line[:1].isdigit() and not strip_citations(line).endswith(".")


def _starts_infobox(line: str, title: str, rules: IngestRules) -> bool:
    return (
        line == title or line == "Infobox" or (rules.label_of(line) is not None and not rules.is_prose(line))
    )


def _text_heading(line: Line, following: list[Line], rules: IngestRules) -> str | None:
    """The heading a line stands for, or None when it is narrative."""
    stripped = line.text.strip()
    wiki = _HEADING_WIKI.match(stripped)
    if wiki:
        return wiki.group(2)
    if _EDIT_MARK.search(stripped):
        return _EDIT_MARK.sub("", stripped).strip()
    words = stripped.split()
    if not words:
        return None
    looks_short = len(stripped) <= 60 and len(words) <= 8 and not _TERMINAL.search(stripped)
    if not looks_short or not stripped[0].isupper() or _BULLET.match(line.text):
        return None
    return (
        stripped
        if following and (rules.is_prose(following[0].text) or _text_heading_like(following[0]))
        else None
    )


def _text_heading_like(line: Line) -> bool:
    stripped = line.text.strip()
    return bool(_HEADING_WIKI.match(stripped) or _EDIT_MARK.search(stripped)) or (
        len(stripped) <= 60 and not _TERMINAL.search(stripped) and stripped[:1].isupper()
    )


class _InfoboxReader:
    """Collects date, place, sides and casualty lines from infobox lines; ``sides`` reads
    the side list's structure."""

    def __init__(self, metadata: Metadata, rules: IngestRules, sides: SideReader) -> None:
        self.metadata = metadata
        self.rules = rules
        self.sides = sides
        self.mode = ""

    def feed(self, line: str) -> None:
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


# --- HTML of a Wikipedia page ----------------------------------------------------------


def parse_html(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    units = html_text.collect_units(text)
    titles = [u for u in units if u.kind in ("h1", "title")]
    title = titles[0].text.strip() if titles else ""
    title = _WIKIPEDIA_SUFFIX.sub("", title)
    metadata = Metadata(title=" ".join(title.split()))
    sides = rules.side_reader()
    reader = _InfoboxReader(metadata, rules, sides)
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    for unit in units:
        if unit.kind == "infobox" and _is_lead_in_infobox(unit.text, rules):
            body, offsets, ends = unit.trimmed()  # a page whose lead paragraph sits in the box
            blocks.append(Block(body, offsets[0], "", offsets, ends))
        elif unit.kind == "infobox":
            for line in _infobox_row_lines(unit.text, rules):
                reader.feed(line)
        elif unit.kind in ("h2", "h3", "h4", "h5", "h6"):
            name = " ".join(unit.text.split())
            if rules.is_tail(name):
                break
            level = int(unit.kind[1])
            path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, name)]
        elif unit.kind == "p" and not rules.is_junk(unit.text):
            body, offsets, ends = unit.trimmed()
            blocks.append(Block(body, offsets[0], " > ".join(h for _, h in path), offsets, ends))
    metadata.sides, metadata.supporters = sides.sides()
    return metadata, blocks


def _is_lead_in_infobox(row: str, rules: IngestRules) -> bool:
    """A row of running prose, several sentences long ("The Second Battle of X was a combined
    offensive led by ... . It began on ..."): the article's lead, misplaced in the box."""
    text = " ".join(row.split())
    return rules.is_prose(text) and len(_SENTENCE_END.findall(text)) >= 2


def _infobox_row_lines(row: str, rules: IngestRules) -> list[str]:
    """A table row's lines, with a header cell glued to its first value ("Date 7 June 2016")."""
    lines = [" ".join(line.split()) for line in row.splitlines() if line.strip()]
    if len(lines) >= 2 and rules.label_of(lines[0]) == (lines[0], ""):
        return [f"{lines[0]} {lines[1]}", *lines[2:]]
    return lines
