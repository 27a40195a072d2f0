"""Folding of names so that transliterations compare equal.

``Ahrar ash-Sham``, ``Ahrar al-Sham`` and ``Ahrar as Sham`` all fold to the
same key; so do ``Khan Sheikhoun`` and ``Khan Shaykhun``. The variant tables
are data (``models/transliteration.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.resources import load_yaml, section

_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bb\u02bc\u02bf\u02be\u2032\u00b4]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CITATION = re.compile(r"\[\s*(?:\d+|[a-z]|citation needed|note \d+|\*+)\s*\]", re.IGNORECASE)


# Every combining mark of the Basic Multilingual Plane, removed by one regex rather than a
# test per character (a paragraph with one dash or curly quote is not ASCII).
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]"
)
_BMP_END = "\U00010000"


def fold(text: str) -> str:
    """Lower case, no diacritics, no apostrophes, single spaces between words."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():  # most text is ASCII and has no diacritics to drop
        decomposed = _without_marks(decomposed)
    stripped = _APOSTROPHES.sub("", decomposed.lower())
    return _NON_WORD.sub(" ", stripped).strip()


def _without_marks(text: str) -> str:
    if max(text) < _BMP_END:
        return _COMBINING.sub("", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def strip_citations(text: str) -> str:
    """Remove Wikipedia citation marks such as ``[12]`` and collapse whitespace."""
    return " ".join(_CITATION.sub("", text).split())


@dataclass(frozen=True)
class Folder:
    """Folds names with the transliteration tables of one models directory."""

    articles: frozenset[str]
    variants: dict[str, str]
    norms: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_models(cls, models_dir: Path | str) -> Folder:
        data = load_yaml(models_dir, "transliteration.yaml")
        where = f"{models_dir}/transliteration.yaml"
        articles = frozenset(str(a) for a in section(data, "articles", where))
        variants = {str(k): str(v) for k, v in section(data, "words", where, dict).items()}
        return cls(articles, variants)

    def words(self, text: str) -> list[str]:
        """Folded words with variants mapped to their canonical spelling and articles as
        ``al``."""
        articles, variants = self.articles, self.variants
        return ["al" if w in articles else variants.get(w, w) for w in fold(text).split()]

    def norm(self, token_text: str) -> str:
        """A token's folded spelling (its words joined), remembered: tokens repeat a lot."""
        found = self.norms.get(token_text)
        if found is None:
            words = self.words(token_text)
            found = self.norms[token_text] = " ".join(words) if words else token_text
        return found

    def key(self, text: str) -> str:
        """A lookup key: folded words without articles, joined without spaces (remembered:
        the gazetteers ask for the keys of the same names again and again)."""
        found = self.keys.get(text)
        if found is None:
            found = self.keys[text] = "".join(w for w in self.words(text) if w != "al")
        return found
