"""Lexicon: a lemma phrase of ``models/`` must expand to every spelling a text may use.

A single word takes its verb and noun inflections, irregular ones included; a longer
phrase inflects its first word as a verb and its last as a noun, words between kept;
``~`` joins a compound written open, hyphenated or closed; ``oneself`` stands for every
reflexive; ``=`` keeps a word exactly as written, and so does a name ("Grad").
"""

from __future__ import annotations

import pytest

from pipeline.lexicon import expand_all, forms, noun_forms

INCLUDES = [
    ("overrun", ["overrun", "overran", "overrunning", "overruns"]),
    ("retake", ["retake", "retook", "retaken", "retaking", "retakes"]),
    ("seize", ["seized", "seizing", "seizes"]),
    ("withdraw", ["withdrew", "withdrawn", "withdrawing"]),
    ("fall to", ["fell to", "fallen to", "falling to", "falls to"]),
    ("take hold of", ["took hold of", "taken hold of", "taking hold of", "takes hold of"]),
    ("lay siege to", ["laid siege to", "laying siege to", "lays siege to"]),
    ("shoot dead", ["shot dead", "shooting dead", "shoots dead"]),
    ("blow oneself up", ["blew themselves up", "blew himself up", "blown herself up", "blowing itself up"]),
    ("be ambushed", ["was ambushed", "were ambushed", "been ambushed", "is ambushed"]),
    ("car bomb", ["car bombs"]),
    ("air~strike", ["air strike", "air-strike", "airstrike", "air strikes", "air-strikes", "airstrikes"]),
    ("drone~strike", ["drone strikes", "drone-strikes", "dronestrikes"]),
    ("hostage~taking", ["hostage taking", "hostage-taking", "hostagetaking"]),
    ("suicide car~bomber", ["suicide car bomber", "suicide car-bombers", "suicide carbombers"]),
]


@pytest.mark.parametrize(("phrase", "expected"), INCLUDES, ids=[phrase for phrase, _ in INCLUDES])
def test_a_lemma_phrase_takes_every_inflection(phrase: str, expected: list[str]) -> None:
    assert set(expected) <= set(forms(phrase))


EXACT = [
    ("=landed", ["landed"]),
    ("=secured", ["secured"]),
    ("Grad", ["Grad"]),
    ("VBIED", ["VBIED"]),
    ("sit-in", ["sit-in"]),
    ("", []),
    ("   ", []),
]


@pytest.mark.parametrize(("phrase", "expected"), EXACT, ids=[repr(phrase) for phrase, _ in EXACT])
def test_exact_words_and_names_are_kept_as_written(phrase: str, expected: list[str]) -> None:
    assert forms(phrase) == expected


EXCLUDES = [
    ("=landed", ["lands", "landing", "land"]),
    ("lay siege to", ["laid sieges to", "lay sieged to"]),
    ("blow oneself up", ["blew oneselves up", "blew themselves upped"]),
    ("air~strike", ["airs strike", "air~strike", "air struck"]),
    ("the fall of", ["the falls of", "the fell of"]),
]


@pytest.mark.parametrize(("phrase", "absent"), EXCLUDES, ids=[phrase for phrase, _ in EXCLUDES])
def test_only_the_first_and_last_words_inflect(phrase: str, absent: list[str]) -> None:
    assert not set(absent) & set(forms(phrase))


@pytest.mark.parametrize("phrase", ["overrun", "lay siege to", "shoot dead", "come under fire", "Grad"])
def test_the_phrase_itself_comes_first(phrase: str) -> None:
    assert forms(phrase)[0] == phrase


def test_expand_all_keeps_each_form_once_in_list_order() -> None:
    expanded = expand_all(["overrun", "overran", "=landed", "overrun"])
    assert expanded == ["overrun", "overran", "overrunning", "overruns", "landed"]
    assert expand_all([]) == []


NOUNS = [
    ("man", ["man", "men"]),
    ("woman", ["woman", "women"]),
    ("child", ["child", "children"]),
    ("fighter", ["fighter", "fighters"]),
    ("militia", ["militia", "militias"]),
    ("Grad", ["Grad"]),
]


@pytest.mark.parametrize(("word", "expected"), NOUNS, ids=[word for word, _ in NOUNS])
def test_noun_forms_are_the_lemma_and_its_plurals(word: str, expected: list[str]) -> None:
    assert noun_forms(word) == expected


@pytest.mark.parametrize("word", ["attack", "fighter", "soldier"])
def test_noun_forms_take_no_verb_inflection(word: str) -> None:
    assert not any(form.endswith(("ed", "ing")) for form in noun_forms(word))
