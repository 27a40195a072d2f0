"""The reader of offline-Wikipedia text dumps: a title line, infobox lines with the
label glued to the value, narrative, a licence footer.

A dump keeps no markup, so the layout tells the parts apart: an infobox starts
at the title repeated or at a label, and ends at a short heading right before
prose; a heading is a short line with no closing punctuation before prose or
another heading.
"""

from __future__ import annotations

import re

from pipeline.files import IngestError
from pipeline.infobox import SideReader
from pipeline.ingest_rules import BULLET, EDIT_MARK, InfoboxReader, IngestRules, Line, line_block, split_lines
from pipeline.normalize import strip_citations
from pipeline.records import Block, Metadata

_HEADING_WIKI = re.compile(r"^(=+)\s*(.+?)\s*=+\s*$")
_TERMINAL = re.compile(r"[.!?:;,\"”)\]]\s*$")
_DIGIT = re.compile(r"\d")


def parse_wikipedia_text(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    """The first line is the title (a dump has no other metadata); the infobox lines
    after it give the rest."""
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
    """Narrative lines under their headings; infobox lines go to ``metadata`` and
    ``sides`` instead, and nothing from a tail section on is read."""
    blocks: list[Block] = []
    heading_path: list[str] = []
    infobox: InfoboxReader | None = None
    last_was_heading = False
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        if infobox is None and _starts_infobox(stripped, metadata.title, rules):
            infobox = InfoboxReader(metadata, rules, sides)
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
        blocks.append(line_block(line, " > ".join(heading_path)))
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
    if EDIT_MARK.search(stripped):
        return EDIT_MARK.sub("", stripped).strip()
    words = stripped.split()
    if not words:
        return None
    looks_short = len(stripped) <= 60 and len(words) <= 8 and not _TERMINAL.search(stripped)
    if not looks_short or not stripped[0].isupper() or BULLET.match(line.text):
        return None
    return (
        stripped
        if following and (rules.is_prose(following[0].text) or _text_heading_like(following[0]))
        else None
    )


def _text_heading_like(line: Line) -> bool:
    stripped = line.text.strip()
    return bool(_HEADING_WIKI.match(stripped) or EDIT_MARK.search(stripped)) or (
        len(stripped) <= 60 and not _TERMINAL.search(stripped) and stripped[:1].isupper()
    )
