"""The parts of the casualty tagger: number phrases, named deaths and the word scan."""

from __future__ import annotations

import pytest

from pipeline.matching import indices_of
from pipeline.nlp import annotate


@pytest.mark.parametrize(
    ("words", "vocabulary", "expected"),
    [
        (["they", "killed", "and", "killed"], {"killed"}, [1, 3]),
        (["no", "verb", "here"], {"killed", "wounded"}, []),
        ([], {"killed"}, []),
        (["a", "b"], set(), []),
    ],
    ids=["twice", "none", "empty-text", "empty-vocabulary"],
)
def test_indices_of(words, vocabulary, expected):
    assert indices_of(words, frozenset(vocabulary)) == expected


def quantities(nlp, text: str) -> list[tuple]:
    doc = annotate(nlp, text, {"countries": ["SY"]}, last="conflict_dates")
    found = nlp.get_pipe("conflict_casualties").numbers.quantities(doc)
    return [(q.start, q.end, q.best, q.low, q.high) for q in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 20 fighters", [(0, 3, 20, 20, None)]),
        ("up to 12 policemen", [(0, 3, 12, None, 12)]),
        ("about 40 militants", [(0, 2, 40, None, None)]),
        ("no more than 5 fighters", [(1, 4, 5, 5, None)]),  # the shortest qualifier before it counts
        (
            "between 20 and 30 fighters",
            [(0, 4, 20, 20, 30), (3, 4, 30, 30, 30)],
        ),  # overlaps: spans filtered later
        ("150–200 prisoners", [(0, 3, 150, 150, 200)]),
        ("Forty-one insurgents", [(0, 3, 41, 41, 41)]),
        ("50+ soldiers", [(0, 2, 50, 50, None)]),
        ("a few soldiers", [(0, 2, 3, 3, None)]),
        ("dozens of soldiers", [(0, 1, 12, 12, None)]),
        ("the 13th Division", []),
        ("on 12 May 2016", []),
        ("some 2,100 soldiers", [(0, 2, 2100, None, None)]),
        ("99,999,999,999 civilians", []),
    ],
    ids=[
        "low",
        "high",
        "about",
        "nested-qualifiers",
        "between",
        "range",
        "compound-word",
        "plus",
        "vague-pair",
        "vague",
        "ordinal",
        "in-a-date",
        "thousands-separator",
        "above-max",
    ],
)
def test_number_phrases(nlp, text, expected):
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abu Rihana was killed by Tahrir al-Sham.", [(2, 4, "fatalities", 1)]),
        ("Abu Rihana was reportedly wounded.", [(2, 5, "wounded", 1)]),
        ("Al-Samahi and another FSA fighter was killed.", [(7, 9, "fatalities", 2)]),
        ("The army killed Col. Tayser al-Samahi.", [(2, 3, "fatalities", 1)]),
        ("The army killed the commander.", []),
        ("Aleppo was captured.", []),  # a place, not a person
        ("the convoy was hit, and he was killed.", []),
    ],
    ids=["was-killed", "auxiliary-between", "another", "title", "no-name", "place", "no-name-in-clause"],
)
def test_named_deaths(tag, nlp, text, expected):
    doc = tag(text)
    assert nlp.get_pipe("conflict_casualties").named_deaths(doc, set()) == expected
