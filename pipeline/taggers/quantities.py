"""Number phrases: the quantities a casualty figure may count (codebook section 5).

Digits ("2,100"), number words ("forty"), ranges ("150 – 200", "between 20 and
30"), "N+" and vague words ("a few", "dozens", ACLED's conservative values),
with the qualifier before them ("at least", "up to") that makes a value a bound.
Numbers inside a date and ordinals ("13th") are no quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.matching import longest_matches
from pipeline.nlp import lowers, span_records, texts
from pipeline.resources import section

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DASHES = {"–", "—", "-", "to"}
_ORDINAL_SUFFIXES = ("th", "st", "nd", "rd")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    best: int
    low: int | None
    high: int | None


class NumberReader:
    """Reads the quantities of a Doc from the ``number_words``, ``vague``, ``qualifiers``
    and ``max_figure`` sections of ``models/casualties.yaml``."""

    def __init__(self, nlp: Language, data: dict, where: str) -> None:
        self.words = {str(k): int(v) for k, v in section(data, "number_words", where, dict).items()}
        self.vague = {str(k): int(v) for k, v in section(data, "vague", where, dict).items()}
        self.vague_words = frozenset(w for phrase in self.vague for w in phrase.split())
        self.max_figure = int(section(data, "max_figure", where, int))
        self.max_digits = len(str(self.max_figure))
        self.openers = frozenset(self.words) | self.vague_words
        self.bounds: dict[tuple[str, ...], str] = {}  # a qualifier's words -> low | high | about
        for bound, phrases in section(data, "qualifiers", where, dict).items():
            for phrase in nlp.tokenizer.pipe(phrases):
                self.bounds[tuple(lowers(phrase))] = bound
        self.bound_reach = max(map(len, self.bounds), default=0)

    def quantities(self, doc: Doc) -> list[Quantity]:
        """The quantities of ``doc`` in order, none of them inside a date."""
        words = lowers(doc)
        phrases = longest_matches(self.number_phrases(words))
        if not phrases:
            return []
        dated = {i for start, end, *_ in span_records(doc, "dates") for i in range(start, end)}
        found = []
        for label, start, end in phrases:
            if dated.intersection(range(start, end)) or self._is_ordinal(doc, end):
                continue
            found.append(self._quantity(words, label, start, end))
        return [q for q in found if q is not None]

    def number_phrases(self, words: list[str]) -> list[tuple[str, int, int]]:
        """Numbers ("2,100", "forty", "150 – 200", "N+") and vague quantities ("a few", "dozens")."""
        found = []
        openers = self.openers
        for index in [i for i, w in enumerate(words) if w[:1].isdigit() or w in openers]:
            word = words[index]
            if self.value(word) is not None:
                end = index + 1
                following = words[index + 1 : index + 3]
                if following[:1] == ["+"]:
                    end = index + 2
                elif len(following) == 2 and following[0] in _DASHES and self.value(following[1]) is not None:
                    end = index + 3
                found.append(("NUM", index, end))
            elif word in self.vague_words:
                vague_pair = index + 1 < len(words) and words[index + 1] in self.vague_words
                found.append(("VAGUE", index, index + 2 if vague_pair else index + 1))
        return found

    @staticmethod
    def _is_ordinal(doc: Doc, end: int) -> bool:
        return end < len(doc) and texts(doc)[end] in _ORDINAL_SUFFIXES

    def _quantity(self, lower: list[str], label: str, start: int, end: int) -> Quantity | None:
        words = lower[start:end]
        if label == "VAGUE":
            value = self.vague.get(" ".join(words)) or self.vague.get(words[-1])
            if value is None:
                return None
            return Quantity(start, end, value, value, None)
        values = [v for v in (self.value(w) for w in words) if v is not None]
        if not values:
            return None
        if words[-1] == "+":
            return Quantity(start, end, values[0], values[0], None)
        if len(values) == 2 and words[1] in _DASHES and not (words[1] == "-" and values[0] >= 20 > values[1]):
            return Quantity(start, end, values[0], values[0], values[1])
        value = sum(values) if len(values) == 2 else values[0]
        return self._qualified(lower, start, end, value)

    def _qualified(self, lower: list[str], start: int, end: int, value: int) -> Quantity:
        """ "between 20 and 30" is a range; "at least 20", "up to 20", "about 20" a bound."""
        between = start >= 1 and lower[start - 1] == "between" and end + 1 < len(lower)
        if between and lower[end] == "and":
            other = self.value(lower[end + 1])
            if other is not None:
                return Quantity(start - 1, end + 2, value, value, other)
        bound = self._bound_before(lower, start)
        if bound is None:
            return Quantity(start, end, value, value, value)
        kind, q_start = bound
        if kind == "low":
            return Quantity(q_start, end, value, value, None)
        if kind == "high":
            return Quantity(q_start, end, value, None, value)
        return Quantity(q_start, end, value, None, None)

    def _bound_before(self, lower: list[str], start: int) -> tuple[str, int] | None:
        """The qualifier that ends right before ``start`` and its first index: the shortest,
        so "no more than 5" reads "more than" (a low bound)."""
        for width in range(1, min(self.bound_reach, start) + 1):
            bound = self.bounds.get(tuple(lower[start - width : start]))
            if bound is not None:
                return bound, start - width
        return None

    def value(self, word: str) -> int | None:
        """The number a word writes; one above ``max_figure`` counts no people, so is none
        (its length is checked first: ``int`` refuses a string of thousands of digits)."""
        if word[:1].isdigit() and _DIGITS.match(word):
            digits = word.replace(",", "").lstrip("0") or "0"
            if len(digits) > self.max_digits or int(digits) > self.max_figure:
                return None
            return int(digits)
        return self.words.get(word)

    def is_number(self, text: str, lower: str) -> bool:
        """A token that writes a number, whatever its size."""
        return bool(_DIGITS.match(text)) or lower in self.words
