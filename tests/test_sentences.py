"""Sentence splitting: abbreviations and citation marks never end a sentence."""

from __future__ import annotations

from dataclasses import replace

import pytest

import pipeline.tagging
from pipeline.nlp import lowers, sentence_bounds, sentence_of, tokens_text
from pipeline.records import Block
from pipeline.taggers.sentences import MAX_SENTENCE
from pipeline.tagging import split_block, tag_blocks


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


PROSE = (
    "Rebels shelled Ariha on 3 March 2016. Two days later, the army withdrew from Idlib! "
    "Was it over? It was not. Clashes resumed near Saraqib, killing 5 fighters."
)
SPLITS = [
    ("verbatim", Block(PROSE, 100), 70, True),
    ("mapped", Block(PROSE, 7, offsets=tuple(range(7, 7 + 2 * len(PROSE), 2))), 70, True),
    ("under-limit", Block(PROSE, 0), len(PROSE), True),
    ("no-sentence-end", Block("a b c d e f g h i j k l m n o p q r s t u v w x y z " * 4, 0), 30, False),
    ("no-whitespace", Block("(" * 150 + ")" * 150, 3), 64, False),
]


@pytest.mark.parametrize(
    ("block", "limit", "same_sentences"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS]
)
def test_a_block_over_the_length_limit_is_split_with_its_offsets(
    nlp, monkeypatch, block, limit, same_sentences
):
    """A block longer than spaCy's max_length is tagged in pieces cut at sentence ends
    (else whitespace): what it gives, source offsets included, is what the whole block
    gives; every piece fits the limit and the pieces rebuild the block."""
    context = {"countries": ["SY"], "faction_norms": []}
    whole = tag_blocks(nlp, [block], context)
    pieces = split_block(block, limit)
    assert "".join(p.text for p in pieces) == block.text
    assert all(len(p.text) <= limit for p in pieces)
    assert [p.source_offset(0) for p in pieces] == [
        block.source_offset(len("".join(p.text for p in pieces[:i]))) for i in range(len(pieces))
    ]
    monkeypatch.setattr(nlp, "max_length", limit)
    split = tag_blocks(nlp, [block], context)
    assert (split == whole) == same_sentences
    assert {s.block for s in split} == {0}


LONG_SENTENCES = [
    (
        "Rebels took the town. " + "Fighters of the brigade and the army clashed near the river " * 20 + ".",
        0,
        {"."},
    ),
    ("Rebels attacked " + "Idlib, Aleppo, Hama; " * 300 + "and withdrew.", 3, {".", ",", ";"}),
    ("Rebels attacked " + "(" * 1200 + ")" * 1200 + ".", 4, {".", "(", ")"}),
]


@pytest.mark.parametrize(
    ("text", "cuts", "ends"), LONG_SENTENCES, ids=["under-the-cap", "list-with-commas", "brackets"]
)
def test_a_sentence_longer_than_the_cap_is_cut_after_a_comma_or_at_the_cap(tag, text, cuts, ends):
    """No sentence has more than MAX_SENTENCE tokens; a cut ends after a comma or semicolon
    when one lies in the second half of the cap, else at the cap."""
    doc = tag(text)
    bounds = sentence_bounds(doc)
    words = [token.text for token in doc]
    assert max(end - start for start, end in bounds) <= MAX_SENTENCE
    assert len(bounds) - sum(words[end - 1] == "." for _, end in bounds) == cuts
    assert {words[end - 1] for _, end in bounds} == ends


PARAGRAPHS = [
    (
        "no-terminator",
        [
            Block("Battle of Saraqib", 0, "Background"),
            Block("rebels shelled the town on 3 March.", 40, "Battle"),
        ],
    ),
    (
        "lower-case-start",
        [Block("The army withdrew from Ariha.", 0), Block("two days later, rebels took it.", 100)],
    ),
    (
        "mapped-offsets",
        [
            Block("Clashes erupted in Darkush. 3 fighters were killed.", 5, offsets=tuple(range(5, 105, 2))),
            Block("Ahrar al-Sham withdrew", 300, "Aftermath"),
            Block("[4] The Army later recaptured the hill.", 400),
        ],
    ),
]


@pytest.mark.parametrize("blocks", [c[1] for c in PARAGRAPHS], ids=[c[0] for c in PARAGRAPHS])
def test_a_document_tagged_in_one_doc_reads_as_its_paragraphs_alone(nlp, blocks):
    """Joined into one Doc, every paragraph gives the sentences, mentions and source offsets
    it gives tagged on its own: its first word starts a sentence and the separator before it
    belongs to none."""
    context = {"countries": ["SY"], "faction_norms": []}
    alone = [
        replace(sentence, block=index)
        for index, block in enumerate(blocks)
        for sentence in tag_blocks(nlp, [block], context)
    ]
    assert tag_blocks(nlp, blocks, context) == alone


def test_paragraphs_that_do_not_fit_one_doc_take_several(nlp, monkeypatch):
    blocks = [Block(f"Rebels attacked the town of Ariha on {day} March.", 60 * day) for day in range(1, 9)]
    context = {"countries": ["SY"], "faction_norms": []}
    whole = tag_blocks(nlp, blocks, context)
    sizes = []
    monkeypatch.setattr(pipeline.tagging, "annotate", _recording(pipeline.tagging.annotate, sizes))
    monkeypatch.setattr(nlp, "max_length", 3 * len(blocks[0].text) + 5)
    assert tag_blocks(nlp, blocks, context) == whole
    assert len(sizes) == 3 and max(sizes) <= nlp.max_length


def _recording(annotate, sizes: list[int]):
    def run(nlp, text, *args, **kwargs):
        sizes.append(len(text))
        return annotate(nlp, text, *args, **kwargs)

    return run
