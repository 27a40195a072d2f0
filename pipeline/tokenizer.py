"""The tokenizer: spaCy's English one with our abbreviations, citation marks, digit
ranges and glued words (``models/abbreviations.yaml``), and a ``make_doc`` that stays
linear in the text whatever its words."""

from __future__ import annotations

import re
from pathlib import Path

import spacy
from spacy.attrs import SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_prefix_regex, compile_suffix_regex

from pipeline.resources import load_yaml, section

CITATION = r"\[(?:\d+|[a-z]|\*+|citation needed|note \d+)\]"
SUFFIX_REACH = 100  # characters: far more than any suffix a rule strips ("[citation needed]" is 17)
MAX_WORD = 1000  # characters tokenized as one stretch; the longest word of the corpora has 32


def customise_tokenizer(nlp: Language, models_dir: Path | str) -> None:
    """Abbreviations stay one token; citation marks and digit ranges split off, and so does a
    small word a lost link space glued to the name after it ("theSyrian Armed Forces")."""
    data = load_yaml(models_dir, "abbreviations.yaml")
    for abbreviation in section(data, "abbreviations", f"{models_dir}/abbreviations.yaml"):
        nlp.tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    prefixes = [CITATION, *nlp.Defaults.prefixes]
    suffixes = [CITATION, *nlp.Defaults.suffixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = TailSearch(compile_suffix_regex(suffixes), SUFFIX_REACH).search
    dashes = [r"(?<=[0-9])[–—](?=[0-9])", r"(?<=[A-Za-z])[–—‐‑](?=[A-Za-z])"]  # ‐‑: U+2010, U+2011
    glued = [
        rf"(?<=^{re.escape(word)})(?=[A-Z0-9])" for word in section(data, "glued_words", "abbreviations.yaml")
    ]
    infixes = [CITATION, *dashes, *glued, *nlp.Defaults.infixes]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


class TailSearch:
    """A suffix regex searched over the end of a word only. spaCy searches the whole word
    each time it strips one suffix, so a word of n closing brackets or citation marks
    took n² steps. Searching from ``reach`` characters before the end finds the same
    suffix, since none is that long (lookbehinds still see the characters before);
    ``pattern`` is what ``Tokenizer.to_disk`` saves of it."""

    def __init__(self, regex: re.Pattern, reach: int) -> None:
        self.regex, self.pattern, self.reach = regex, regex.pattern, reach

    def search(self, word: str) -> re.Match | None:
        return self.regex.search(word, max(0, len(word) - self.reach))


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc`` in time linear in the text, for any length. spaCy hashes and copies
    the rest of a word each time it strips a prefix or suffix, so a word of n brackets costs
    n² steps: a word longer than ``MAX_WORD`` characters is cut into pieces that long,
    tokenized apart and joined into one Doc with the same text. ``nlp.max_length`` guards
    the memory of a parser and an entity recogniser this pipeline has not, so a text over
    it (a title) is read rather than refused; blocks are tagged in pieces under it anyway
    (``tagging.split_block``)."""
    cuts = _long_word_cuts(text)
    if not cuts:
        return nlp.tokenizer(text)
    docs = [nlp.tokenizer(text[start:end]) for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    words = [token.text for doc in docs for token in doc]
    spaces = [bool(space) for doc in docs for space in doc.to_array(SPACY).tolist()]
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _long_word_cuts(text: str) -> list[int]:
    """Where the words longer than ``MAX_WORD`` are cut (nowhere, most of the time: the
    quick check splits the text once)."""
    if len(text) <= MAX_WORD or max(map(len, text.split()), default=0) <= MAX_WORD:
        return []
    cuts = []
    for word in re.finditer(r"\S+", text):
        cut = word.start()
        while word.end() - cut > MAX_WORD:
            cut = _cut_near(text, cut + MAX_WORD)
            cuts.append(cut)
    return cuts


def _cut_near(text: str, position: int) -> int:
    """Just after the last closing bracket shortly before ``position``, so that a run of
    citation marks is cut between two of them; else ``position``."""
    floor = position - SUFFIX_REACH
    after = max(text.rfind("]", floor, position), text.rfind(")", floor, position)) + 1
    return after if after > floor else position
