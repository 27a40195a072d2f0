"""Plain data passed between the stages: documents in, events out.

Every stage takes and returns these dataclasses; none of them holds a spaCy
object, so results can be cached, pickled and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.frame import ArticleFrame

# Text cells that start with one of these would run as a spreadsheet formula (codebook, section 1).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Block:
    """A paragraph of narrative text and where it sits in the source.

    ``offsets`` maps each character of ``text`` to its offset in the decoded
    source; it is ``None`` when ``text`` is a verbatim slice starting at ``start``.
    ``ends`` holds, where given, the offset just past each character's source: a
    character an HTML page writes as a reference ("&amp;") takes more than one.
    """

    text: str
    start: int
    heading: str = ""
    offsets: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def source_offset(self, index: int) -> int:
        """Offset in the source text of character ``index`` of this block (``len`` allowed)."""
        if self.offsets is None:
            return self.start + index
        if index >= len(self.offsets):
            return self.offsets[-1] + 1 if self.offsets else self.start
        return self.offsets[index]

    def source_end(self, index: int) -> int:
        """Offset in the source text just past characters ``0:index`` (``index`` > 0)."""
        if self.ends is not None:
            return self.ends[index - 1]
        return self.source_offset(index - 1) + 1

    def piece(self, start: int, end: int) -> Block:
        """Characters ``start:end`` as a block of their own, with the same source offsets."""
        if self.offsets is None:
            return Block(self.text[start:end], self.start + start, self.heading)
        ends = self.ends[start:end] if self.ends is not None else None
        return Block(
            self.text[start:end], self.source_offset(start), self.heading, self.offsets[start:end], ends
        )


@dataclass
class Metadata:
    """What the article says about itself outside the narrative."""

    title: str = ""
    date_text: str = ""
    place: str = ""
    belligerents: list[str] = field(default_factory=list)
    infobox_casualties: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # The infobox's sides as it groups them (side A, side B, a third), names as written but
    # cleaned, and per side the names it lists as "Supported by:".
    sides: list[list[str]] = field(default_factory=list)
    supporters: list[list[str]] = field(default_factory=list)


@dataclass
class Document:
    """One input file, decoded, with its narrative blocks."""

    doc_id: str
    path: str
    format: str
    text: str
    sha256: str
    metadata: Metadata
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: str  # day | range | month | year


@dataclass
class Event:
    """One row of events.csv before it is formatted."""

    doc_id: str
    title: str
    section: str
    event_type: str
    sub_event_type: str
    char_start: int
    char_end: int
    notes: str
    ordinal: int = 0
    evidence_key: str = ""
    event_date: date | None = None
    event_date_end: date | None = None
    date_precision: str = ""
    date_text: str = ""
    actor1: str = ""
    assoc_actor_1: list[str] = field(default_factory=list)
    actor2: str = ""
    assoc_actor_2: list[str] = field(default_factory=list)
    location: str = ""
    admin1: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    wounded: int | None = None
    captured: int | None = None
    casualty_text: list[str] = field(default_factory=list)
    attribution: str = ""
    priority: int = 0  # of the trigger that typed it; a merged follow-up may raise it

    @property
    def place_key(self) -> object:
        """What tells places apart: the GeoNames id, whatever the spelling; else the name."""
        return self.geonameid or self.location


@dataclass
class DocumentResult:
    """What extraction gives for one document: its events, or why it failed."""

    doc: Document | None
    path: str
    doc_id: str
    sha256: str = ""
    events: list[Event] = field(default_factory=list)
    date_range: DateRange | None = None
    belligerents: list[str] = field(default_factory=list)
    status: str = "ok"
    trace: str = ""  # the traceback of an internal error, for errors.log
    frame: ArticleFrame | None = None  # what the article says of its sides, place and dates
