"""Casualty tagger: killed, wounded and captured figures (codebook section 5).

A Matcher finds number phrases (digits, ``2,100``, number words, ranges,
vague words, with their qualifiers); a figure is a number phrase tied to a
kind word by one of four relations (verb + number, number + participle,
noun + of + number, number + noun), or a named person killed. Numbers that
count towns, hours or kilometres are never figures. Spans land in
``doc.spans["casualties"]`` with ``span._.casualty`` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.nlp import keep_spans, longest_matches, lowers, texts
from pipeline.resources import DEFAULT_MODELS_DIR, load_yaml, section

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DASHES = {"–", "—", "-", "to"}
CLAUSE_OPENERS = {",", ";", "after", "when", "while", "and", "but", "who", "which", "as", "before", "since"}


# Words between a casualty verb and its figure: "killing the 20", 'killing "dozens"'.
VERB_TO_FIGURE = frozenset(
    {"the", "some", "of", "them", "a", "total", "another", "an", "additional", '"', "“"}
)
LIST_GAP = 12  # words between two groups of a toll before one verb ("12 staff of MSF (...) and 10 patients")


@dataclass(frozen=True)
class Figure:
    kind: str  # fatalities | wounded | captured
    best: int
    low: int | None = None
    high: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    best: int
    low: int | None
    high: int | None


@Language.factory("conflict_casualties", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_casualty_tagger(nlp: Language, name: str, models_dir: str) -> CasualtyTagger:
    return CasualtyTagger(nlp, load_yaml(models_dir, "casualties.yaml"), f"{models_dir}/casualties.yaml")


class CasualtyTagger:
    def __init__(self, nlp: Language, data: dict, where: str) -> None:
        kinds = section(data, "kinds", where, dict)
        self.verbs = {w: k for k, v in kinds.items() for w in v["verbs"]}
        self.participles = {w: k for k, v in kinds.items() for w in v["participles"]}
        self.nouns = {w: k for k, v in kinds.items() for w in v["nouns"]}
        self.words = {str(k): int(v) for k, v in section(data, "number_words", where, dict).items()}
        self.vague = {str(k): int(v) for k, v in section(data, "vague", where, dict).items()}
        self.person_nouns = set(section(data, "person_nouns", where))
        self.non_person = set(section(data, "non_person_nouns", where))
        self.auxiliaries = set(section(data, "auxiliaries", where))
        self.max_gap = int(data.get("max_gap", 6))
        self.max_figure = int(section(data, "max_figure", where, int))
        self.titles = set(section(data, "titles", where))
        qualifiers = section(data, "qualifiers", where, dict)
        self.qualifiers = PhraseMatcher(nlp.vocab, attr="LOWER")
        for bound, phrases in qualifiers.items():
            self.qualifiers.add(bound, list(nlp.tokenizer.pipe(phrases)))
        self.zero = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.zero.add("ZERO", list(nlp.tokenizer.pipe(section(data, "zero_phrases", where))))
        self.vague_words = frozenset(w for phrase in self.vague for w in phrase.split())

    def __call__(self, doc: Doc) -> Doc:
        quantities = self.quantities(doc)
        spans = self._figures(doc, quantities) + self._named_deaths(doc, quantities) + self._zeros(doc)
        keep_spans(doc, "casualties", "casualty", filter_spans(spans))
        return doc

    # --- number phrases ---------------------------------------------------------------

    def quantities(self, doc: Doc) -> list[Quantity]:
        dated = {i for span in doc.spans.get("dates", []) for i in range(span.start, span.end)}
        bound_ends = {end: (doc.vocab.strings[m], start) for m, start, end in self.qualifiers(doc)}
        found = []
        for label, start, end in longest_matches(self._number_phrases(lowers(doc))):
            if dated.intersection(range(start, end)) or self._is_ordinal(doc, end):
                continue
            found.append(self._quantity(doc, label, start, end, bound_ends))
        return [q for q in found if q is not None]

    def _number_phrases(self, words: list[str]) -> list[tuple[str, int, int]]:
        """Numbers ("2,100", "forty", "150 – 200", "N+") and vague quantities ("a few", "dozens")."""
        found = []
        candidates = [
            i for i, w in enumerate(words) if w[:1].isdigit() or w in self.words or w in self.vague_words
        ]
        for index in candidates:
            word = words[index]
            if self._value(word) is not None:
                end = index + 1
                following = words[index + 1 : index + 3]
                if following[:1] == ["+"]:
                    end = index + 2
                elif (
                    len(following) == 2 and following[0] in _DASHES and self._value(following[1]) is not None
                ):
                    end = index + 3
                found.append(("NUM", index, end))
            elif word in self.vague_words:
                end = (
                    index + 2
                    if index + 1 < len(words) and words[index + 1] in self.vague_words
                    else index + 1
                )
                found.append(("VAGUE", index, end))
        return found

    @staticmethod
    def _is_ordinal(doc: Doc, end: int) -> bool:
        return end < len(doc) and texts(doc)[end] in ("th", "st", "nd", "rd")

    def _quantity(self, doc: Doc, label: str, start: int, end: int, bound_ends: dict) -> Quantity | None:
        words = lowers(doc)[start:end]
        if label == "VAGUE":
            value = self.vague.get(" ".join(words)) or self.vague.get(words[-1])
            if value is None:
                return None
            return Quantity(start, end, value, value, None)
        values = [v for v in (self._value(w) for w in words) if v is not None]
        if not values:
            return None
        if words[-1] == "+":
            return Quantity(start, end, values[0], values[0], None)
        if len(values) == 2 and words[1] in _DASHES and not (words[1] == "-" and values[0] >= 20 > values[1]):
            return Quantity(start, end, values[0], values[0], values[1])
        value = sum(values) if len(values) == 2 else values[0]
        return self._qualified(doc, start, end, value, bound_ends)

    def _qualified(self, doc: Doc, start: int, end: int, value: int, bound_ends: dict) -> Quantity:
        between = start >= 1 and doc[start - 1].lower_ == "between" and end + 1 < len(doc)
        if between and doc[end].lower_ == "and":
            other = self._value(doc[end + 1].lower_)
            if other is not None:
                return Quantity(start - 1, end + 2, value, value, other)
        bound = bound_ends.get(start)
        if bound is None:
            return Quantity(start, end, value, value, value)
        kind, q_start = bound
        if kind == "low":
            return Quantity(q_start, end, value, value, None)
        if kind == "high":
            return Quantity(q_start, end, value, None, value)
        return Quantity(q_start, end, value, None, None)

    def _value(self, word: str) -> int | None:
        """The number a word writes; one above ``max_figure`` counts no people, so is none
        (its length is checked first: ``int`` refuses a string of thousands of digits)."""
        if _DIGITS.match(word):
            digits = word.replace(",", "").lstrip("0") or "0"
            if len(digits) > len(str(self.max_figure)) or int(digits) > self.max_figure:
                return None
            return int(digits)
        return self.words.get(word)

    # --- relations ----------------------------------------------------------------------

    def _figures(self, doc: Doc, quantities: list[Quantity]) -> list[Span]:
        spans = []
        for index, quantity in enumerate(quantities):
            if self._counts_things(doc, quantity):
                continue
            found = self._verb_before(doc, quantity) or self._noun_before(doc, quantity)
            after = None if found else self._participle_after(doc, quantity)
            found = found or after or self._noun_after(doc, quantity)
            if after:
                quantity = self._with_listed_before(doc, quantities[:index], quantity)
                found = (after[0], quantity.start, after[2])
            if found:
                kind, start, end = found
                spans.append(self._span(doc, start, end, kind, quantity))
        spans += self._single_captives(doc)
        return spans

    def _with_listed_before(self, doc: Doc, earlier: list[Quantity], last: Quantity) -> Quantity:
        """ "10 soldiers and nine rebels were killed", "20 fighters, 15 rebels and four
        civilians were killed": a list of groups before one verb is one toll, their sum."""
        listed = [last]
        for quantity in reversed(earlier):
            between = lowers(doc)[quantity.end : listed[0].start]
            joined = bool(between) and between[-1] in ("and", ",") and len(between) <= LIST_GAP
            verb = any(w in self.verbs or w in self.participles for w in between)
            if not joined or verb or self._verb_before(doc, quantity) or self._noun_before(doc, quantity):
                break  # "killing 6 soldiers, and 4 were wounded": the 6 has its own verb
            listed.insert(0, quantity)
        if len(listed) == 1:
            return last
        return Quantity(
            listed[0].start,
            last.end,
            sum(q.best for q in listed),
            _total([q.low for q in listed]),
            _total([q.high for q in listed]),
        )

    def _span(self, doc: Doc, start: int, end: int, kind: str, q: Quantity) -> Span:
        span = Span(doc, start, end, label="CASUALTY")
        span._.casualty = Figure(kind, q.best, q.low, q.high, span.text)
        return span

    def _counts_things(self, doc: Doc, q: Quantity) -> bool:
        following = lowers(doc)[q.end : q.end + 2]
        if following[:1] and following[0] in self.person_nouns:
            return False
        return any(w in self.non_person for w in following) or " ".join(following) == "years old"

    def _verb_before(self, doc: Doc, q: Quantity) -> tuple[str, int, int] | None:
        """ "killed 20", "killing the 20", 'killing "dozens"' (a figure quoted from a source)."""
        for index in range(q.start - 1, max(-1, q.start - 4), -1):
            word = lowers(doc)[index]
            if word in self.verbs:
                return self.verbs[word], index, self._noun_end(doc, q.end)
            if word not in VERB_TO_FIGURE:
                return None
        return None

    def _noun_before(self, doc: Doc, q: Quantity) -> tuple[str, int, int] | None:
        lower = lowers(doc)
        if q.start >= 2 and lower[q.start - 1] == "of" and lower[q.start - 2] in self.nouns:
            return self.nouns[lower[q.start - 2]], q.start - 2, self._noun_end(doc, q.end)
        return None

    def _participle_after(self, doc: Doc, q: Quantity) -> tuple[str, int, int] | None:
        """ "5 fighters were killed"; a subset between commas ("ten patients, including three
        children, were killed") is passed over, its figure in it counted once, in the whole."""
        lower = lowers(doc)
        index, last = q.end - 1, min(len(doc), q.end + self.max_gap + 1)
        while index + 1 < last:
            index += 1
            token = doc[index]
            word = lower[index]
            if word == "," and lower[index + 1 : index + 2] == ["including"]:
                closing = lower.index(",", index + 1) if "," in lower[index + 1 : last] else None
                if closing is not None:
                    index = closing
                    continue
            if word in self.participles and (
                index == q.end
                or lower[index - 1] in self.auxiliaries
                or lower[index - 1] in self.person_nouns
                or lower[index - 1] == "those"
            ):
                return self.participles[word], q.start, index + 1
            if (
                token.is_punct
                and token.text not in ("-", "'s")
                or self._is_number(token)
                or word in self.verbs
            ):
                return None
        return None

    def _noun_after(self, doc: Doc, q: Quantity) -> tuple[str, int, int] | None:
        lower = lowers(doc)
        if q.end < len(doc) and lower[q.end] in self.nouns:
            return self.nouns[lower[q.end]], q.start, q.end + 1
        return None

    def _noun_end(self, doc: Doc, end: int) -> int:
        """Extend a figure over the person noun it counts ("250 fighters")."""
        lower = lowers(doc)
        for index in range(end, min(len(doc), end + 4)):
            if lower[index] in self.person_nouns and lower[index] != "of":
                return index + 1
        return end

    def _is_number(self, token) -> bool:
        return bool(_DIGITS.match(token.text)) or token.lower_ in self.words

    def _single_captives(self, doc: Doc) -> list[Span]:
        """ "captured a commander", "kidnapped an Ahrar al-Sham member": one person."""
        spans = []
        words = lowers(doc)
        for position, verb in enumerate(words[:-1]):
            if verb not in self.verbs or words[position + 1] not in ("a", "an"):
                continue
            for index in range(position + 2, min(len(doc), position + 7)):
                word = words[index]
                if word in self.person_nouns and word != "of" and not word.endswith("s"):
                    q = Quantity(position + 1, position + 2, 1, 1, 1)
                    spans.append(self._span(doc, position, index + 1, self.verbs[verb], q))
                    break
                if doc[index].is_punct and word != "-" or word in self.non_person:
                    break
        return spans

    def _named_deaths(self, doc: Doc, quantities: list[Quantity]) -> list[Span]:
        """A named person "was (reportedly) killed" or "was wounded" (1), "X and another
        fighter was killed" (2), "killed Col. Tayser al-Samahi" (1)."""
        spans: list[Span] = []
        participles = [(i, self.participles[w]) for i, w in enumerate(lowers(doc)) if w in self.participles]
        if not participles:
            return spans
        numbered = {i for q in quantities for i in range(q.start, q.end)}
        places = {i for span in doc.spans.get("places", []) for i in range(span.start, span.end)}
        for position, kind in participles:
            token = doc[position]
            auxiliary = self._auxiliary_before(doc, token.i)
            if auxiliary is not None:
                subject = self._subject_before(doc, auxiliary)
                if subject is None or numbered.intersection(range(subject.start, subject.end)):
                    continue
                if places.intersection(range(subject.start, subject.end)):
                    continue
                count = 2 if "another" in {t.lower_ for t in subject} else 1
                start = auxiliary
            elif token.lower_ == "killed" and self._named_object(doc, token.i + 1):
                count, start = 1, token.i
            else:
                continue
            q = Quantity(start, token.i, count, count, count)
            spans.append(self._span(doc, start, token.i + 1, kind, q))
        return spans

    def _auxiliary_before(self, doc: Doc, index: int) -> int | None:
        """The index of "was" in "was (reportedly) killed"."""
        for back in range(index - 1, max(-1, index - 3), -1):
            word = doc[back].lower_
            if word in ("was", "been"):
                return back
            if word not in self.auxiliaries:
                return None
        return None

    @staticmethod
    def _subject_before(doc: Doc, auxiliary: int) -> Span | None:
        """The words before "was", back to the start of their clause; None unless it names someone."""
        end = auxiliary - 1 if doc[auxiliary - 1].text == "," else auxiliary
        start = end
        sent_start = doc[auxiliary].sent.start
        while start > sent_start and (
            doc[start - 1].lower_ not in CLAUSE_OPENERS
            or doc[start - 1].lower_ == "and"
            and doc[start].lower_ == "another"
        ):
            start -= 1
        subject = doc[start:end]
        words = [t.text for t in subject if t.text not in (",", "-")]
        names = [w for w in words[1:] + words[:1] if w[:1].isupper()]
        return subject if names and len(words) <= 8 else None

    def _named_object(self, doc: Doc, index: int) -> bool:
        """ "killed Col. Tayser al-Samahi": a title or a capitalised name right after the verb."""
        while index < len(doc) and doc[index].text in self.titles:
            index += 1
        return index < len(doc) and doc[index].text[:1].isupper() and doc[index].is_alpha

    def _zeros(self, doc: Doc) -> list[Span]:
        spans = []
        for _, start, end in self.zero(doc):
            span = Span(doc, start, end, label="CASUALTY")
            span._.casualty = Figure("fatalities", 0, 0, 0, span.text)
            spans.append(span)
        return spans


def _total(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(values)
