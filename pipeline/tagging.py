"""Tagging stage: narrative blocks -> sentences with their mentions.

Runs the spaCy rule pipeline over each block and turns the annotated Doc
into plain ``TaggedSentence`` records (token words, mentions with source
offsets and values), so the events stage needs no spaCy object.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp import annotate, lowers, sentence_spans
from pipeline.records import Block

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


@dataclass
class TaggedSentence:
    block: int
    heading: str
    char_start: int
    char_end: int
    text: str
    words: list[str]
    mentions: list[Mention] = field(default_factory=list)

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]


def tag_blocks(
    nlp: Language, blocks: list[Block], context: dict, timings: Counter | None = None
) -> list[TaggedSentence]:
    sentences: list[TaggedSentence] = []
    for index, block in enumerate(blocks):
        doc = annotate(nlp, block.text, context, timings)
        sentences.extend(sentences_of(doc, block, index))
    return sentences


def sentences_of(doc: Doc, block: Block, index: int) -> list[TaggedSentence]:
    found = []
    tagged_spans = _tagged_spans(doc)
    words = lowers(doc)
    for sent in sentence_spans(doc):
        span = _trim(sent)
        if span is None:
            continue
        start = block.source_offset(span.start_char)
        end = block.source_offset(span.end_char - 1) + 1
        tagged = TaggedSentence(index, block.heading, start, end, span.text, words[sent.start : sent.end])
        tagged.mentions = _mentions(tagged_spans, sent)
        found.append(tagged)
    return found


def _trim(sent: Span) -> Span | None:
    """The sentence without leading citation marks or whitespace."""
    start, end = sent.start, sent.end
    while start < end and (sent.doc[start]._.is_citation or sent.doc[start].is_space):
        start += 1
    while end > start and sent.doc[end - 1].is_space:
        end -= 1
    return sent.doc[start:end] if start < end else None


def _tagged_spans(doc: Doc) -> list[tuple[str, Span]]:
    """Every tagged span with its kind, read once per doc: a span group makes new Span
    objects each time it is walked."""
    return [(kind, span) for key, kind in SPAN_KINDS.items() for span in doc.spans.get(key, [])]


def _mentions(tagged_spans: list[tuple[str, Span]], sent: Span) -> list[Mention]:
    mentions = []
    for kind, span in tagged_spans:
        if sent.start <= span.start and span.end <= sent.end:
            value = getattr(span._, kind)
            if kind == "cue":
                value = replace(
                    value,
                    scope_start=value.scope_start - sent.start,
                    scope_end=value.scope_end - sent.start,
                )
            mentions.append(Mention(kind, span.start - sent.start, span.end - sent.start, span.text, value))
    return sorted(mentions, key=lambda m: (m.start, m.end))
