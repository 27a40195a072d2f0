"""The sentence splitter (``conflict_sentences``): a sentence starts after ``.``,
``!`` or ``?`` before a capital, a digit or a quote, at the first word of every block
of a Doc that holds several, and after the last comma of a sentence too long to read."""

from __future__ import annotations

from bisect import bisect_left

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp import texts, token_starts
from pipeline.resources import DEFAULT_MODELS_DIR

MAX_SENTENCE = 500  # tokens; the longest sentence of the corpora has 140


@Language.factory("conflict_sentences", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_sentences(nlp: Language, name: str, models_dir: str) -> SentenceSplitter:
    return SentenceSplitter()


class SentenceSplitter:
    """Sentence starts after ``.``, ``!`` or ``?`` (and any closing quotes or
    citation marks) before a capital, a digit or a quote. Abbreviations are
    single tokens (see ``customise_tokenizer``), so they never end a sentence."""

    TERMINATORS = {".", "!", "?"}
    TRAILERS = {'"', "'", "”", "’", ")", "]"}

    def __call__(self, doc: Doc) -> Doc:
        words = texts(doc)
        starts = numpy.full(len(words), -1, dtype="int64")  # -1: not a sentence start
        if len(words):
            starts[0] = 1
        terminators = self.TERMINATORS
        for index in [i for i, word in enumerate(words) if word in terminators]:
            start = self._start_after(words, index + 1)
            if start is not None:
                starts[start] = 1
        starts[_block_firsts(doc)] = 1
        _cap_sentences(words, starts)
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc

    def _start_after(self, words: list[str], index: int) -> int | None:
        """The token that starts the next sentence, if one does."""
        while index < len(words) and (words[index] in self.TRAILERS or is_citation_text(words[index])):
            index += 1
        while index < len(words) and words[index].isspace():
            index += 1
        if index < len(words):
            first = words[index][0]
            if first.isupper() or first.isdigit() or first in "\"“'[(":
                return index
        return None


def _block_firsts(doc: Doc) -> list[int]:
    """The first token of every block after the first of a Doc that holds several (their
    character offsets are ``block_starts`` in its context), and the whitespace token that
    parts it from the block before: that separator is a sentence of its own, so the last
    sentence of a block ends where it would in a Doc of its own."""
    offsets = (doc._.context or {}).get("block_starts") or []
    if len(offsets) < 2:
        return []
    starts, words = token_starts(doc), texts(doc)
    firsts = []
    for offset in offsets[1:]:
        first = bisect_left(starts, offset)
        if first < len(words):
            firsts.append(first)
        if first > 0 and words[first - 1].isspace():
            firsts.append(first - 1)
    return firsts


def _cap_sentences(words: list[str], starts: numpy.ndarray) -> None:
    """A sentence longer than ``MAX_SENTENCE`` tokens (a list with no full stop, a run of
    brackets) is cut after its last comma or semicolon within that length, else at it: the
    events stage reads a sentence's mentions once per trigger, so a sentence of n tokens
    cost n² steps."""
    bounds = [*numpy.flatnonzero(starts == 1).tolist(), len(words)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        while end - start > MAX_SENTENCE:
            start = _clause_end(words, start)
            starts[start] = 1


def _clause_end(words: list[str], start: int) -> int:
    """The token after the last comma or semicolon in the second half of the longest
    sentence that may start at ``start``, else the token after that sentence."""
    for index in range(start + MAX_SENTENCE, start + MAX_SENTENCE // 2, -1):
        if words[index - 1] in (",", ";"):
            return index
    return start + MAX_SENTENCE


def is_citation_text(word: str) -> bool:
    return word.startswith("[") and word.endswith("]")
