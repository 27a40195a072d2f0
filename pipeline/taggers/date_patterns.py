"""The slot patterns of ``models/dates.yaml``, matched over a Doc's token texts.

A slot is a class (a token spec of the YAML: ``IS_DIGIT``, ``LENGTH``, ``LOWER``,
``TEXT``), ``MONTH``, ``PART`` or a literal word; in parentheses it is optional.
Every sequence of slots a pattern allows is a path of a trie, walked only from
the tokens a pattern may start with; the slots a text passes are remembered.
spaCy's Matcher called its set and length predicates back in Python for every
token it read, which made it most of the date tagger's cost. Every match is
returned, as a Matcher without greedy filtering (a pickled one) returns them;
the tagger keeps the longest it can read.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product

TokenTest = Callable[[str, str], bool]  # (text, lower case text) -> passes
_COMPARISONS: dict[str, Callable[[object, object], bool]] = {
    "IN": lambda value, wanted: value in wanted,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def _text(text: str, lower: str) -> str:
    return text


def _lower(text: str, lower: str) -> str:
    return lower


def _length(text: str, lower: str) -> int:
    return len(text)


def _is_digit(text: str, lower: str) -> bool:
    return text.isdigit()  # spaCy's IS_DIGIT flag


_ATTRIBUTES = {"TEXT": _text, "LOWER": _lower, "LENGTH": _length, "IS_DIGIT": _is_digit}


@dataclass(frozen=True)
class AttributeTest:
    """One attribute of a token spec compared with a value: a plain object, picklable
    with the pipeline."""

    attribute: str
    comparison: str
    wanted: object

    def __call__(self, text: str, lower: str) -> bool:
        return _COMPARISONS[self.comparison](_ATTRIBUTES[self.attribute](text, lower), self.wanted)


@dataclass(frozen=True)
class TokenSpec:
    """A token spec of the YAML: every one of its tests passes."""

    tests: tuple[AttributeTest, ...]

    def __call__(self, text: str, lower: str) -> bool:
        return all(test(text, lower) for test in self.tests)


@dataclass
class _Node:
    words: dict[str, _Node] = field(default_factory=dict)  # literal (lower case) word -> next
    slots: dict[str, _Node] = field(default_factory=dict)  # class, MONTH or PART -> next
    kinds: list[str] = field(default_factory=list)  # the ids of the patterns that end here


class DatePatterns:
    """Patterns as (id, slots), with the tests of the class, MONTH and PART slots. The
    slots a token's text passes are remembered (up to ``MEMO_SIZE`` texts): the texts
    near dates repeat from article to article, and a test is a few Python calls."""

    MEMO_SIZE = 50_000

    def __init__(self, patterns: list[tuple[str, list[str]]], slot_tests: dict[str, TokenTest]) -> None:
        self.root = _Node()
        self.slot_tests = slot_tests
        self.known: dict[str, tuple[tuple[str, ...], bool]] = {}  # text -> what _token says
        for kind, slots in patterns:
            for path in _paths(slots):
                self._add(kind, path)

    def _add(self, kind: str, path: list[str]) -> None:
        node = self.root
        for slot in path:
            edges = node.slots if slot in self.slot_tests else node.words
            node = edges.setdefault(slot, _Node())
        if kind not in node.kinds:
            node.kinds.append(kind)

    def matches(
        self, texts: list[str], lowers: list[str], start: int, stop: int
    ) -> list[tuple[str, int, int]]:
        """(id, start, end) of every match within ``texts[start:stop]``."""
        tokens = [self._token(texts[index], lowers[index]) for index in range(start, stop)]
        found = []
        for first in [start + offset for offset, (_, opens) in enumerate(tokens) if opens]:
            nodes, index = [self.root], first
            while index < stop:
                nodes = _next_nodes(nodes, lowers[index], tokens[index - start][0])
                index += 1
                if not nodes:
                    break
                found += [(kind, first, index) for node in nodes for kind in node.kinds]
        return found

    def _token(self, text: str, lower: str) -> tuple[tuple[str, ...], bool]:
        """The slots a token passes, and whether a pattern may start with it."""
        known = self.known.get(text)
        if known is None:
            if len(self.known) >= self.MEMO_SIZE:
                self.known.clear()
            slots = tuple(slot for slot, test in self.slot_tests.items() if test(text, lower))
            known = self.known[text] = (slots, bool(_next_nodes([self.root], lower, slots)))
        return known


def _next_nodes(nodes: list[_Node], lower: str, slots: tuple[str, ...]) -> list[_Node]:
    following = []
    for node in nodes:
        if lower in node.words:
            following.append(node.words[lower])
        following += [node.slots[slot] for slot in slots if slot in node.slots]
    return following


def _paths(slots: list[str]) -> list[list[str]]:
    """The slot sequences a pattern allows: each optional slot ("(YEAR)") taken or left out."""
    choices = [[slot.strip("()"), None] if _optional(slot) else [slot] for slot in slots]
    paths = [[slot for slot in combination if slot is not None] for combination in product(*choices)]
    return [path for path in paths if path]


def _optional(slot: str) -> bool:
    return slot.startswith("(") and slot.endswith(")")


def token_test(spec: dict, where: str) -> TokenSpec:
    """The test a token spec of the YAML says: every attribute it names has the value
    given, is ``IN`` a list, or compares with a number (``LENGTH: {"<=": 2}``)."""
    return TokenSpec(
        tuple(test for name, wanted in spec.items() for test in _attribute_tests(name, wanted, where))
    )


def _attribute_tests(attribute: str, wanted: object, where: str) -> list[AttributeTest]:
    if attribute not in _ATTRIBUTES:
        raise ValueError(f"{where}: token attribute {attribute!r} is not one of {sorted(_ATTRIBUTES)}")
    if not isinstance(wanted, dict):
        return [AttributeTest(attribute, "==", wanted)]
    unknown = set(wanted) - set(_COMPARISONS)
    if unknown:
        raise ValueError(f"{where}: {attribute} has {sorted(unknown)}, not one of {sorted(_COMPARISONS)}")
    return [
        AttributeTest(attribute, name, frozenset(value) if name == "IN" else value)
        for name, value in wanted.items()
    ]
