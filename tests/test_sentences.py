"""Sentence splitting: abbreviations and citation marks never end a sentence."""

from __future__ import annotations

import pytest

from pipeline.nlp import lowers, sentence_bounds, sentence_of, tokens_text


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Lt. Col. Muhammad Bakr resigned. The brigade withdrew.", 2),
        ("A vehicle carrying Capt. Tariq Jadou was hit. Col. Ali al-Samahi was killed.", 2),
        ("The U.S. military announced strikes. Gen. Ali denied it.", 2),
        ("Fighters of Brigade No. 5 stormed the town. It fell.", 2),
        ("The town fell.[12] Rebels withdrew the next day.[13][14]", 2),
        ('He said "we will fight." Then the clashes began.', 2),
        ("Maj. Gen. Jaafar Mohammed Saad was killed in Aden on 6 December 2015.", 1),
        ("Clashes erupted in Darkush. 3 fighters were killed.", 2),
    ],
    ids=["lt-col", "capt-col", "us-gen", "no", "citations", "quote", "maj-gen", "digit-start"],
)
def test_sentence_count(tag, text, count):
    doc = tag(text)
    assert len(list(doc.sents)) == count
    assert sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]


def test_citation_marks_stay_with_the_sentence_before(tag):
    first, second = tag("The town fell.[12] Rebels withdrew.").sents
    assert first.text == "The town fell.[12]"
    assert second.text == "Rebels withdrew."


@pytest.mark.parametrize(
    "text",
    [
        "Rebels shelled Ariha.[3] Two days later, the army withdrew! Was it over? No.",
        "  A convoy left at dawn.   It was ambushed near the bridge; 12 died.",
        "İDLİB STRAẞE: Ahrar al-Sham’s fighters withdrew from Ḥamā.",
    ],
    ids=["terminators-and-citation", "spaces", "unicode-case"],
)
def test_per_doc_lists_agree_with_spacy_objects(tag, text):
    doc = tag(text)
    assert lowers(doc) == [token.lower_ for token in doc]
    assert [sentence_of(doc, i) for i in range(len(doc))] == [
        (doc[i : i + 1].sent.start, doc[i : i + 1].sent.end) for i in range(len(doc))
    ]
    assert [tokens_text(doc, i, i + 2) for i in range(len(doc) - 1)] == [
        doc[i : i + 2].text for i in range(len(doc) - 1)
    ]
