"""Named deaths: a person killed, wounded or captured by name, with no number written.

"Abu Rihana was (reportedly) killed" and "X was wounded" count 1, "X and
another fighter was killed" 2, "killed Col. Tayser al-Samahi" 1. The words
come from the ``kinds``, ``auxiliaries`` and ``titles`` sections of
``models/casualties.yaml``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.matching import indices_of
from pipeline.nlp import lowers, sentence_of, span_records, texts

CLAUSE_OPENERS = frozenset(
    {",", ";", "after", "when", "while", "and", "but", "who", "which", "as", "before", "since"}
)
MAX_SUBJECT = 8  # words of a subject that names someone ("Al-Samahi and another FSA fighter")


class NamedDeaths:
    """Finds the named deaths of a Doc as (start, end, kind, count) tuples."""

    def __init__(self, participles: dict[str, str], auxiliaries: frozenset[str], titles: frozenset[str]):
        self.participles = participles
        self.participle_words = frozenset(participles)
        self.auxiliaries = auxiliaries
        self.titles = titles

    def __call__(self, doc: Doc, numbered: set[int]) -> list[tuple[int, int, str, int]]:
        """The figures; a subject holding a number (``numbered`` tokens) or a place is none."""
        words = lowers(doc)
        positions = indices_of(words, self.participle_words)
        if not positions:
            return []
        places = {i for start, end, *_ in span_records(doc, "places") for i in range(start, end)}
        found = []
        for position in positions:
            auxiliary = self._auxiliary_before(words, position)
            if auxiliary is not None:
                subject = self._subject_before(doc, auxiliary)
                if subject is None or numbered.intersection(range(*subject)):
                    continue
                if places.intersection(range(*subject)):
                    continue
                count = 2 if "another" in words[subject[0] : subject[1]] else 1
                start = auxiliary
            elif words[position] == "killed" and self._named_object(texts(doc), position + 1):
                count, start = 1, position
            else:
                continue
            found.append((start, position + 1, self.participles[words[position]], count))
        return found

    def _auxiliary_before(self, words: list[str], index: int) -> int | None:
        """The index of "was" in "was (reportedly) killed"."""
        for back in range(index - 1, max(-1, index - 3), -1):
            word = words[back]
            if word in ("was", "been"):
                return back
            if word not in self.auxiliaries:
                return None
        return None

    @staticmethod
    def _subject_before(doc: Doc, auxiliary: int) -> tuple[int, int] | None:
        """The words before "was", back to the start of their clause; None unless it names someone."""
        words, lower = texts(doc), lowers(doc)
        end = auxiliary - 1 if words[auxiliary - 1] == "," else auxiliary
        start = end
        sent_start = sentence_of(doc, auxiliary)[0]
        while start > sent_start and (
            lower[start - 1] not in CLAUSE_OPENERS or lower[start - 1] == "and" and lower[start] == "another"
        ):
            start -= 1
        kept = [w for w in words[start:end] if w not in (",", "-")]
        names = [w for w in kept[1:] + kept[:1] if w[:1].isupper()]
        return (start, end) if names and len(kept) <= MAX_SUBJECT else None

    def _named_object(self, words: list[str], index: int) -> bool:
        """ "killed Col. Tayser al-Samahi": a title or a capitalised name right after the verb."""
        while index < len(words) and words[index] in self.titles:
            index += 1
        return index < len(words) and words[index][:1].isupper() and words[index].isalpha()
