"""Lemma phrases of ``models/`` expanded to every inflection when matchers are built.

A rule file lists "overrun", "retake", "lay siege to"; the matcher needs
"overran", "retook", "laid siege to". lemminflect (an English morphology table
of under 1 MB) gives every inflection of a lemma, so run time pays nothing: the
phrase matchers hold the inflected copies, built once.

Phrase syntax, the way linguists write it:

- a single word takes every verb and noun inflection it has;
- a longer phrase inflects its first word as a verb or a noun ("lay siege to": "laid
  siege to"; "attempt to": "attempts to") and its last as a noun ("car bomb": "car
  bombs"), where lemminflect knows the word as one; the odd copies this makes ("cars
  bomb") never occur in text;
- ``~`` joins a compound written open, hyphenated or closed: ``air~strike``
  matches "air strike", "air-strikes" and "airstrikes";
- ``oneself`` stands for every reflexive ("blow oneself up": "blew themselves up");
- ``=`` before a word keeps it exactly as written ("=landed": not "lands").
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

REFLEXIVES = ("oneself", "himself", "herself", "itself", "themselves", "ourselves")
EXACT = "="
COMPOUND = "~"


def forms(phrase: str) -> list[str]:
    """Every inflected spelling of a lemma phrase, the phrase itself first."""
    words = str(phrase).split()
    if not words:
        return []
    choices = [_spellings(word) for word in words]
    if len(words) == 1:
        choices[0] = _inflected(words[0], choices[0], verb=True, noun=True)
    else:
        choices[0] = _inflected(words[0], choices[0], verb=True, noun=True)
        choices[-1] = _inflected(words[-1], choices[-1], verb=False, noun=True)
    expanded = [" ".join(combination) for combination in product(*choices)]
    return list(dict.fromkeys(expanded))


def expand_all(phrases: list[str]) -> list[str]:
    """The forms of every phrase of a list, each once, in the list's order."""
    return list(dict.fromkeys(form for phrase in phrases for form in forms(phrase)))


def noun_forms(word: str) -> list[str]:
    """A noun lemma and its plurals ("man": "men"), for the word lists of ``roles.yaml``."""
    return [word, *(form for form in _word_forms(word, False, True) if form != word)]


def _spellings(word: str) -> list[str]:
    if word.startswith(EXACT):
        return [word[len(EXACT) :]]
    if word == "oneself":
        return list(REFLEXIVES)
    if COMPOUND in word:
        parts = word.split(COMPOUND)
        return [" ".join(parts), "-".join(parts), "".join(parts)]
    return [word]


def _inflected(word: str, spellings: list[str], verb: bool, noun: bool) -> list[str]:
    """The spellings of ``word`` with their inflections; a compound is a noun whose last
    part inflects, in each of its spellings ("airstrikes", "air-strikes")."""
    if word.startswith(EXACT):
        return spellings
    if COMPOUND not in word:
        return spellings + [form for form in _word_forms(spellings[0], verb, noun) if form not in spellings]
    *head, last = word.split(COMPOUND)
    found = list(spellings)
    for form in _word_forms(last, False, True):
        found += _spellings(COMPOUND.join([*head, form]))
    return list(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def _word_forms(word: str, verb: bool, noun: bool) -> tuple[str, ...]:
    """The inflections lemminflect knows for ``word`` as a verb and/or a noun; a word it
    does not know as a lemma (an inflected form, a name) is kept as written."""
    if not word.isalpha() or not word.islower():
        return ()
    tables = [_table(word, upos) for upos, wanted in (("VERB", verb), ("NOUN", noun)) if wanted]
    return tuple(dict.fromkeys(form for table in tables for group in table.values() for form in group))


def _table(word: str, upos: str) -> dict:
    """lemminflect's inflections of a lemma it knows; of a word it does not know at all
    ("landmine", "rebrand") its regular rules, which is how a new word inflects. A word it
    knows as another part of speech, or as an inflected form ("overran"), gets none."""
    known = getAllInflections(word, upos=upos)
    if known or _is_known(word):
        return known
    return getAllInflectionsOOV(word, upos=upos)


def _is_known(word: str) -> bool:
    verb, noun = getAllInflections(word, upos="VERB"), getAllInflections(word, upos="NOUN")
    return bool(verb or noun or getAllLemmas(word))
