"""The pipeline is built by one function and survives a save-and-reload round trip."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.nlp import COMPONENTS, TermTable, annotate, longest_readable

TEXT = "On 7 February 2017, Jund al-Aqsa attacked Jaysh al-Nasr near Murak, killing 5 fighters."


def spans(doc) -> dict[str, list[str]]:
    return {key: [s.text for s in group] for key, group in doc.spans.items()}


def test_pipeline_has_every_component(fresh_nlp):
    assert fresh_nlp.pipe_names == list(COMPONENTS)


def test_round_trip_gives_same_annotations(fresh_nlp, tmp_path):
    fresh_nlp.to_disk(tmp_path / "nlp")
    reloaded = spacy.load(tmp_path / "nlp")
    context = {"countries": ["SY"], "faction_norms": []}
    assert spans(annotate(reloaded, TEXT, context)) == spans(annotate(fresh_nlp, TEXT, context))


@pytest.mark.parametrize(
    ("last", "groups"),
    [
        ("conflict_factions", {"factions"}),
        ("conflict_dates", {"factions", "places", "dates"}),
        (None, {"factions", "places", "dates", "casualties", "triggers", "cues"}),
    ],
    ids=["to-factions", "to-dates", "whole"],
)
def test_annotate_stops_after_the_last_component_asked_for(nlp, last, groups):
    doc = annotate(
        nlp, "On 3 May 2016 the Free Syrian Army shelled Aleppo, killing 4.", {"countries": ["SY"]}, last=last
    )
    assert set(doc.spans) == groups


@pytest.mark.parametrize(
    ("matches", "unreadable"),
    [
        ([(1, 0, 3), (2, 1, 2), (3, 4, 6)], set()),
        ([(1, 0, 3), (2, 1, 2), (3, 2, 5)], {(0, 3)}),
        ([(1, 2, 4), (2, 3, 5), (3, 0, 1)], set()),
        ([(1, 2, 4), (2, 2, 4), (3, 1, 5)], {(1, 5)}),
        ([(1, 0, 2), (2, 0, 2)], {(0, 2)}),
        ([], set()),
    ],
    ids=["nested", "longest-unreadable", "equal-length-overlap", "same-span-twice", "none-readable", "empty"],
)
def test_longest_readable_keeps_what_filter_spans_keeps_of_the_readable(nlp, matches, unreadable):
    doc = nlp.make_doc("a b c d e f g h")
    kept = longest_readable(matches, lambda key, start, end: None if (start, end) in unreadable else key)
    spans = filter_spans([Span(doc, s, e, label=str(k)) for k, s, e in matches if (s, e) not in unreadable])
    assert [(key, start, end) for (key, start, end), _ in kept] == [
        (int(s.label_), s.start, s.end) for s in spans
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["idlib"], [("city", 0, 1)]),
        (["fighting", "in", "idlib"], [("city", 2, 3)]),
        (["idlib", "governorate"], [("city", 0, 1), ("province", 0, 2)]),
        ([], []),
    ],
)
def test_term_table_never_reads_past_the_text(words, expected):
    """A text that ends in a name that starts a longer name matches only what it holds."""
    table = TermTable()
    table.add(("idlib",), ["city"])
    table.add(("idlib", "governorate"), ["province"])
    assert table.matches(words) == expected
