"""Faction tagger: armed groups, state forces and generic sides.

Three sources, in order of trust: the gazetteer (``models/factions.yaml``,
matched on folded token norms so transliterations match), names the article
lists in its own metadata (``doc._.context["factions"]``), and names built
like armed-group names (``models/faction_patterns.yaml``). Generic sides
("rebels", "government forces") come from ``models/generic_actors.yaml``.
Spans land in ``doc.spans["factions"]`` with ``span._.faction`` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.matching import longest_matches
from pipeline.nlp import keep_tagged, lowers, norms, set_norms, texts, tokens_text
from pipeline.resources import DEFAULT_MODELS_DIR, load_yaml
from pipeline.taggers.faction_gazetteer import FactionGazetteer, FactionRef

Match = tuple[str, int, int]  # (label, start token, end token)


@Language.factory("conflict_factions", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_faction_tagger(nlp: Language, name: str, models_dir: str) -> FactionTagger:
    tagger = FactionTagger(
        nlp, FactionGazetteer.from_models(models_dir), load_yaml(models_dir, "faction_patterns.yaml")
    )
    tagger.add_demonym_forces(nlp, load_yaml(models_dir, "countries.yaml"))
    return tagger


class FactionTagger:
    def __init__(self, nlp: Language, gazetteer: FactionGazetteer, patterns: dict) -> None:
        self.gazetteer = gazetteer
        self.folder = gazetteer.folder
        self.norm_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.refs: dict[str, FactionRef] = {}
        self._add_gazetteer(nlp)
        self._add_generic(nlp)
        self.not_name_words = set(patterns.get("not_name_words", []))
        self.min_words = max(1, int(patterns.get("min_words", 2)))
        self.modifier_suffixes = set(patterns.get("modifier_suffixes", []))
        self.force_nouns = [str(noun) for noun in patterns.get("force_nouns", [])]
        self.shapes = NameShapes(
            heads=frozenset(patterns["heads"]),
            prefixes=frozenset(patterns["prefixes"]),
            of_prefixes=tuple(tuple(p.split()) for p in patterns["of_prefixes"]),
            particles=frozenset(p.lower() for p in patterns["particles"]),
            articles=frozenset(patterns["articles"]),
        )

    def add_demonym_forces(self, nlp: Language, countries: dict) -> None:
        """ "Russian reinforcements", "French helicopters": a nationality before a force or
        weapon noun (``force_nouns``) is that country's armed forces, under the name the
        gazetteer gives them ("the <demonym> army" or the country's state forces)."""
        for entry in countries.get("countries") or []:
            for demonym in entry.get("demonyms") or []:
                forces = self._forces_of(str(entry["code"]), str(demonym))
                if not forces:
                    continue
                ref = FactionRef(forces, self.folder.key(forces), "gazetteer")
                patterns = [self._pattern_doc(nlp, f"{demonym} {noun}") for noun in self.force_nouns]
                self.norm_matcher.add(self._label(ref), patterns)

    def _forces_of(self, code: str, demonym: str) -> str:
        if code in self.gazetteer.state_by_country:
            return self.gazetteer.state_by_country[code]
        senses = self.gazetteer.senses.get(self.folder.key(f"{demonym} army"), [])
        return senses[0].canonical if senses else ""

    def _pattern_doc(self, nlp: Language, text: str) -> Doc:
        doc = nlp.make_doc(text)
        set_norms(doc, self.folder)
        return doc

    def _label(self, ref: FactionRef) -> str:
        label = f"{ref.source}:{ref.key}:{ref.canonical}"
        self.refs[label] = ref
        return label

    def _add_gazetteer(self, nlp: Language) -> None:
        for canonical, names in self.gazetteer.aliases.items():
            for alias in names:
                ref = FactionRef(canonical, self.folder.key(alias), "gazetteer")
                matcher = self.exact_matcher if alias in self.gazetteer.case_sensitive else self.norm_matcher
                matcher.add(self._label(ref), [self._pattern_doc(nlp, alias)])

    def _add_generic(self, nlp: Language) -> None:
        for phrase in self.gazetteer.generic:
            self.norm_matcher.add(
                self._label(FactionRef(phrase, "", "generic")), [self._pattern_doc(nlp, phrase)]
            )
        for phrase in self.gazetteer.state_phrases:
            self.norm_matcher.add(
                self._label(FactionRef(phrase, "", "state")), [self._pattern_doc(nlp, phrase)]
            )

    def __call__(self, doc: Doc) -> Doc:
        """Gazetteer names, the metadata's names and names built like group names, the
        longest where they overlap, as (label, start, end) triples until they are kept."""
        found = self._matches(doc)
        found += self._metadata_names(doc)
        found += self._built_names(doc, found)
        countries = set((doc._.context or {}).get("countries", []))
        names = self._named_heads(
            doc,
            [
                name
                for name in longest_matches(found)
                if not self._is_modifier(doc, name[2])
                and not self._foreign_common_phrase(doc, name, countries)
            ],
        )
        tagged = [
            (start, end, label, self.refs.get(label) or self._unknown(doc, start, end))
            for label, start, end in names
        ]
        keep_tagged(doc, "factions", "faction", tagged)
        return doc

    def _foreign_common_phrase(self, doc: Doc, name: Match, countries: set[str]) -> bool:
        """ "people's committees" in a Syrian article: a group's alias written in lower case
        (a common phrase) names it only in the wars it fights, here Yemen's."""
        label, start, end = name
        ref = self.refs.get(label)
        if ref is None or ref.source != "gazetteer" or not countries:
            return False
        if any(word[:1].isupper() for word in texts(doc)[start:end]):  # "al-Shabaab" is a name
            return False
        where = self.gazetteer.countries.get(ref.canonical, frozenset())
        return bool(where) and where.isdisjoint(countries)

    def _named_heads(self, doc: Doc, names: list[Match]) -> list[Match]:
        """ "Jund al-Aqsa militants", "Taliban insurgents": a generic noun right after a name
        is that name's head noun, no second side; "Médecins Sans Frontières (MSF)": a name's
        abbreviation in brackets after it is the same mention."""
        kept: list[Match] = []
        for previous, name in zip([None, *names], names, strict=False):
            ref = self.refs.get(name[0])
            after_name = previous is not None and previous[2] == name[1] and self._is_named(previous[0])
            if ref and ref.source == "generic" and after_name:
                continue
            if previous is not None and self._same_name_in_brackets(doc, previous, name):
                continue
            kept.append(name)
        return kept

    def _same_name_in_brackets(self, doc: Doc, previous: Match, name: Match) -> bool:
        first, second = self.refs.get(previous[0]), self.refs.get(name[0])
        if first is None or second is None or first.canonical != second.canonical:
            return False  # the common case, decided before any text is made
        between = tokens_text(doc, previous[2], name[1]) if name[1] > previous[2] else ""
        return between.strip() in ("(", "[", "([")

    def _is_named(self, label: str) -> bool:
        ref = self.refs.get(label)
        return ref is None or ref.source not in ("generic", "state")

    def _is_modifier(self, doc: Doc, end: int) -> bool:
        """ "al-Qaeda-aligned", "US-led": the name (ending at ``end``) qualifies another noun."""
        words = texts(doc)
        return end + 1 < len(words) and words[end] == "-" and lowers(doc)[end + 1] in self.modifier_suffixes

    def _matches(self, doc: Doc) -> list[Match]:
        matches = list(self.norm_matcher(doc)) + list(self.exact_matcher(doc))
        return [(doc.vocab.strings[m], s, e) for m, s, e in matches]

    def _metadata_names(self, doc: Doc) -> list[Match]:
        """Names from the article's own metadata that the gazetteer lacks."""
        names = (doc._.context or {}).get("faction_norms", [])
        if not names:
            return []
        folded = norms(doc)
        found = []
        for name_norms in names:
            width = len(name_norms)
            for start, norm in enumerate(folded[: len(folded) - width + 1]):
                if norm == name_norms[0] and tuple(folded[start : start + width]) == name_norms:
                    found.append((self._metadata_label(doc, start, width), start, start + width))
        return found

    def _metadata_label(self, doc: Doc, start: int, width: int) -> str:
        text = tokens_text(doc, start, start + width)
        return self._label(FactionRef(text, self.folder.key(text), "metadata"))

    def _built_names(self, doc: Doc, known: list[Match]) -> list[Match]:
        taken = {i for _, start, end in known for i in range(start, end)}
        found = []
        words = texts(doc)
        for start, end in built_name_spans(words, lowers(doc), self.shapes):
            while start < end and words[start] in self.not_name_words:
                start += 1
            named = [word for word in words[start:end] if word[:1].isalnum()]
            if len(named) < self.min_words or any(i in taken for i in range(start, end)):
                continue
            text = tokens_text(doc, start, end)
            found.append((self._label(FactionRef(text, self.folder.key(text), "pattern")), start, end))
        return found

    def _unknown(self, doc: Doc, start: int, end: int) -> FactionRef:
        text = tokens_text(doc, start, end)
        return FactionRef(text, self.folder.key(text), "pattern")


_NAME_WORD = re.compile(r"^([A-Z][\w'’]*|\d+(st|nd|rd|th))$")


@dataclass(frozen=True)
class NameShapes:
    """How group names are built (``models/faction_patterns.yaml``)."""

    heads: frozenset[str]
    prefixes: frozenset[str]
    of_prefixes: tuple[tuple[str, ...], ...]
    particles: frozenset[str]
    articles: frozenset[str]


def built_name_spans(words: list[str], lowered: list[str], shapes: NameShapes) -> list[tuple[int, int]]:
    """(start, end) of names built like group names: "<Name ...> Brigade", "Liwa al-<Name>",
    "Army of <Name>"; the longest of each kind, not overlapping. Only the words around head
    nouns and prefixes are read: most of a text has neither."""
    reach = _head_reach(words, shapes.heads)
    heads = []
    for start in sorted({index - 1 for index in reach} | {index - 3 for index in reach}):
        if start >= 0 and _NAME_WORD.match(words[start]):
            end = _head_end(words, lowered, start, shapes, reach)
            if end:
                heads.append((0, start, end))
    prefixed = []
    starters = shapes.prefixes | {phrase[0] for phrase in shapes.of_prefixes}
    of_firsts = {phrase[0] for phrase in shapes.of_prefixes}
    for index in [i for i, word in enumerate(words) if word in starters]:
        if words[index] in shapes.prefixes:
            end = _prefixed_end(words, lowered, index + 1, shapes, more=2)
            if end:
                prefixed.append((1, index, end))
        for phrase in shapes.of_prefixes if words[index] in of_firsts else ():
            if tuple(words[index : index + len(phrase)]) == phrase:
                end = _prefixed_end(words, lowered, index + len(phrase), shapes, more=0)
                if end:
                    prefixed.append((1, index, end))
    return [(start, end) for _, start, end in longest_matches(heads) + longest_matches(prefixed)]


def _head_reach(words: list[str], heads: frozenset[str]) -> dict[int, int]:
    """index -> the end of the furthest head noun reached by reading on from that index through
    name words, hyphens and "'s"; indices that reach none are left out."""
    reach: dict[int, int] = {}
    for head in [index for index, word in enumerate(words) if word in heads]:
        reach[head] = head + 1
        index = head - 1
        while index >= 0 and (_NAME_WORD.match(words[index]) or words[index] in ("-", "'s")):
            reach[index] = head + 1
            index -= 1
    return reach


def _head_end(
    words: list[str], lowered: list[str], start: int, shapes: NameShapes, reach: dict[int, int]
) -> int:
    """The end of the longest "<Name> ... <Head>" run starting at ``start`` (0 when none)."""
    best = reach.get(start + 1, 0)
    if start + 2 < len(words) and lowered[start + 1] in shapes.particles and words[start + 2] == "-":
        best = max(best, reach.get(start + 3, 0))
    return best


def _prefixed_end(words: list[str], lowered: list[str], index: int, shapes: NameShapes, more: int) -> int:
    """The end of "[particle][-]<Name>" (then up to ``more`` "[article][-]<Name>") from ``index``."""
    index = _skip(words, lowered, index, shapes.particles)
    if index >= len(words) or not _NAME_WORD.match(words[index]):
        return 0
    end = index + 1
    for _ in range(more):
        cursor = _skip(words, lowered, end, shapes.articles)
        if cursor >= len(words) or not _NAME_WORD.match(words[cursor]):
            break
        end = cursor + 1
    return end


def _skip(words: list[str], lowered: list[str], index: int, particles: frozenset[str]) -> int:
    """Past an optional particle and an optional hyphen."""
    if index < len(words) and lowered[index] in particles:
        index += 1
    if index < len(words) and words[index] == "-":
        index += 1
    return index
