"""Folding of names (pipeline/normalize.py)."""

from __future__ import annotations

import pytest

from pipeline.normalize import fold, strip_citations


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ahrar ash-Sham", "ahrar ash sham"),
        ("Khān Shaykhūn", "khan shaykhun"),
        ("Hay\u2019at Tahrir al-Sham", "hayat tahrir al sham"),
        ("İdlib Governorate", "idlib governorate"),
        ("Fighting (January–March 2017)", "fighting january march 2017"),
        ("ＦＳＡ fighters", "fsa fighters"),
        ("  Plain   ASCII text. ", "plain ascii text"),
    ],
    ids=["hyphen", "macrons", "curly-apostrophe", "dotted-capital", "en-dash", "full-width", "ascii"],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("The town fell.[12] Then [citation needed] more.", "The town fell. Then more."),
        ("Casualties[a] were  high[note 3]", "Casualties were high"),
    ],
)
def test_strip_citations(text, stripped):
    assert strip_citations(text) == stripped
