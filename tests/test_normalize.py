"""Folding of names (pipeline/normalize.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
        ("Đặng Thị Ngọc", "ang thi ngoc"),
        ("Kafŕ Nabl 𝅥", "kafr nabl"),
    ],
    ids=[
        "hyphen",
        "macrons",
        "curly-apostrophe",
        "dotted-capital",
        "en-dash",
        "full-width",
        "ascii",
        "stacked-marks",
        "beyond-the-basic-plane",
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@given(st.text())
def test_fold_drops_exactly_the_combining_marks(text):
    """The one-regex removal of marks agrees with asking ``unicodedata`` of every character."""
    decomposed = unicodedata.normalize("NFKD", text)
    by_character = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == fold(by_character)


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("The town fell.[12] Then [citation needed] more.", "The town fell. Then more."),
        ("Casualties[a] were  high[note 3]", "Casualties were high"),
    ],
)
def test_strip_citations(text, stripped):
    assert strip_citations(text) == stripped
