"""Tagging stage: narrative blocks -> sentences with their mentions.

Runs the spaCy rule pipeline over each block and turns the annotated Doc
into plain ``TaggedSentence`` records (token words, mentions with source
offsets and values), so the events stage needs no spaCy object.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp import annotate, doc_text, lowers, sentence_bounds, span_records, texts, token_starts
from pipeline.records import Block
from pipeline.taggers.cues import Cue
from pipeline.taggers.sentences import is_citation_text

SEPARATOR = "\n\n"  # between two blocks tagged in one Doc: a whitespace token
SPAN_KINDS = {
    "factions": "faction",
    "places": "place",
    "dates": "date",
    "casualties": "casualty",
    "triggers": "trigger",
    "cues": "cue",
}


@dataclass(frozen=True)
class Mention:
    kind: str  # faction | place | date | casualty | trigger | cue
    start: int  # token index in the sentence
    end: int
    text: str
    value: object


@dataclass(frozen=True)
class TaggedSentence:
    block: int
    heading: str
    char_start: int
    char_end: int
    text: str
    words: list[str]
    mentions: list[Mention] = field(default_factory=list)
    block_start: int = 0  # where it starts and ends in its block's text
    block_end: int = 0
    by_kind: dict[str, list[Mention]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """The mentions grouped by kind once: the events stage asks for them many times."""
        by_kind: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            by_kind.setdefault(mention.kind, []).append(mention)
        object.__setattr__(self, "by_kind", by_kind)

    def of(self, kind: str) -> list[Mention]:
        return self.by_kind.get(kind, [])


def tag_blocks(
    nlp: Language, blocks: list[Block], context: dict, timings: Counter | None = None
) -> list[TaggedSentence]:
    """The sentences of ``blocks``, tagged in as few Docs as fit ``nlp.max_length`` (one for
    nearly every article): a Doc costs the components about 0.2 ms whatever its length, and
    an article has dozens of short paragraphs. Blocks are joined by ``SEPARATOR``; each
    starts a sentence and the separator is a sentence of its own that no sentence keeps
    (``block_starts`` in the Doc's context, read by the sentence splitter)."""
    pieces = [
        Piece(index, offset, piece)
        for index, block in enumerate(blocks)
        for offset, piece in _offset_pieces(block, nlp.max_length)
    ]
    sentences: list[TaggedSentence] = []
    for group in _groups(pieces, nlp.max_length):
        starts = _piece_starts(group)
        text = SEPARATOR.join(piece.block.text for piece in group)
        doc = annotate(nlp, text, {**context, "block_starts": starts}, timings)
        sentences.extend(sentences_of(doc, group, starts))
    return sentences


@dataclass(frozen=True)
class Piece:
    """A block, or the piece of a long one that starts ``offset`` characters into it."""

    index: int  # the block's position in the document
    offset: int
    block: Block


def _offset_pieces(block: Block, limit: int) -> list[tuple[int, Block]]:
    pieces, offset = [], 0
    for piece in split_block(block, limit):
        pieces.append((offset, piece))
        offset += len(piece.text)
    return pieces


def _groups(pieces: list[Piece], limit: int) -> list[list[Piece]]:
    """Consecutive pieces whose joined text fits ``limit``."""
    groups: list[list[Piece]] = []
    length = 0
    for piece in pieces:
        added = len(piece.block.text) + len(SEPARATOR)
        if not groups or length + added > limit + len(SEPARATOR):
            groups.append([])
            length = 0
        groups[-1].append(piece)
        length += added
    return groups


def _piece_starts(group: list[Piece]) -> list[int]:
    """Where each piece starts in the group's joined text."""
    starts, position = [], 0
    for piece in group:
        starts.append(position)
        position += len(piece.block.text) + len(SEPARATOR)
    return starts


def split_block(block: Block, limit: int) -> list[Block]:
    """A block longer than ``limit`` (spaCy's ``max_length``, past which it refuses a text)
    in pieces that fit, each cut at a sentence end near the limit, else at whitespace.
    The pieces keep their source offsets and the block's index, so the events stage still
    reads one paragraph (an abbreviation at a cut, "No. 5", may end a sentence there)."""
    pieces, start, text = [], 0, block.text
    while len(text) - start > limit:
        end = _cut_before(text, start + limit // 2, start + limit)
        pieces.append(block.piece(start, end))
        start = end
    return [*pieces, block.piece(start, len(text))] if pieces else [block]


def _cut_before(text: str, floor: int, limit: int) -> int:
    """After the last sentence end (a terminator and a space) in ``text[floor:limit]``,
    else after its last whitespace, else ``limit``."""
    end = max(text.rfind(mark, floor, limit) for mark in (". ", "! ", "? "))
    if end >= floor:
        return end + 2
    space = max(text.rfind(mark, floor, limit) for mark in (" ", "\n", "\t"))
    return space + 1 if space >= floor else limit


def sentences_of(doc: Doc, group: list[Piece], starts: list[int]) -> list[TaggedSentence]:
    """The Doc's sentences, read from per-Doc lists rather than Token and Span objects; the
    Doc holds the pieces of ``group``, joined, piece i from character ``starts[i]``."""
    found = []
    bounds = sentence_bounds(doc)
    mentions = _mentions_by_sentence(doc, bounds)
    words, lower, offsets, text = texts(doc), lowers(doc), token_starts(doc), doc_text(doc)
    for (sent_start, sent_end), sentence_mentions in zip(bounds, mentions, strict=True):
        start, end = _trim(words, sent_start, sent_end)
        if start == end:
            continue
        start_char, end_char = offsets[start], offsets[end - 1] + len(words[end - 1])
        which = bisect_right(starts, start_char) - 1
        piece, base = group[which], starts[which]
        sentence = TaggedSentence(
            piece.index,
            piece.block.heading,
            piece.block.source_offset(start_char - base),
            piece.block.source_end(end_char - base),
            text[start_char:end_char],
            lower[sent_start:sent_end],
            sentence_mentions,
            piece.offset + start_char - base,
            piece.offset + end_char - base,
        )
        found.append(sentence)
    return found


def _trim(words: list[str], start: int, end: int) -> tuple[int, int]:
    """The bounds of a sentence without leading citation marks or whitespace."""
    while start < end and (is_citation_text(words[start]) or words[start].isspace()):
        start += 1
    while end > start and words[end - 1].isspace():
        end -= 1
    return start, end


def _mentions_by_sentence(doc: Doc, bounds: list[tuple[int, int]]) -> list[list[Mention]]:
    """Every tagged span as a mention of the sentence that holds it, with token offsets in
    that sentence (a cue's scope too), ordered by position (kinds in ``SPAN_KINDS`` order at
    one position); a span that runs past its sentence's end is left out. Read once: a span
    group makes new Span objects each time it is walked."""
    starts = [start for start, _ in bounds]
    text = doc_text(doc)
    found: list[list[Mention]] = [[] for _ in bounds]
    for key, kind in SPAN_KINDS.items():
        for span_start, span_end, start_char, end_char, value in span_records(doc, key):
            index = bisect_right(starts, span_start) - 1
            sent_start, sent_end = bounds[index]
            if span_end > sent_end:
                continue
            if isinstance(value, Cue):
                scope = (value.scope_start - sent_start, value.scope_end - sent_start)
                value = Cue(value.kind, value.direction, value.text, *scope)
            start, end = span_start - sent_start, span_end - sent_start
            found[index].append(Mention(kind, start, end, text[start_char:end_char], value))
    for mentions in found:
        mentions.sort(key=lambda m: (m.start, m.end))
    return found
