"""The Markdown reader: YAML front matter as metadata, paragraphs as narrative.

Front matter gives the title, date, place and (as tags that hold several lines)
the sides. A flattened infobox under the title (headings that are labels, the
title again, image names) is read for sides when the front matter gave none,
and never becomes narrative; nor does anything from a tail section on.
"""

from __future__ import annotations

import re

from pipeline.files import IngestError
from pipeline.front_matter import load_front_matter
from pipeline.infobox import SideReader
from pipeline.ingest_rules import IngestRules, Line, line_block, list_names, split_lines
from pipeline.records import Block, Metadata

_HEADING_MD = re.compile(r"^(#{1,6})[ \t]*(.*?)[ \t#]*$")
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)^---[ \t]*$", re.DOTALL | re.MULTILINE)
_IMAGE_NAME = re.compile(r"\.(svg|png|jpe?g|gif)$", re.IGNORECASE)


def parse_markdown(text: str, rules: IngestRules) -> tuple[Metadata, list[Block]]:
    """Metadata from the front matter, cleaned like an infobox's; blocks from the body,
    whose offsets still point into ``text``."""
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
    """The front matter's fields as metadata; a tag of several lines lists one side."""
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
        blocks.append(line_block(line, " > ".join(h for _, h in path)))
    return blocks


def _is_meta_heading(name: str, title: str, rules: IngestRules) -> bool:
    """A heading that is really an infobox line, the title, or an image name."""
    return name == title or rules.label_of(name) is not None or bool(_IMAGE_NAME.search(name))
