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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp import keep_tagged, longest_matches, lowers, norms, set_norms, texts, tokens_text
from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR, ModelError, check_keys, load_yaml, section

Match = tuple[str, int, int]  # (label, start token, end token)

GROUP_KEYS = {"canonical", "kind", "actor_type", "countries", "aliases", "dated_aliases", "case_sensitive"}
KINDS = {
    "rebel",
    "jihadist",
    "government",
    "militia",
    "foreign",
    "coalition",
    "separatist",
    "kurdish",
    "other",
}
# ACLED's types of actor (its inter codes 1-8, models/acled.yaml).
ACTOR_TYPES = {
    "state forces",
    "rebel group",
    "political militia",
    "identity militia",
    "rioters",
    "protesters",
    "civilians",
    "external forces",
}


@dataclass(frozen=True)
class FactionRef:
    """What a faction mention refers to. ``key`` selects a dated sense later."""

    canonical: str
    key: str
    source: str  # gazetteer | metadata | pattern | generic | state


@dataclass(frozen=True)
class Sense:
    canonical: str
    start: date | None = None
    end: date | None = None

    def covers(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass
class FactionGazetteer:
    """Aliases -> senses; generic phrases -> canonical names, some by country."""

    folder: Folder
    senses: dict[str, list[Sense]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    countries: dict[str, frozenset[str]] = field(default_factory=dict)  # canonical -> where it fights
    actor_types: dict[str, str] = field(default_factory=dict)  # ACLED's, where an entry gives one
    homes: dict[str, str] = field(default_factory=dict)  # the first country of an entry
    aliases: dict[str, list[str]] = field(default_factory=dict)
    case_sensitive: set[str] = field(default_factory=set)
    generic: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    side_phrases: set[str] = field(default_factory=set)  # generic phrases that stand for a side
    main_sides: dict[str, str] = field(default_factory=dict)  # ISO2 -> its war's main non-state side
    state_phrases: list[str] = field(default_factory=list)
    state_by_country: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_models(cls, models_dir: Path | str) -> FactionGazetteer:
        gazetteer = cls(Folder.from_models(models_dir))
        files = sorted((Path(models_dir) / "factions").glob("*.yaml"))
        if not files:
            raise ModelError(f"{models_dir}/factions: no gazetteer files")
        for path in files:
            name = f"factions/{path.name}"
            for index, group in enumerate(section(load_yaml(models_dir, name), "groups", name)):
                gazetteer._add_group(group, f"{models_dir}/{name}: groups[{index}]")
        gazetteer._add_generic(
            load_yaml(models_dir, "generic_actors.yaml"), f"{models_dir}/generic_actors.yaml"
        )
        return gazetteer

    def _add_group(self, group: dict, where: str) -> None:
        check_keys(group, GROUP_KEYS, {"canonical", "kind", "countries"}, where)
        canonical = str(group["canonical"])
        if group["kind"] not in KINDS:
            raise ModelError(f"{where}: unknown kind {group['kind']!r}")
        self.kinds[canonical] = group["kind"]
        self.countries[canonical] = frozenset(map(str, group.get("countries") or []))
        self.homes[canonical] = str(next(iter(group["countries"] or []), ""))
        self._add_actor_type(canonical, group, where)
        names = [canonical, *map(str, group.get("aliases") or [])]
        self.aliases[canonical] = names
        self.case_sensitive.update(map(str, group.get("case_sensitive") or []))
        for name in names:
            self.senses.setdefault(self.folder.key(name), []).insert(0, Sense(canonical))
        for dated in group.get("dated_aliases") or []:
            check_keys(dated, {"name", "from", "to"}, {"name"}, f"{where}: dated_aliases")
            sense = Sense(canonical, _as_date(dated.get("from"), where), _as_date(dated.get("to"), where))
            self.senses.setdefault(self.folder.key(str(dated["name"])), []).append(sense)
            self.aliases[canonical].append(str(dated["name"]))

    def _add_actor_type(self, canonical: str, entry: dict, where: str) -> None:
        if "actor_type" not in entry:
            return
        if entry["actor_type"] not in ACTOR_TYPES:
            raise ModelError(f"{where}: unknown actor_type {entry['actor_type']!r}")
        self.actor_types[canonical] = entry["actor_type"]

    def _add_generic(self, data: dict, where: str) -> None:
        for index, entry in enumerate(section(data, "generic", where)):
            keys = {"canonical", "phrases", "countries", "names_a_side", "main_side", "actor_type"}
            check_keys(entry, keys, {"canonical", "phrases"}, f"{where}[{index}]")
            self._add_actor_type(str(entry["canonical"]), entry, f"{where}[{index}]")
            countries = frozenset(entry.get("countries") or [])
            if entry.get("main_side"):
                self.main_sides.update(dict.fromkeys(countries, str(entry["canonical"])))
            for phrase in entry["phrases"]:
                for form in _with_and_without_article(str(phrase)):
                    self.generic.setdefault(form, []).append((str(entry["canonical"]), countries))
                    if countries or entry.get("names_a_side"):
                        self.side_phrases.add(form)
        state = section(data, "state_forces", where, dict)
        check_keys(state, {"phrases", "by_country"}, {"phrases", "by_country"}, f"{where}: state_forces")
        self.state_phrases = [str(p) for p in state["phrases"]]
        self.state_by_country = {str(k): str(v) for k, v in state["by_country"].items()}

    def resolve(self, ref: FactionRef, when: date | None, countries: list[str]) -> str:
        """The canonical name a mention means on ``when`` in an article about ``countries``."""
        if ref.source == "state":
            return next((self.state_by_country[c] for c in countries if c in self.state_by_country), "")
        if ref.source == "generic":
            return self._generic(ref.canonical, countries)
        senses = self.senses.get(ref.key)
        if not senses:
            return ref.canonical
        if when is not None:
            dated = [s for s in senses if (s.start or s.end) and s.covers(when)]
            if dated:
                return dated[0].canonical
        undated = [s for s in senses if not (s.start or s.end)] or senses
        local = [s for s in undated if self.countries.get(s.canonical, frozenset()) & set(countries)]
        return (local or undated)[0].canonical  # "Republican Guard" in Yemen is Yemen's

    def _generic(self, phrase: str, countries: list[str]) -> str:
        options = self.generic.get(phrase, [])
        for canonical, where in options:
            if where and any(c in where for c in countries):
                return canonical
        return next((canonical for canonical, where in options if not where), "")

    def names_a_side(self, phrase: str) -> bool:
        """ "the rebels", "the insurgents": a generic phrase that stands for a conflict's
        non-state side (it names one by country), unlike "civilians" or "gunmen"."""
        return phrase in self.side_phrases

    def only_unnamed_side(self, phrase: str, countries: list[str]) -> bool:
        """ "the jihadists" where no entry of the article's countries lists the phrase: it
        stands for a non-state side, but the knowledge names none."""
        options = self.generic.get(phrase, [])
        return phrase in self.side_phrases and not any(where & set(countries) for _, where in options)

    def non_combatants(self) -> frozenset[str]:
        """The UN, aid agencies (gazetteer kind ``other``): present in a war, no side of it."""
        return frozenset(name for name, kind in self.kinds.items() if kind == "other")

    def generic_names(self) -> set[str]:
        """The codebook's names for unnamed sides ("Syrian opposition", "Civilians")."""
        return {canonical for options in self.generic.values() for canonical, _ in options}

    def is_state(self, canonical: str) -> bool:
        return self.kinds.get(canonical) == "government" or canonical in self.state_by_country.values()


def _with_and_without_article(phrase: str) -> tuple[str, str]:
    """ "insurgents" and "the insurgents" mean the same side: an entry listing one form
    serves the other, so that no country's "the insurgents" hides another's "insurgents"."""
    bare = phrase.removeprefix("the ")
    return bare, f"the {bare}"


def _as_date(value: object, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise ModelError(f"{where}: bad date {value!r}") from err


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
