"""Casualty tagger: killed, wounded and captured figures (codebook section 5).

A figure is a number phrase (``quantities``) tied to a kind word by one of four
relations (verb + number, number + participle, noun + of + number, number +
noun), a named person killed (``named_deaths``), or an explicit zero. Numbers
that count towns, hours or kilometres are never figures. Spans land in
``doc.spans["casualties"]`` with ``span._.casualty`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.matching import TermTable, indices_of, longest_values
from pipeline.nlp import keep_tagged, lowers, texts, tokens_text
from pipeline.resources import DEFAULT_MODELS_DIR, load_yaml, section
from pipeline.taggers.named_deaths import NamedDeaths
from pipeline.taggers.quantities import NumberReader, Quantity

# Words between a casualty verb and its figure: "killing the 20", 'killing "dozens"'.
VERB_TO_FIGURE = frozenset(
    {"the", "some", "of", "them", "a", "total", "another", "an", "additional", '"', "“"}
)
LIST_GAP = 12  # words between two groups of a toll before one verb ("12 staff of MSF (...) and 10 patients")
CAPTIVE_REACH = 5  # words from "a" to the person noun in "captured a (...) commander"


@dataclass(frozen=True)
class Figure:
    kind: str  # fatalities | wounded | captured
    best: int
    low: int | None = None
    high: int | None = None
    text: str = ""


Found = tuple[int, int, Figure]  # (start token, end token, figure)


@Language.factory("conflict_casualties", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_casualty_tagger(nlp: Language, name: str, models_dir: str) -> CasualtyTagger:
    return CasualtyTagger(nlp, load_yaml(models_dir, "casualties.yaml"), f"{models_dir}/casualties.yaml")


class CasualtyTagger:
    """The ``conflict_casualties`` component: figures, named deaths and zeros as spans."""

    def __init__(self, nlp: Language, data: dict, where: str) -> None:
        kinds = section(data, "kinds", where, dict)
        self.verbs = {w: k for k, v in kinds.items() for w in v["verbs"]}
        self.verb_words = frozenset(self.verbs)
        self.participles = {w: k for k, v in kinds.items() for w in v["participles"]}
        self.nouns = {w: k for k, v in kinds.items() for w in v["nouns"]}
        self.numbers = NumberReader(nlp, data, where)
        self.person_nouns = frozenset(section(data, "person_nouns", where))
        self.non_person = frozenset(section(data, "non_person_nouns", where))
        self.auxiliaries = frozenset(section(data, "auxiliaries", where))
        self.max_gap = int(data.get("max_gap", 6))
        titles = frozenset(section(data, "titles", where))
        self.named_deaths = NamedDeaths(self.participles, self.auxiliaries, titles)
        self.zero = TermTable()
        for phrase in nlp.tokenizer.pipe(section(data, "zero_phrases", where)):
            self.zero.add(tuple(lowers(phrase)), ["ZERO"])
        self.zero_openers = frozenset(self.zero.widths)

    def __call__(self, doc: Doc) -> Doc:
        quantities = self.numbers.quantities(doc)
        numbered = {i for q in quantities for i in range(q.start, q.end)}
        named = [_figure(doc, s, e, kind, n, n, n) for s, e, kind, n in self.named_deaths(doc, numbered)]
        found = self._figures(doc, quantities) + named + self._zeros(doc)
        tagged = [(start, end, "CASUALTY", figure) for start, end, figure in longest_values(found)]
        keep_tagged(doc, "casualties", "casualty", tagged)
        return doc

    def _figures(self, doc: Doc, quantities: list[Quantity]) -> list[Found]:
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
                spans.append(_figure(doc, start, end, kind, quantity.best, quantity.low, quantity.high))
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

    def _counts_things(self, doc: Doc, q: Quantity) -> bool:
        following = lowers(doc)[q.end : q.end + 2]
        if following[:1] and following[0] in self.person_nouns:
            return False
        return any(w in self.non_person for w in following) or " ".join(following) == "years old"

    def _verb_before(self, doc: Doc, q: Quantity) -> tuple[str, int, int] | None:
        """ "killed 20", "killing the 20", 'killing "dozens"' (a figure quoted from a source)."""
        lower = lowers(doc)
        for index in range(q.start - 1, max(-1, q.start - 4), -1):
            word = lower[index]
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
        lower, words = lowers(doc), texts(doc)
        index, last = q.end - 1, min(len(doc), q.end + self.max_gap + 1)
        while index + 1 < last:
            index += 1
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
            text = words[index]
            if (
                _is_punct(doc, text)
                and text not in ("-", "'s")
                or self.numbers.is_number(text, word)
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

    def _single_captives(self, doc: Doc) -> list[Found]:
        """ "captured a commander", "kidnapped an Ahrar al-Sham member": one person."""
        spans = []
        words = lowers(doc)
        for position in indices_of(words, self.verb_words):
            if position + 1 == len(words) or words[position + 1] not in ("a", "an"):
                continue
            for index in range(position + 2, min(len(doc), position + 2 + CAPTIVE_REACH)):
                word = words[index]
                if word in self.person_nouns and word != "of" and not word.endswith("s"):
                    spans.append(_figure(doc, position, index + 1, self.verbs[words[position]], 1, 1, 1))
                    break
                if _is_punct(doc, texts(doc)[index]) and word != "-" or word in self.non_person:
                    break
        return spans

    def _zeros(self, doc: Doc) -> list[Found]:
        """ "without casualties", "no one was killed": a toll of none."""
        words = lowers(doc)
        if self.zero_openers.isdisjoint(words):
            return []
        return [_figure(doc, start, end, "fatalities", 0, 0, 0) for _, start, end in self.zero.matches(words)]


def _figure(doc: Doc, start: int, end: int, kind: str, best: int, low: int | None, high: int | None) -> Found:
    return start, end, Figure(kind, best, low, high, tokens_text(doc, start, end))


def _is_punct(doc: Doc, text: str) -> bool:
    """``token.is_punct`` of a token's text, read from its lexeme only when it may be
    (a word that begins with a letter or a digit is none)."""
    return not text[:1].isalnum() and doc.vocab[text].is_punct


def _total(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(values)
