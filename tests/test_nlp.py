"""The pipeline is built by one function and survives a save-and-reload round trip."""

from __future__ import annotations

import os

import pytest
import spacy
from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.matching import TermTable, longest_readable, longest_values
from pipeline.nlp import COMPONENTS, annotate, prune_pipelines
from pipeline.tokenizer import MAX_WORD, TailSearch, make_doc

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


SUFFIXED = [
    "fighters.)",
    "town.[12][13]",
    "killed[citation needed]",
    "10km",
    "(Idlib)",
    "al-Sham's",
    "((((",
    "x" + ")" * 500,
    "[1]" * 300,
    "end." + "." * 50,
]


@pytest.mark.parametrize("word", SUFFIXED, ids=[w[:12] for w in SUFFIXED])
def test_tail_search_finds_the_suffix_the_whole_word_search_finds(nlp, word):
    """The suffix regex read only over a word's last characters strips the same suffix."""
    search = nlp.tokenizer.suffix_search
    assert isinstance(search.__self__, TailSearch)
    whole = search.__self__.regex.search(word)
    found = search(word)
    assert (found and found.span()) == (whole and whole.span())


LONG_WORDS = [
    ("Rebels took Idlib.", True),
    ("(" * 3000 + ")" * 3000, True),
    ("On 3 March rebels " + "(" * 2500 + ")" * 2500 + " attacked.", True),
    ("The town fell." + "[1]" * 1000 + " Rebels left.", True),
    ("Rebels left." + "[12]" * 700 + "[a]" * 700 + ".", True),
    ("a" * (MAX_WORD + 1) + "  b\n" + "-" * (3 * MAX_WORD), False),
]


@pytest.mark.parametrize(
    ("text", "same_tokens"),
    LONG_WORDS,
    ids=["prose", "brackets", "in-sentence", "citations", "citations-2", "long-words"],
)
def test_make_doc_keeps_the_text_and_tokens_of_words_too_long(nlp, text, same_tokens):
    """A word longer than MAX_WORD is tokenized in pieces, cut between citation marks or
    brackets: the Doc's text is the input's, its tokens those of one piece unless a single
    token was longer than MAX_WORD."""
    doc = make_doc(nlp, text)
    assert doc.text == text
    assert max(len(token.text) for token in doc) <= MAX_WORD
    assert ([t.text for t in doc] == [t.text for t in nlp.make_doc(text)]) == same_tokens


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Jund al-Aqsa–Tahrir al-Sham conflict (2017)", {"factions": ["Jund al-Aqsa", "Tahrir al-Sham"]}),
        ("On 3 March 2016 rebels attacked Saraqib, killing 5.", {"dates": ["3 March 2016"]}),
    ],
    ids=["title", "sentence"],
)
def test_a_text_over_max_length_is_annotated_not_refused(nlp, monkeypatch, text, groups):
    """spaCy refuses a text over ``max_length`` (E088); a title or metadata string that long
    is annotated as any other text."""
    context = {"countries": ["SY"], "faction_norms": []}
    expected = spans(annotate(nlp, text, context))
    monkeypatch.setattr(nlp, "max_length", 10)
    found = spans(annotate(nlp, text, context))
    assert found == expected
    assert all(found[key] == names for key, names in groups.items())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("recaptured by theSyrian Armed Forces", ["recaptured", "by", "the", "Syrian", "Armed", "Forces"]),
        ("pushing intoHama city", ["pushing", "into", "Hama", "city"]),
        ("in the2016 offensive", ["in", "the", "2016", "offensive"]),
        ("the Theatre and other buildings", ["the", "Theatre", "and", "other", "buildings"]),
        ("Then they left", ["Then", "they", "left"]),
    ],
)
def test_a_small_word_glued_to_a_name_is_split_off(nlp, text, words):
    """A lost link space glues "the" to the name after it; words that merely start so stay."""
    assert [t.text for t in make_doc(nlp, text)] == words


@pytest.mark.parametrize(("count", "keep"), [(6, 4), (3, 4), (2, 1)])
def test_the_cache_keeps_only_the_newest_pipeline_pickles(tmp_path, count, keep):
    for age in range(count):  # nlp-0 is the newest
        path = tmp_path / f"nlp-{age}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "places.sqlite").write_bytes(b"other")
    prune_pipelines(tmp_path, keep)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([f"nlp-{age}.pickle" for age in range(min(count, keep))] + ["places.sqlite"])


@pytest.mark.parametrize(
    ("found", "kept"),
    [
        ([(0, 2, "a"), (1, 3, "b"), (0, 3, "c")], [(0, 3, "c")]),
        ([(4, 5, "town"), (0, 1, "province"), (0, 1, "country")], [(0, 1, "country"), (4, 5, "town")]),
        ([(2, 4, "x"), (3, 5, "y")], [(2, 4, "x")]),
        ([], []),
    ],
    ids=["longest", "same-bounds-last-value", "earlier-of-equals", "none"],
)
def test_longest_values_keep_the_longest_and_the_last_reading_of_a_span(found, kept):
    assert longest_values(found) == kept
