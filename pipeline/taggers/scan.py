"""Finding the few tokens a rule starts from without visiting every token in Python.

A rule starts from rare words (a casualty verb, a participle). Most paragraphs
hold none, and one set intersection (in C) says so before any token is visited.
"""

from __future__ import annotations


def indices_of(words: list[str], vocabulary: frozenset[str]) -> list[int]:
    """The indices of the words of ``words`` that are in ``vocabulary``, in order."""
    present = vocabulary.intersection(words)
    return [index for index, word in enumerate(words) if word in present] if present else []
