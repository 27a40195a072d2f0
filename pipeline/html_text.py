"""The HTML reader: a Wikipedia page as units (title, headings, paragraphs, infobox
rows), then as metadata and narrative blocks.

Uses the standard library's HTML parser with character references left
unconverted, so every character of a unit keeps its offset in the source and
evidence offsets stay exact. Citation superscripts, scripts, styles, edit
links and navigation boxes are skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pipeline.ingest_rules import InfoboxReader, IngestRules
from pipeline.records import Block, Metadata

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title", "caption", "dd"}
_SKIP_TAGS = {"script", "style", "noscript", "sup", "template"}
_SKIP_CLASSES = ("mw-editsection", "reference", "navbox", "reflist", "mw-references", "hatnote", "noprint")
_SKIP_CLASS = re.compile("|".join(map(re.escape, _SKIP_CLASSES)))  # one search, not one per class
_LINE_BREAK_TAGS = {"br", "li", "td", "th", "div"}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input"}
_WIKIPEDIA_SUFFIX = re.compile(r"\s+[-–—]\s+Wikipedia\s*$")
_SENTENCE_END = re.compile(r"[a-z]{2}\.(?:\s|$)")


@dataclass
class Unit:
    """A block-level piece of text: kind is ``title``, ``h2``..., ``p``, ``li`` or ``infobox``."""

    kind: str
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # just past each character's source

    def add(self, text: str, start: int, width: int | None = None) -> None:
        """The characters of ``text`` from source offset ``start``: one source character
        each, or all from one reference of ``width`` characters. Added a run at a time: a
        page has hundreds of thousands of characters."""
        self.chars.extend(text)
        if width is None:
            self.offsets.extend(range(start, start + len(text)))
            self.ends.extend(range(start + 1, start + len(text) + 1))
        else:
            self.offsets.extend([start] * len(text))
            self.ends.extend([start + width] * len(text))

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def trimmed(self) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """Text without surrounding whitespace, with matching offsets and ends."""
        text = self.text
        lead = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return text[lead:end], tuple(self.offsets[lead:end]), tuple(self.ends[lead:end])


class _Collector(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.units: list[Unit] = []
        self.open: list[tuple[str, bool, bool]] = []  # (tag, skips, infobox)
        self.skip_depth = 0
        self.infobox_depth = 0
        self.current: Unit | None = None

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            self._break()
            return
        classes = dict(attrs).get("class") or ""
        skips = tag in _SKIP_TAGS or bool(classes and _SKIP_CLASS.search(classes))
        infobox = tag == "table" and "infobox" in classes
        self.open.append((tag, skips, infobox))
        self.skip_depth += skips
        self.infobox_depth += infobox
        if tag in _BLOCK_TAGS and not self.skip_depth:
            kind = "infobox" if self.infobox_depth else tag
            if self.current is None or tag == "tr" or not self.infobox_depth:
                self.current = Unit(kind)
                self.units.append(self.current)
        elif tag in _LINE_BREAK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, skips, infobox = self.open.pop()
            self.skip_depth -= skips
            self.infobox_depth -= infobox
            if name in _BLOCK_TAGS and not (self.infobox_depth and name != "tr"):
                self.current = None
            if name == tag:
                break

    def _collecting(self) -> Unit | None:
        """The unit text goes to, None outside units and inside skipped markup: only for a
        unit is the source position worth finding."""
        return None if self.skip_depth else self.current

    def _break(self) -> None:
        unit = self._collecting()
        if unit is not None:
            unit.add("\n", self._pos())

    def handle_data(self, data: str) -> None:
        unit = self._collecting()
        if unit is not None:
            unit.add(data, self._pos())

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, head: str) -> None:
        """A character reference, with or without its closing semicolon in the source."""
        unit = self._collecting()
        if unit is None:
            return
        start = self._pos()
        width = len(head) + (self.source.startswith(";", start + len(head)))
        unit.add(html.unescape(f"{head};"), start, width)


def collect_units(source: str) -> list[Unit]:
    """Block-level units of an HTML page, in document order, empty ones dropped."""
    collector = _Collector(source)
    collector.feed(source)
    collector.close()
    return [unit for unit in collector.units if unit.text.strip()]


def parse_html(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    """The page's title without the site name, infobox rows as metadata, paragraphs as
    blocks with every character's source offsets (character references are wider)."""
    units = collect_units(text)
    titles = [u for u in units if u.kind in ("h1", "title")]
    title = titles[0].text.strip() if titles else ""
    title = _WIKIPEDIA_SUFFIX.sub("", title)
    metadata = Metadata(title=" ".join(title.split()))
    sides = rules.side_reader()
    reader = InfoboxReader(metadata, rules, sides)
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
