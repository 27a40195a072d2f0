"""Matching helpers shared by the taggers: a dictionary of folded word sequences read
in one pass, and the longest non-overlapping matches (what ``spacy.util.filter_spans``
keeps) without making a Span per match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class TermTable:
    """Folded word sequences -> codes, indexed by first word so that a text is read once:
    a dictionary where a PhraseMatcher of thousands of place names would rebuild their
    pattern Docs each time the pipeline is loaded."""

    terms: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    widths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, words: tuple[str, ...], codes: list[str]) -> None:
        if not words:
            return
        self.terms.setdefault(words, []).extend(codes)
        widths = self.widths.setdefault(words[0], [])
        if len(words) not in widths:
            widths.append(len(words))
            widths.sort()

    def find(self, words: list[str]) -> list[str]:
        """The codes of every term that occurs in ``words`` (each occurrence counts)."""
        return [code for code, _, _ in self.matches(words)]

    def matches(self, words: list[str]) -> list[tuple[str, int, int]]:
        """(code, start, end) of every term in ``words``, overlaps included, by start and
        then length."""
        found = []
        for start in [index for index, word in enumerate(words) if word in self.widths]:
            room = len(words) - start
            for width in self.widths[words[start]]:
                if width > room:
                    break
                for code in self.terms.get(tuple(words[start : start + width]), ()):
                    found.append((code, start, start + width))
        return found


def longest_readable(matches: list[tuple], read: Callable[..., T | None]) -> list[tuple[tuple, T]]:
    """(match, value) for the matches ``spacy.util.filter_spans`` would keep of those that
    ``read`` gives a value (longest first, the earlier of equals, no token shared), in
    order; a match that overlaps one already kept is never read, so most are not."""
    kept: list[tuple[tuple, T]] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
        _, start, end = match
        if start in taken or end - 1 in taken:
            continue
        value = read(*match)
        if value is not None:
            kept.append((match, value))
            taken.update(range(start, end))
    return sorted(kept, key=lambda pair: pair[0][1])


def longest_matches(matches: list[tuple]) -> list[tuple]:
    """Longest non-overlapping (match_id, start, end) triples, in order, as
    ``spacy.util.filter_spans`` keeps them."""
    return [match for match, _ in longest_readable(matches, lambda *_: True)]


def longest_values(found: list[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """The (start, end, value) triples ``longest_matches`` keeps, in order. Triples with the
    same bounds are two readings of one span: it keeps its first place and the value read
    last."""
    by_bounds: dict[tuple[int, int], T] = {}
    for start, end, value in found:
        by_bounds[(start, end)] = value
    kept = longest_matches([(value, start, end) for (start, end), value in by_bounds.items()])
    return [(start, end, value) for value, start, end in kept]


def indices_of(words: list[str], vocabulary: frozenset[str]) -> list[int]:
    """The indices of the words of ``words`` that are in ``vocabulary``, in order. A rule
    that starts from rare words (a casualty verb, a participle) finds in one set
    intersection (in C) that most paragraphs hold none, before visiting any token."""
    present = vocabulary.intersection(words)
    return [index for index, word in enumerate(words) if word in present] if present else []
